/**
 * Header matches: IPsec (ah, esp, ipcomp), dccp, tcpmss, ecn, dscp, tos, ttl, length, realm, u32, string,
 * and the protocol matches' less common options (tcp, udp, sctp, icmp).
 */
import type { ConformanceCase } from '../cases.ts'
import { LIST } from './listings.ts'


export const HEADER_CASES: ConformanceCase[] = [
  {
    name: 'ah esp ipcomp spi ranges',
    steps: [
      'iptables -A INPUT -p ah -m ah --ahspi 1', 'iptables -A INPUT -p ah -m ah ! --ahspi 1:2', 'iptables -A INPUT -p ah -m ah --ahspi 5:',
      'iptables -A INPUT -p ah -m ah --ahspi :5', 'iptables -A INPUT -p ah -m ah', 'iptables -A INPUT -p ah -m ah --ahspi 0x10',
      'iptables -A INPUT -p ah -m ah --ahspi 4294967295', 'iptables -A INPUT -p ah -m ah --ahspi 3:1', 'iptables -A INPUT -p ah -m ah ! --ahspi 0:4294967295',
      'iptables -A INPUT -p ah -m ah --ahspi 7:7', 'iptables -A INPUT -p esp -m esp --espspi 1', 'iptables -A INPUT -p esp -m esp ! --espspi 2:3',
      'iptables -A INPUT -p esp -m esp', 'iptables -A INPUT -p esp -m esp --espspi 5:5', 'iptables -A INPUT -p esp -m esp ! --espspi 9',
      'iptables -A INPUT -p esp -m esp ! --espspi 0:4294967295', 'iptables -A INPUT -p ipcomp -m ipcomp --ipcompspi 1',
      'iptables -A INPUT -p 108 -m ipcomp ! --ipcompspi 1:2', 'iptables -A INPUT -p 108 -m ipcomp', 'iptables -A INPUT -p ipcomp -m ipcomp ! --ipcompspi 4',
      ...LIST,
    ],
  },
  {
    name: 'ah esp ipcomp errors',
    steps: [
      'iptables -A INPUT -p ah -m ah --ahspi 4294967296', 'iptables -A INPUT -p ah -m ah --ahspi 1:2:3', 'iptables -A INPUT -p ah -m ah --ahspi a',
      'iptables -A INPUT -p ah -m ah --ahspi 1 --ahspi 2', 'iptables -A INPUT -p ah -m ah --ahspi 1x', 'iptables -A INPUT -p ah -m ah --ahspi -1',
      'iptables -A INPUT -m ah --ahspi 1', 'iptables -A INPUT ! -p ah -m ah --ahspi 1', 'iptables -A INPUT -p esp -m ah --ahspi 1',
      'iptables -A INPUT -m esp --espspi 1', 'iptables -A INPUT -p 108 -m ipcomp --ipcompres', 'iptables -A INPUT -m ipcomp --ipcompspi 1',
      'iptables -A INPUT -p esp -m esp --espspi', 'iptables -A INPUT -p ah --ahspi 1', 'iptables -S',
    ],
  },
  {
    name: 'dccp ports types options',
    steps: [
      'iptables -A INPUT -p dccp -m dccp --dport 1', 'iptables -A INPUT -p dccp -m dccp --sport 1:1024 ! --dport 80',
      'iptables -A INPUT -p dccp -m dccp --source-port 5000: --destination-port :100', 'iptables -A INPUT -p dccp --dport 22',
      'iptables -A INPUT -p dccp -m dccp --dccp-types REQUEST,RESPONSE', 'iptables -A INPUT -p dccp -m dccp ! --dccp-types DATA,ACK,DATAACK',
      'iptables -A INPUT -p dccp -m dccp --dccp-types closereq,close,reset,sync,syncack,invalid', 'iptables -A INPUT -p dccp -m dccp --dccp-option 3',
      'iptables -A INPUT -p dccp -m dccp ! --dccp-option 255', 'iptables -A INPUT -p dccp -m dccp --dport http --sport ssh',
      'iptables -A INPUT -p dccp -m dccp', 'iptables -A INPUT -p 33 -m dccp --dport 5:5',
      ...LIST,
    ],
  },
  {
    name: 'dccp errors',
    steps: [
      'iptables -A INPUT -m dccp --dport 1', 'iptables -A INPUT -p tcp -m dccp --dport 1', 'iptables -A INPUT -p dccp -m dccp --dccp-types FOO',
      'iptables -A INPUT -p dccp -m dccp --dccp-option 256', 'iptables -A INPUT -p dccp -m dccp --dport 1 --dport 2',
      'iptables -A INPUT -p dccp -m dccp --dport 70000', 'iptables -A INPUT -p dccp -m dccp --dport nosuch', 'iptables -A INPUT -p dccp -m dccp --dport 9:1',
      'iptables -A INPUT -p dccp -m dccp --dccp-types', 'iptables -A INPUT -p dccp -m dccp --dccp-option x', 'iptables -S',
    ],
  },
  {
    name: 'tcpmss match',
    steps: [
      'iptables -A INPUT -p tcp -m tcpmss --mss 1460', 'iptables -A INPUT -p tcp -m tcpmss ! --mss 1000:1500', 'iptables -A INPUT -p tcp -m tcpmss --mss 536:',
      'iptables -A INPUT -p tcp -m tcpmss --mss :1400', 'iptables -A INPUT -p tcp --syn -m tcpmss --mss 0:500 -j DROP', 'iptables -A INPUT -p tcp -m tcpmss --mss 99:99',
      'iptables -A INPUT -p tcp -m tcpmss --mss 1500:1000',
      'iptables -A INPUT -m tcpmss --mss 1', 'iptables -A INPUT -p udp -m tcpmss --mss 1', 'iptables -A INPUT -p tcp -m tcpmss', 'iptables -A INPUT -p tcp -m tcpmss --mss 65536',
      'iptables -A INPUT -p tcp -m tcpmss --mss x', 'iptables -A INPUT -p tcp -m tcpmss --mss 1 --mss 2',
      ...LIST,
    ],
  },
  {
    name: 'ecn match',
    steps: [
      'iptables -A INPUT -m ecn --ecn-ip-ect 1', 'iptables -A INPUT -m ecn ! --ecn-ip-ect 3', 'iptables -A INPUT -m ecn --ecn-ip-ect 0',
      'iptables -A INPUT -p tcp -m ecn --ecn-tcp-cwr', 'iptables -A INPUT -p tcp -m ecn ! --ecn-tcp-ece', 'iptables -A INPUT -p tcp -m ecn --ecn-tcp-ece --ecn-tcp-cwr --ecn-ip-ect 2',
      'iptables -A INPUT -p tcp -m ecn ! --ecn-tcp-cwr ! --ecn-tcp-ece ! --ecn-ip-ect 1',
      'iptables -A INPUT -m ecn --ecn-tcp-cwr', 'iptables -A INPUT -p udp -m ecn --ecn-tcp-ece', 'iptables -A INPUT -m ecn', 'iptables -A INPUT -m ecn --ecn-ip-ect 4',
      'iptables -A INPUT -m ecn --ecn-ip-ect x', 'iptables -A INPUT -m ecn --ecn-ip-ect 1 --ecn-ip-ect 2',
      ...LIST,
    ],
  },
  {
    name: 'dscp match',
    steps: [
      'iptables -A INPUT -m dscp --dscp 1', 'iptables -A INPUT -m dscp ! --dscp 0x2e', 'iptables -A INPUT -m dscp --dscp 63', 'iptables -A INPUT -m dscp --dscp-class EF',
      'iptables -A INPUT -m dscp --dscp-class af41', 'iptables -A INPUT -m dscp ! --dscp-class CS0', 'iptables -A INPUT -m dscp --dscp-class BE',
      'iptables -A INPUT -m dscp --dscp-class cs7', 'iptables -A INPUT -m dscp --dscp-class AF11', 'iptables -A INPUT -m dscp --dscp-class AF23',
      'iptables -A INPUT -m dscp --dscp-class AF32', 'iptables -A INPUT -m dscp --dscp-class CS1', 'iptables -A INPUT -m dscp --dscp-class CS6',
      'iptables -A INPUT -m dscp --dscp 64', 'iptables -A INPUT -m dscp --dscp-class XX', 'iptables -A INPUT -m dscp', 'iptables -A INPUT -m dscp --dscp 1 --dscp-class EF',
      'iptables -A INPUT -m dscp --dscp x', 'iptables -A INPUT -m dscp --dscp 1 --dscp 2',
      ...LIST,
    ],
  },
  {
    name: 'tos match',
    steps: [
      'iptables -A INPUT -m tos --tos 0x10', 'iptables -A INPUT -m tos ! --tos 0x10/0x3f', 'iptables -A INPUT -m tos --tos Minimize-Delay',
      'iptables -A INPUT -m tos --tos maximize-throughput', 'iptables -A INPUT -m tos ! --tos Normal-Service', 'iptables -A INPUT -m tos --tos Minimize-Cost',
      'iptables -A INPUT -m tos --tos Maximize-Reliability', 'iptables -A INPUT -m tos --tos 0x08/0xff', 'iptables -A INPUT -m tos --tos 4/0x1e', 'iptables -A INPUT -m tos --tos 255',
      'iptables -A INPUT -m tos --tos 0/0', 'iptables -A INPUT -m tos --tos 256', 'iptables -A INPUT -m tos --tos 1/256', 'iptables -A INPUT -m tos --tos 1/2x', 'iptables -A INPUT -m tos --tos Nothing',
      'iptables -A INPUT -m tos', 'iptables -A INPUT -m tos --tos 1 --tos 2',
      ...LIST,
    ],
  },
  {
    name: 'ttl and length matches',
    steps: [
      'iptables -A INPUT -m ttl --ttl-eq 64', 'iptables -A INPUT -m ttl ! --ttl-eq 1', 'iptables -A INPUT -m ttl --ttl-lt 10', 'iptables -A INPUT -m ttl --ttl-gt 200',
      'iptables -A INPUT -m ttl --ttl-gt 255', 'iptables -A INPUT -m ttl --ttl-lt 0', 'iptables -A INPUT -m ttl ! --ttl-lt 5', 'iptables -A INPUT -m ttl --ttl-eq 1 --ttl-gt 2', 'iptables -A INPUT -m ttl',
      'iptables -A INPUT -m length --length 100', 'iptables -A INPUT -m length ! --length 0:1000', 'iptables -A INPUT -m length --length 1500:', 'iptables -A INPUT -m length --length :64',
      'iptables -A INPUT -m length --length 65536', 'iptables -A INPUT -m length --length 10:5', 'iptables -A INPUT -m length --length 1:2:3', 'iptables -A INPUT -m length',
      'iptables -A INPUT -m length --length 0x40', 'iptables -A INPUT -m length --length 1 --length 2', 'iptables -A INPUT -m length --length a',
      ...LIST,
    ],
  },
  {
    name: 'realm match',
    steps: [
      'iptables -A INPUT -m realm --realm 1', 'iptables -A INPUT -m realm ! --realm 0x10/0xff', 'iptables -A INPUT -m realm --realm 4294967295',
      'iptables -A FORWARD -m realm --realm 2/3', 'iptables -A OUTPUT -m realm --realm 5', 'iptables -A INPUT -m realm --realm cosmos', 'iptables -A INPUT -m realm --realm 0x100000000',
      'iptables -A INPUT -m realm', 'iptables -t nat -A PREROUTING -m realm --realm 1', 'iptables -t mangle -A PREROUTING -m realm --realm 1', 'iptables -t nat -A POSTROUTING -m realm --realm 1',
      ...LIST, 'iptables -t nat -S', 'iptables -t mangle -S',
    ],
  },
  {
    name: 'u32 match',
    steps: [
      `iptables -A INPUT -m u32 --u32 '0>>22&0x3C@0>>16=1'`, `iptables -A INPUT -m u32 ! --u32 '6&0xFF=1'`, `iptables -A INPUT -m u32 --u32 '0&0xFFFF=0x100:0xFFFF'`,
      `iptables -A INPUT -m u32 --u32 '6&0xFF=6 && 0>>22&0x3C@4>>16=80'`, `iptables -A INPUT -m u32 --u32 '12=0xa0a0102,0xa0a0103'`,
      `iptables -A INPUT -m u32 --u32 '0>>22&0x3C@ 12>>26&0x3C@ 0=0x47455420'`, `iptables -A INPUT -m u32 --u32 '0x0>>0x16&0x3c@0x0>>0x10=0x1'`,
      `iptables -A INPUT -m u32 --u32 '3&0x20>>5=1'`, `iptables -A INPUT -m u32 --u32 '0<<1=2'`, `iptables -A INPUT -m u32 --u32 '1=1:2,5,7:9'`,
      `iptables -A INPUT -m u32 --u32 ''`, `iptables -A INPUT -m u32 --u32 'x'`, `iptables -A INPUT -m u32 --u32 '1='`, `iptables -A INPUT -m u32 --u32 '1=1&&'`,
      `iptables -A INPUT -m u32 --u32 '1&2&3&4&5&6&7&8&9&10&11=1'`, `iptables -A INPUT -m u32 --u32 '1=1,2,3,4,5,6,7,8,9,10,11'`,
      `iptables -A INPUT -m u32 --u32 '1=1 && 2=2 && 3=3 && 4=4 && 5=5 && 6=6 && 7=7 && 8=8 && 9=9 && 10=10 && 11=11'`, 'iptables -A INPUT -m u32',
      `iptables -A INPUT -m u32 --u32 '1=1' --u32 '2=2'`, `iptables -A INPUT -m u32 --u32 '1=0x100000000'`, `iptables -A INPUT -m u32 --u32 '1>>x=1'`,
      ...LIST,
    ],
  },
  {
    name: 'string match',
    steps: [
      'iptables -A INPUT -m string --algo bm --string GET', 'iptables -A INPUT -m string --algo kmp ! --string "hello world"', 'iptables -A INPUT -m string --algo bm --string x --from 10 --to 100',
      'iptables -A INPUT -m string --algo bm --string x --icase', 'iptables -A INPUT -m string --algo bm --hex-string "|47455420|"', 'iptables -A INPUT -m string --algo bm --hex-string "GET |2f|index"',
      'iptables -A INPUT -m string --algo kmp ! --hex-string "|00 01 02|"', "iptables -A INPUT -m string --algo bm --string 'a\"b'", 'iptables -A INPUT -m string --algo bm --string "a\\\\b"',
      "iptables -A INPUT -m string --algo bm --string \"it's\"", 'iptables -A INPUT -m string --algo bm --string "|"', 'iptables -A INPUT -m string --algo bm --hex-string "|0a|"',
      'iptables -A INPUT -m string --algo bm --string "tab\there"', 'iptables -A INPUT -m string --algo bm --hex-string "|01ff|"',
      'iptables -A INPUT -m string --algo bm --string "é"', 'iptables -A INPUT -m string --algo fsm --string x', 'iptables -A INPUT -m string --algo bm --string "a\\\\"',
      'iptables -A INPUT -m string --algo bm --hex-string "a\\\\b|41|"', 'iptables -A INPUT -m string --algo bm --hex-string ""',
      'iptables -A INPUT -m string --algo bm --hex-string "x|41 42 43|y"', 'iptables -A INPUT -m string --algo bm --hex-string "|41|\\\\"',
      'iptables -A INPUT -m string --algo bm --string "www.example.com" --to 65535', 'iptables -A INPUT -m string --algo bm --string abc --from 0',
      'iptables -A INPUT -m string --string x', 'iptables -A INPUT -m string --algo foo --string x', 'iptables -A INPUT -m string --algo bm', 'iptables -A INPUT -m string --algo bm --string ""',
      'iptables -A INPUT -m string --algo bm --string "' + 'y'.repeat(129) + '"', 'iptables -A INPUT -m string --algo bm --string "' + 'y'.repeat(128) + '"',
      'iptables -A INPUT -m string --algo bm --hex-string "|zz|"', 'iptables -A INPUT -m string --algo bm --hex-string "|0|"', 'iptables -A INPUT -m string --algo bm --hex-string "|00"',
      'iptables -A INPUT -m string --algo bm --string a --string b', 'iptables -A INPUT -m string --algo bm --string a --hex-string "|61|"', 'iptables -A INPUT -m string --algo bm --string a --from x',
      'iptables -A INPUT -m string --algo bm --string a --from 70000', 'iptables -A INPUT -m string --algo bm --string a --to 10 --from 20', 'iptables -A INPUT -m string --algo bm --string a --icase --icase',
      ...LIST,
    ],
  },
  {
    name: 'tcp udp sctp icmp options',
    steps: [
      'iptables -A INPUT -p tcp -m tcp --tcp-flags FIN,SYN,RST,PSH,ACK,URG NONE', 'iptables -A INPUT -p tcp ! --tcp-flags SYN,RST SYN', 'iptables -A INPUT -p tcp --tcp-option 8',
      'iptables -A INPUT -p tcp ! --tcp-option 2', 'iptables -A INPUT -p tcp --sport 0:0', 'iptables -A INPUT -p tcp ! --sport 0:100', 'iptables -A INPUT -p tcp --dport 0',
      'iptables -A INPUT -p udp ! --dport 0:1023', 'iptables -A INPUT -p udp --dport 65535', 'iptables -A INPUT -p sctp --dport 80', 'iptables -A INPUT -p sctp -m sctp ! --sport 1:5 --dport 9',
      'iptables -A INPUT -p sctp -m sctp --chunk-types any DATA,INIT', 'iptables -A INPUT -p sctp -m sctp --chunk-types all INIT_ACK', 'iptables -A INPUT -p sctp -m sctp ! --chunk-types only SACK,HEARTBEAT',
      'iptables -A INPUT -p sctp -m sctp --chunk-types any DATA:Be', 'iptables -A INPUT -p sctp -m sctp --chunk-types all ABORT:T,SHUTDOWN_COMPLETE:t',
      'iptables -A INPUT -p sctp -m sctp --chunk-types any ERROR,COOKIE_ECHO,COOKIE_ACK,ECN_ECNE,ECN_CWR,ASCONF,ASCONF_ACK,FORWARD_TSN,SHUTDOWN,SHUTDOWN_ACK,HEARTBEAT_ACK',
      'iptables -A INPUT -p sctp -m sctp --chunk-types any FOO', 'iptables -A INPUT -p sctp -m sctp --chunk-types some DATA', 'iptables -A INPUT -p sctp -m sctp --chunk-types any DATA:X',
      'iptables -A INPUT -p icmp --icmp-type 8/0', 'iptables -A INPUT -p icmp --icmp-type redirect', 'iptables -A INPUT -p icmp --icmp-type 255',
      'iptables -A INPUT -p icmp ! --icmp-type echo-reply', 'iptables -A INPUT -p icmp --icmp-type source-quench', 'iptables -A INPUT -p icmp --icmp-type 3/',
      'iptables -A INPUT -p icmp --icmp-type 3/256', 'iptables -A INPUT -p tcp --tcp-flags BOGUS SYN', 'iptables -A INPUT -p tcp --tcp-option 0', 'iptables -A INPUT -p tcp --tcp-option 256',
      ...LIST,
    ],
  },
]
