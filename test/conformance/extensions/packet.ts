/**
 * Targets that rewrite the packet or what the kernel keeps with it: CHECKSUM, CLASSIFY, DSCP, ECN, TOS,
 * TTL, TCPMSS, TCPOPTSTRIP, MARK, HMARK, IDLETIMER and LED.
 */
import type { ConformanceCase } from '../cases.ts'
import { listings } from './listings.ts'

const LIST = listings('mangle')

export const PACKET_CASES: ConformanceCase[] = [
  {
    name: 'CHECKSUM and CLASSIFY',
    steps: [
      'iptables -t mangle -A POSTROUTING -p udp --dport 68 -j CHECKSUM --checksum-fill', 'iptables -t mangle -A PREROUTING -j CHECKSUM --checksum-fill',
      'iptables -t mangle -A POSTROUTING -j CHECKSUM', 'iptables -A OUTPUT -j CHECKSUM --checksum-fill', 'iptables -t mangle -A POSTROUTING -j CHECKSUM ! --checksum-fill',
      'iptables -t mangle -A POSTROUTING -j CHECKSUM --checksum-fill --checksum-fill',
      'iptables -t mangle -A POSTROUTING -j CLASSIFY --set-class 1:10', 'iptables -t mangle -A POSTROUTING -j CLASSIFY --set-class ffff:ffff',
      'iptables -t mangle -A POSTROUTING -j CLASSIFY --set-class 10000:1', 'iptables -t mangle -A FORWARD -j CLASSIFY --set-class 0:0', 'iptables -t mangle -A OUTPUT -j CLASSIFY --set-class 0x1:0x2',
      'iptables -t mangle -A POSTROUTING -j CLASSIFY --set-class x', 'iptables -t mangle -A POSTROUTING -j CLASSIFY --set-class 1', 'iptables -t mangle -A POSTROUTING -j CLASSIFY --set-class 1:x',
      'iptables -t mangle -A POSTROUTING -j CLASSIFY', 'iptables -t mangle -A PREROUTING -j CLASSIFY --set-class 1:1', 'iptables -t mangle -A INPUT -j CLASSIFY --set-class 1:1',
      'iptables -A OUTPUT -j CLASSIFY --set-class 1:1', 'iptables -A INPUT -j CLASSIFY --set-class 1:1', 'iptables -t nat -A POSTROUTING -j CLASSIFY --set-class 1:1',
      'iptables -t mangle -A POSTROUTING -j CLASSIFY --set-class 1:1 --set-class 2:2', 'iptables -t mangle -A POSTROUTING -j CLASSIFY ! --set-class 1:1',
      ...LIST, 'iptables -S', 'iptables -t nat -S',
    ],
  },
  {
    name: 'DSCP and TOS targets',
    steps: [
      'iptables -t mangle -A POSTROUTING -j DSCP --set-dscp 32', 'iptables -t mangle -A POSTROUTING -j DSCP --set-dscp 0x3f', 'iptables -t mangle -A POSTROUTING -j DSCP --set-dscp-class EF',
      'iptables -t mangle -A POSTROUTING -j DSCP --set-dscp-class af41', 'iptables -t mangle -A POSTROUTING -j DSCP --set-dscp-class cs0', 'iptables -t mangle -A POSTROUTING -j DSCP --set-dscp-class BE',
      'iptables -t mangle -A POSTROUTING -j DSCP --set-dscp 64', 'iptables -t mangle -A POSTROUTING -j DSCP --set-dscp x', 'iptables -t mangle -A POSTROUTING -j DSCP --set-dscp-class XX',
      'iptables -t mangle -A POSTROUTING -j DSCP', 'iptables -t mangle -A POSTROUTING -j DSCP --set-dscp 1 --set-dscp-class EF', 'iptables -A OUTPUT -j DSCP --set-dscp 1',
      'iptables -t mangle -A POSTROUTING -j TOS --set-tos 0x10', 'iptables -t mangle -A POSTROUTING -j TOS --set-tos 0x10/0x3f', 'iptables -t mangle -A POSTROUTING -j TOS --set-tos Minimize-Delay',
      'iptables -t mangle -A POSTROUTING -j TOS --set-tos normal-service', 'iptables -t mangle -A POSTROUTING -j TOS --set-tos Maximize-Throughput', 'iptables -t mangle -A POSTROUTING -j TOS --set-tos 0/0xff',
      'iptables -t mangle -A POSTROUTING -j TOS --and-tos 0x0f', 'iptables -t mangle -A POSTROUTING -j TOS --or-tos 0x02', 'iptables -t mangle -A POSTROUTING -j TOS --xor-tos 0x04',
      'iptables -t mangle -A POSTROUTING -j TOS --set-tos 0x04/0x04', 'iptables -t mangle -A POSTROUTING -j TOS --set-tos 0x08/0', 'iptables -t mangle -A POSTROUTING -j TOS --and-tos 0xff',
      'iptables -t mangle -A POSTROUTING -j TOS --set-tos 256', 'iptables -t mangle -A POSTROUTING -j TOS --set-tos foo', 'iptables -t mangle -A POSTROUTING -j TOS',
      'iptables -t mangle -A POSTROUTING -j TOS --set-tos 1 --and-tos 2', 'iptables -t mangle -A POSTROUTING -j TOS --or-tos 0x100', 'iptables -A OUTPUT -j TOS --set-tos 1',
      'iptables -t mangle -A POSTROUTING -j TOS ! --set-tos 1',
      ...LIST, 'iptables -S',
    ],
  },
  {
    name: 'ECN and TTL targets',
    steps: [
      'iptables -t mangle -A POSTROUTING -p tcp -j ECN --ecn-tcp-remove', 'iptables -t mangle -A POSTROUTING -p tcp -j ECN --ecn-tcp-cwr 1 --ecn-tcp-ece 0 --ecn-ip-ect 3',
      'iptables -t mangle -A POSTROUTING -j ECN --ecn-ip-ect 2', 'iptables -t mangle -A POSTROUTING -p tcp -j ECN --ecn-tcp-ece 1', 'iptables -t mangle -A POSTROUTING -p tcp -j ECN --ecn-tcp-cwr 0 --ecn-tcp-ece 0',
      'iptables -t mangle -A POSTROUTING -j ECN --ecn-tcp-remove', 'iptables -t mangle -A POSTROUTING -p udp -j ECN --ecn-tcp-cwr 1', 'iptables -t mangle -A POSTROUTING -p tcp -j ECN --ecn-ip-ect 4',
      'iptables -t mangle -A POSTROUTING -p tcp -j ECN --ecn-tcp-cwr 2', 'iptables -t mangle -A POSTROUTING -j ECN', 'iptables -t mangle -A POSTROUTING -p tcp -j ECN --ecn-tcp-remove --ecn-tcp-remove',
      'iptables -t mangle -A POSTROUTING -p tcp -j ECN --ecn-tcp-remove --ecn-tcp-cwr 1', 'iptables -t mangle -A POSTROUTING -p tcp -j ECN --ecn-tcp-cwr 1 --ecn-tcp-remove', 'iptables -A OUTPUT -p tcp -j ECN --ecn-tcp-remove',
      'iptables -t mangle -A PREROUTING -j TTL --ttl-set 64', 'iptables -t mangle -A PREROUTING -j TTL --ttl-dec 1', 'iptables -t mangle -A POSTROUTING -j TTL --ttl-inc 255',
      'iptables -t mangle -A PREROUTING -j TTL --ttl-set 0', 'iptables -t mangle -A PREROUTING -j TTL --ttl-dec 0', 'iptables -t mangle -A PREROUTING -j TTL --ttl-inc 0',
      'iptables -t mangle -A PREROUTING -j TTL --ttl-set 256', 'iptables -t mangle -A PREROUTING -j TTL --ttl-set x', 'iptables -t mangle -A PREROUTING -j TTL',
      'iptables -t mangle -A PREROUTING -j TTL --ttl-set 1 --ttl-dec 1', 'iptables -t mangle -A PREROUTING -j TTL --ttl-inc 1 --ttl-set 1', 'iptables -A INPUT -j TTL --ttl-set 1',
      'iptables -t mangle -A PREROUTING -j TTL ! --ttl-set 1',
      ...LIST, 'iptables -S',
    ],
  },
  {
    name: 'TCPMSS every form',
    steps: [
      'iptables -t mangle -A FORWARD -p tcp --tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu', 'iptables -t mangle -A POSTROUTING -p tcp --syn -j TCPMSS --set-mss 1400',
      'iptables -A FORWARD -p tcp --tcp-flags SYN,RST SYN -j TCPMSS --set-mss 1360', 'iptables -t mangle -A PREROUTING -p tcp --syn -j TCPMSS --set-mss 1200',
      'iptables -t mangle -A PREROUTING -p tcp --syn -j TCPMSS --clamp-mss-to-pmtu', 'iptables -t mangle -A INPUT -p tcp --syn -j TCPMSS --clamp-mss-to-pmtu',
      'iptables -t mangle -A POSTROUTING -p tcp -j TCPMSS --set-mss 1400', 'iptables -t mangle -A POSTROUTING -j TCPMSS --set-mss 1400', 'iptables -t mangle -A POSTROUTING -p udp -j TCPMSS --set-mss 1400',
      'iptables -t mangle -A POSTROUTING -p tcp --syn -j TCPMSS --set-mss 65495', 'iptables -t mangle -A POSTROUTING -p tcp --syn -j TCPMSS --set-mss 65496',
      'iptables -t mangle -A POSTROUTING -p tcp --syn -j TCPMSS --set-mss 0', 'iptables -t mangle -A POSTROUTING -p tcp --syn -j TCPMSS', 'iptables -t mangle -A POSTROUTING -p tcp --syn -j TCPMSS --set-mss 1 --clamp-mss-to-pmtu',
      'iptables -t mangle -A POSTROUTING -p tcp --syn -j TCPMSS --set-mss x', 'iptables -t mangle -A POSTROUTING -p tcp --syn -j TCPMSS --set-mss 1 --set-mss 2',
      'iptables -t mangle -A POSTROUTING -p tcp --syn -j TCPMSS ! --set-mss 1', 'iptables -t mangle -A POSTROUTING -p tcp -m tcp --tcp-flags SYN SYN -j TCPMSS --set-mss 1000',
      'iptables -t mangle -A POSTROUTING -p tcp -m tcp ! --tcp-flags SYN SYN -j TCPMSS --set-mss 1000', 'iptables -t mangle -A POSTROUTING ! -p tcp -j TCPMSS --set-mss 1000',
      ...LIST, 'iptables -S', 'iptables -L -n -v',
    ],
  },
  {
    name: 'TCPOPTSTRIP',
    steps: [
      'iptables -t mangle -A POSTROUTING -p tcp -j TCPOPTSTRIP --strip-options mss', 'iptables -t mangle -A POSTROUTING -p tcp -j TCPOPTSTRIP --strip-options wscale,mss,sack-permitted,sack,timestamp,md5',
      'iptables -t mangle -A POSTROUTING -p tcp -j TCPOPTSTRIP --strip-options 2,3,200,255', 'iptables -t mangle -A PREROUTING -p tcp -j TCPOPTSTRIP --strip-options 19',
      'iptables -t mangle -A POSTROUTING -p tcp -j TCPOPTSTRIP --strip-options 1', 'iptables -t mangle -A POSTROUTING -p tcp -j TCPOPTSTRIP --strip-options 0',
      'iptables -t mangle -A POSTROUTING -p tcp -j TCPOPTSTRIP --strip-options 256', 'iptables -t mangle -A POSTROUTING -p tcp -j TCPOPTSTRIP --strip-options foo',
      'iptables -t mangle -A POSTROUTING -p tcp -j TCPOPTSTRIP --strip-options mss,mss', 'iptables -t mangle -A POSTROUTING -p tcp -j TCPOPTSTRIP --strip-options 2,mss',
      'iptables -t mangle -A POSTROUTING -p tcp -j TCPOPTSTRIP', 'iptables -t mangle -A POSTROUTING -j TCPOPTSTRIP --strip-options mss', 'iptables -A OUTPUT -p tcp -j TCPOPTSTRIP --strip-options mss',
      'iptables -t mangle -A POSTROUTING -p tcp -j TCPOPTSTRIP --strip-options mss --strip-options sack', 'iptables -t mangle -A POSTROUTING -p tcp -j TCPOPTSTRIP --strip-options ""',
      'iptables -t mangle -A POSTROUTING -p tcp -j TCPOPTSTRIP --strip-options mss,', 'iptables -t mangle -A POSTROUTING -p tcp -j TCPOPTSTRIP --strip-options 4,5,6,7,8,9',
      ...LIST,
    ],
  },
  {
    name: 'MARK target every form',
    steps: [
      'iptables -t mangle -A PREROUTING -j MARK --set-mark 1', 'iptables -t mangle -A PREROUTING -j MARK --set-mark 0x4000/0x4000', 'iptables -t mangle -A PREROUTING -j MARK --set-xmark 0x10/0xff',
      'iptables -t mangle -A PREROUTING -j MARK --and-mark 0xffff0000', 'iptables -t mangle -A PREROUTING -j MARK --or-mark 0x8000', 'iptables -t mangle -A PREROUTING -j MARK --xor-mark 0xf',
      'iptables -t mangle -A PREROUTING -j MARK --set-xmark 0', 'iptables -t mangle -A PREROUTING -j MARK --set-mark 0xffffffff', 'iptables -t mangle -A PREROUTING -j MARK --set-xmark 0x1/0x0',
      'iptables -t mangle -A PREROUTING -j MARK --set-mark 0x100000000', 'iptables -t mangle -A PREROUTING -j MARK --set-mark x', 'iptables -t mangle -A PREROUTING -j MARK',
      'iptables -t mangle -A PREROUTING -j MARK --set-mark 1 --or-mark 2', 'iptables -t mangle -A PREROUTING -j MARK --set-mark 1/', 'iptables -t mangle -A PREROUTING -j MARK ! --set-mark 1',
      'iptables -A OUTPUT -j MARK --set-mark 7', 'iptables -t nat -A OUTPUT -j MARK --set-mark 7', 'iptables -t raw -A OUTPUT -j MARK --set-mark 7',
      'iptables -t mangle -A PREROUTING -j MARK --set-mark 1 --set-mark 2',
      ...LIST, 'iptables -S', 'iptables -t nat -S', 'iptables -t raw -S',
    ],
  },
  {
    name: 'HMARK',
    steps: [
      'iptables -t mangle -A PREROUTING -j HMARK --hmark-mod 4 --hmark-rnd 0x12345678',
      'iptables -t mangle -A PREROUTING -j HMARK --hmark-tuple src,dst,sport,dport,spi,proto --hmark-mod 10 --hmark-offset 100 --hmark-rnd 0xcafe',
      'iptables -t mangle -A PREROUTING -j HMARK --hmark-tuple ct --hmark-mod 8 --hmark-rnd 1', 'iptables -t mangle -A PREROUTING -j HMARK --hmark-tuple ct,src --hmark-mod 8 --hmark-rnd 1',
      'iptables -t mangle -A PREROUTING -j HMARK --hmark-src-prefix 24 --hmark-dst-prefix 16 --hmark-sport-mask 0xff00 --hmark-dport-mask 0x00ff --hmark-spi-mask 0xffff --hmark-proto-mask 0xff --hmark-mod 3 --hmark-rnd 5',
      'iptables -t mangle -A PREROUTING -j HMARK --hmark-sport 1 --hmark-dport 2 --hmark-spi 3 --hmark-mod 3 --hmark-rnd 5',
      'iptables -t mangle -A PREROUTING -j HMARK --hmark-tuple src --hmark-src-prefix 8 --hmark-mod 2 --hmark-rnd 0xffffffff',
      'iptables -t mangle -A PREROUTING -j HMARK --hmark-tuple dst --hmark-mod 2 --hmark-rnd 9', 'iptables -t mangle -A PREROUTING -j HMARK --hmark-tuple sport,dport --hmark-mod 2 --hmark-rnd 9',
      'iptables -t mangle -A PREROUTING -j HMARK --hmark-mod 4', 'iptables -t mangle -A PREROUTING -j HMARK --hmark-rnd 4', 'iptables -t mangle -A PREROUTING -j HMARK',
      'iptables -t mangle -A PREROUTING -j HMARK --hmark-mod 0 --hmark-rnd 1', 'iptables -t mangle -A PREROUTING -j HMARK --hmark-tuple foo --hmark-mod 2 --hmark-rnd 1',
      'iptables -t mangle -A PREROUTING -j HMARK --hmark-src-prefix 33 --hmark-mod 2 --hmark-rnd 1', 'iptables -t mangle -A PREROUTING -j HMARK --hmark-tuple ct --hmark-src-prefix 8 --hmark-mod 2 --hmark-rnd 1',
      'iptables -t mangle -A PREROUTING -j HMARK --hmark-mod 2 --hmark-rnd 1 --hmark-mod 3', 'iptables -A INPUT -j HMARK --hmark-mod 2 --hmark-rnd 1',
      'iptables -t mangle -A PREROUTING -j HMARK --hmark-sport-mask 0x10000 --hmark-mod 2 --hmark-rnd 1', 'iptables -t mangle -A PREROUTING -j HMARK --hmark-offset 4294967295 --hmark-mod 2 --hmark-rnd 1',
      'iptables -t mangle -A PREROUTING -j HMARK --hmark-tuple src,src --hmark-mod 2 --hmark-rnd 1', 'iptables -t mangle -A PREROUTING -j HMARK --hmark-tuple "" --hmark-mod 2 --hmark-rnd 1',
      ...LIST, 'iptables -S',
    ],
  },
  {
    name: 'IDLETIMER and LED',
    steps: [
      'iptables -A INPUT -j IDLETIMER --timeout 60 --label eth0', 'iptables -A OUTPUT -j IDLETIMER --timeout 10 --label foo --alarm', 'iptables -A INPUT -j IDLETIMER --timeout 60',
      'iptables -A INPUT -j IDLETIMER --label a', 'iptables -A INPUT -j IDLETIMER --timeout 0 --label a', 'iptables -A INPUT -j IDLETIMER --timeout x --label a',
      'iptables -A INPUT -j IDLETIMER --timeout 1 --label ' + 'l'.repeat(28), 'iptables -A INPUT -j IDLETIMER --timeout 1 --label ' + 'l'.repeat(27),
      'iptables -A INPUT -j IDLETIMER --timeout 4294967295 --label big', 'iptables -A INPUT -j IDLETIMER --timeout 1 --label eth0 --alarm',
      'iptables -A INPUT -j LED --led-trigger-id ssh', 'iptables -A INPUT -j LED --led-trigger-id ssh --led-delay 100 --led-always-blink', 'iptables -A INPUT -j LED',
      'iptables -A INPUT -j LED --led-trigger-id a --led-delay inf', 'iptables -A INPUT -j LED --led-trigger-id a --led-delay x',
      ...listings(),
    ],
  },
  {
    name: 'packet targets restored',
    steps: [
      {
        line: 'iptables-restore',
        stdin: '*mangle\n:PREROUTING ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A PREROUTING -j TTL --ttl-set 64\n-A PREROUTING -j HMARK --hmark-tuple src,dst --hmark-mod 4 --hmark-offset 1 --hmark-rnd 0x1\n-A POSTROUTING -p udp -m udp --dport 68 -j CHECKSUM --checksum-fill\n-A POSTROUTING -j DSCP --set-dscp 0x2e\n-A POSTROUTING -j TOS --set-tos 0x10/0x3f\n-A POSTROUTING -j CLASSIFY --set-class 0001:0010\n-A POSTROUTING -p tcp -m tcp --tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu\n-A POSTROUTING -p tcp -j TCPOPTSTRIP --strip-options sack-permitted,timestamp\n-A OUTPUT -j MARK --set-xmark 0x1/0xffffffff\nCOMMIT\n',
      },
      'iptables-save -t mangle', 'iptables -t mangle -L -n -v',
      { line: 'iptables-restore', stdin: '*mangle\n-A POSTROUTING -j CHECKSUM\nCOMMIT\n' },
      { line: 'iptables-restore', stdin: '*mangle\n-A POSTROUTING -j ECN --ecn-tcp-remove\nCOMMIT\n' },
      { line: 'iptables-restore', stdin: '*filter\n-A INPUT -j TTL --ttl-set 1\nCOMMIT\n' },
      { line: 'iptables-restore --noflush', stdin: '*mangle\n-A PREROUTING -j TTL --ttl-inc 1\n-A PREROUTING -j HMARK --hmark-mod 2\nCOMMIT\n' },
      'iptables-save -t mangle',
    ],
  },
  {
    name: 'IPv6 and ebtables extensions iptables does not load',
    steps: [
      'iptables -A INPUT -j NAT', 'iptables -A INPUT -m hl --hl-eq 1', 'iptables -A INPUT -j HL --hl-set 1', 'iptables -A INPUT -j HL',
      'iptables -A INPUT -m frag --fragid 1', 'iptables -A INPUT -m icmp6 --icmpv6-type 1', 'iptables -A INPUT -j DNPT', 'iptables -A INPUT -j SNPT --src-pfx ::/0',
      'iptables -A INPUT -m eui64', 'iptables -A INPUT -m ipv6header --header hop', 'iptables -A INPUT -m mh', 'iptables -A INPUT -m srh', 'iptables -A INPUT -m rt',
      'iptables -A INPUT -m dst', 'iptables -A INPUT -m hbh', 'iptables -A INPUT -m 802_3', 'iptables -A INPUT -m among', 'iptables -A INPUT -m stp', 'iptables -A INPUT -m vlan',
      'iptables -A INPUT -m standard', 'iptables -A INPUT -m ACCEPT', 'iptables -A INPUT -m udplite', 'iptables -A INPUT -m NOTRACK', 'iptables -A INPUT -m LOG',
      'iptables -A INPUT -j nflog', 'iptables -A INPUT -m state --state NEW -m state --state NEW', 'iptables -A INPUT -j arpreply', 'iptables -A INPUT -j mangle',
      'iptables -S',
    ],
  },
]
