/**
 * Connection tracking matches and targets: conntrack (every option), state, connbytes, connlabel,
 * connlimit, connmark, helper; CT (zones, helpers, events, timeouts), NOTRACK, CONNMARK, CONNSECMARK, SECMARK.
 */
import type { ConformanceCase } from '../cases.ts'
import { LIST } from './listings.ts'

const T = (t: string) => [`iptables -t ${t} -S`, `iptables -t ${t} -L -n`, `iptables -t ${t} -L`]

export const CONNTRACK_CASES: ConformanceCase[] = [
  {
    name: 'conntrack every option',
    steps: [
      'iptables -A INPUT -m conntrack --ctstate NEW,RELATED,ESTABLISHED,INVALID,UNTRACKED,SNAT,DNAT', 'iptables -A INPUT -m conntrack ! --ctproto 17',
      'iptables -A INPUT -m conntrack --ctproto icmp', 'iptables -A INPUT -m conntrack ! --ctorigsrc 10.0.0.0/8 ! --ctorigdst 10.1.2.3 ! --ctreplsrc 1.2.3.4/255.255.0.0 ! --ctrepldst 5.6.7.8/32',
      'iptables -A INPUT -m conntrack --ctorigsrcport 1000:2000 --ctorigdstport :80 --ctreplsrcport 5000: --ctrepldstport 22',
      'iptables -A INPUT -m conntrack ! --ctorigsrcport 1 ! --ctorigdstport 2 ! --ctreplsrcport 3 ! --ctrepldstport 4:5',
      'iptables -A INPUT -m conntrack --ctstatus NONE,EXPECTED,SEEN_REPLY,ASSURED,CONFIRMED', 'iptables -A INPUT -m conntrack ! --ctstatus ASSURED',
      'iptables -A INPUT -m conntrack --ctexpire 10', 'iptables -A INPUT -m conntrack ! --ctexpire 10:100', 'iptables -A INPUT -m conntrack --ctexpire 5:',
      'iptables -A INPUT -m conntrack --ctdir REPLY', 'iptables -A INPUT -m conntrack --ctdir original', 'iptables -A INPUT -m conntrack --ctorigsrcport ssh',
      'iptables -A INPUT -m conntrack --ctorigdst localhost', 'iptables -A INPUT -m conntrack --ctstate DNAT --ctstatus CONFIRMED --ctdir ORIGINAL --ctexpire 1',
      ...LIST,
    ],
  },
  {
    name: 'conntrack errors',
    steps: [
      'iptables -A INPUT -m conntrack', 'iptables -A INPUT -m conntrack --ctstate BOGUS', 'iptables -A INPUT -m conntrack --ctstatus BOGUS',
      'iptables -A INPUT -m conntrack --ctproto 0', 'iptables -A INPUT -m conntrack --ctproto nosuch', 'iptables -A INPUT -m conntrack --ctdir both',
      'iptables -A INPUT -m conntrack ! --ctdir REPLY', 'iptables -A INPUT -m conntrack --ctexpire x', 'iptables -A INPUT -m conntrack --ctexpire 10:5',
      'iptables -A INPUT -m conntrack --ctorigsrcport 70000', 'iptables -A INPUT -m conntrack --ctorigsrcport 5:1', 'iptables -A INPUT -m conntrack --ctorigsrc 1.2.3.4/33',
      'iptables -A INPUT -m conntrack --ctorigsrc foo.invalid', 'iptables -A INPUT -m conntrack --ctstate NEW --ctstate INVALID',
      'iptables -A INPUT -m conntrack --ctstate ""', 'iptables -A INPUT -m conntrack --ctstate NEW,,ESTABLISHED', 'iptables -A INPUT -m conntrack --ctorigsrcport 1:2:3',
      'iptables -S',
    ],
  },
  {
    name: 'state match',
    steps: [
      'iptables -A INPUT -m state --state NEW', 'iptables -A INPUT -m state ! --state INVALID,UNTRACKED', 'iptables -A INPUT -m state --state established,related',
      'iptables -A INPUT -m state --state SNAT', 'iptables -A INPUT -m state', 'iptables -A INPUT -m state --state NEW --state INVALID', 'iptables -A INPUT -m state --state ""',
      ...LIST,
    ],
  },
  {
    name: 'connbytes',
    steps: [
      'iptables -A INPUT -m connbytes --connbytes 10: --connbytes-dir both --connbytes-mode bytes', 'iptables -A INPUT -m connbytes ! --connbytes 1:100 --connbytes-dir original --connbytes-mode packets',
      'iptables -A INPUT -m connbytes --connbytes 500 --connbytes-dir reply --connbytes-mode avgpkt', 'iptables -A INPUT -m connbytes --connbytes :1000 --connbytes-dir both --connbytes-mode bytes',
      'iptables -A INPUT -m connbytes --connbytes 18446744073709551615 --connbytes-dir both --connbytes-mode bytes',
      'iptables -A INPUT -m connbytes --connbytes 10', 'iptables -A INPUT -m connbytes --connbytes 10 --connbytes-dir both', 'iptables -A INPUT -m connbytes --connbytes 10 --connbytes-mode bytes',
      'iptables -A INPUT -m connbytes --connbytes 10 --connbytes-dir x --connbytes-mode bytes', 'iptables -A INPUT -m connbytes --connbytes 10 --connbytes-dir both --connbytes-mode x',
      'iptables -A INPUT -m connbytes --connbytes x --connbytes-dir both --connbytes-mode bytes', 'iptables -A INPUT -m connbytes --connbytes 10:5 --connbytes-dir both --connbytes-mode bytes',
      'iptables -A INPUT -m connbytes --connbytes-dir both --connbytes-mode bytes', 'iptables -A INPUT -m connbytes ! --connbytes-dir both --connbytes 1 --connbytes-mode bytes',
      ...LIST,
    ],
  },
  {
    name: 'connlabel',
    steps: [
      'iptables -A INPUT -m connlabel --label 1', 'iptables -A INPUT -m connlabel ! --label 127', 'iptables -A INPUT -m connlabel --label 5 --set', 'iptables -A INPUT -m connlabel --label 0',
      'iptables -A INPUT -m connlabel --label 128', 'iptables -A INPUT -m connlabel --label foo', 'iptables -A INPUT -m connlabel', 'iptables -A INPUT -m connlabel --set',
      'iptables -A INPUT -m connlabel ! --label 1 --set', 'iptables -A INPUT -m connlabel --label 0x10', 'iptables -A INPUT -m connlabel --label -1',
      ...LIST, 'iptables-save',
    ],
  },
  {
    name: 'connlimit',
    steps: [
      'iptables -A INPUT -p tcp --syn -m connlimit --connlimit-above 10', 'iptables -A INPUT -m connlimit --connlimit-upto 5 --connlimit-mask 24',
      'iptables -A INPUT -m connlimit --connlimit-above 2 --connlimit-daddr', 'iptables -A INPUT -m connlimit --connlimit-upto 0 --connlimit-saddr --connlimit-mask 0',
      'iptables -A INPUT -m connlimit ! --connlimit-above 3', 'iptables -A INPUT -m connlimit ! --connlimit-upto 3', 'iptables -A INPUT -m connlimit --connlimit-above 1 --connlimit-mask 32',
      'iptables -A INPUT -m connlimit', 'iptables -A INPUT -m connlimit --connlimit-above 1 --connlimit-upto 2', 'iptables -A INPUT -m connlimit --connlimit-above 1 --connlimit-mask 33',
      'iptables -A INPUT -m connlimit --connlimit-above x', 'iptables -A INPUT -m connlimit --connlimit-above 1 --connlimit-saddr --connlimit-daddr',
      'iptables -A INPUT -m connlimit --connlimit-mask 24', 'iptables -A INPUT -m connlimit --connlimit-above 4294967295', 'iptables -A INPUT -m connlimit --connlimit-above 1 --connlimit-mask 255.255.0.0',
      ...LIST,
    ],
  },
  {
    name: 'connmark match',
    steps: [
      'iptables -A INPUT -m connmark --mark 1', 'iptables -A INPUT -m connmark ! --mark 0x10/0xff', 'iptables -A INPUT -m connmark --mark 0xffffffff/0xffffffff',
      'iptables -A INPUT -m connmark --mark 0/0', 'iptables -A INPUT -m connmark', 'iptables -A INPUT -m connmark --mark x', 'iptables -A INPUT -m connmark --mark 1/x',
      'iptables -A INPUT -m connmark --mark 1 --mark 2', 'iptables -A INPUT -m connmark --mark 4294967296',
      ...LIST,
    ],
  },
  {
    name: 'helper match',
    steps: [
      'iptables -A INPUT -m helper --helper ftp', 'iptables -A INPUT -m helper ! --helper sip', 'iptables -A INPUT -m helper --helper "ftp-2121"',
      'iptables -A INPUT -m helper --helper ""', 'iptables -A INPUT -m helper --helper "a b"', 'iptables -A INPUT -m helper --helper ' + 'h'.repeat(30),
      'iptables -A INPUT -m helper --helper ' + 'h'.repeat(29), 'iptables -A INPUT -m helper', 'iptables -A INPUT -m helper --helper a --helper b',
      ...LIST,
    ],
  },
  {
    name: 'CT target',
    steps: [
      'iptables -t raw -A PREROUTING -j CT --notrack', 'iptables -t raw -A PREROUTING -j CT --zone 1', 'iptables -t raw -A PREROUTING -j CT --zone-orig 2',
      'iptables -t raw -A PREROUTING -j CT --zone-reply 3', 'iptables -t raw -A PREROUTING -j CT --zone mark', 'iptables -t raw -A PREROUTING -j CT --zone-orig mark',
      'iptables -t raw -A PREROUTING -j CT --zone-reply mark', 'iptables -t raw -A PREROUTING -p tcp --dport 21 -j CT --helper ftp',
      'iptables -t raw -A PREROUTING -p udp --dport 5060 -j CT --helper sip', 'iptables -t raw -A OUTPUT -p udp --dport 69 -j CT --helper tftp',
      'iptables -t raw -A PREROUTING -j CT --ctevents new,related,destroy,reply,assured,protoinfo,helper,mark',
      'iptables -t raw -A PREROUTING -j CT --expevents new', 'iptables -t raw -A PREROUTING -j CT', 'iptables -t raw -A PREROUTING -j CT --zone 65535',
      'iptables -t raw -A PREROUTING -j CT --zone 0', 'iptables -t raw -A PREROUTING -p tcp -j CT --helper ftp --zone 5 --ctevents new',
      'iptables -t raw -A PREROUTING -j CT --ctevents natseqinfo,secmark,label', 'iptables -t raw -A PREROUTING -j CT --notrack --zone 1',
      ...T('raw'),
    ],
  },
  {
    name: 'CT target errors',
    steps: [
      'iptables -t raw -A PREROUTING -j CT --zone 65536', 'iptables -t raw -A PREROUTING -j CT --zone x', 'iptables -t raw -A PREROUTING -j CT --ctevents bogus',
      'iptables -t raw -A PREROUTING -j CT --expevents related', 'iptables -t raw -A PREROUTING -j CT --helper nosuch', 'iptables -t raw -A PREROUTING -j CT --timeout nosuch',
      'iptables -t raw -A PREROUTING -j CT --helper ftp', 'iptables -t raw -A PREROUTING -p icmp -j CT --helper ftp', 'iptables -A INPUT -j CT --notrack',
      'iptables -t mangle -A PREROUTING -j CT --zone 1', 'iptables -t raw -A PREROUTING -j CT --zone 1 --zone-orig 2', 'iptables -t raw -A PREROUTING -j CT --notrack --helper ftp',
      'iptables -t raw -A PREROUTING -j CT --zone 1 --zone 2', 'iptables -t raw -A PREROUTING -j CT --helper ' + 'h'.repeat(16),
      'iptables -t raw -A PREROUTING -j NOTRACK --zone 1', 'iptables -t raw -A PREROUTING -p udp -j CT --helper tftp', 'iptables -t raw -A PREROUTING -j CT --helper amanda',
      ...T('raw'),
    ],
  },
  {
    name: 'NOTRACK target',
    steps: [
      'iptables -t raw -A PREROUTING -j NOTRACK', 'iptables -t raw -A OUTPUT -p udp --dport 53 -j NOTRACK', 'iptables -t mangle -A PREROUTING -j NOTRACK',
      'iptables -t raw -N N', 'iptables -t raw -A N -j NOTRACK', 'iptables -t raw -A PREROUTING -j N', ...T('raw'),
    ],
  },
  {
    name: 'CONNMARK target',
    steps: [
      'iptables -t mangle -A PREROUTING -j CONNMARK --set-mark 1', 'iptables -t mangle -A PREROUTING -j CONNMARK --set-mark 0x10/0xff', 'iptables -t mangle -A PREROUTING -j CONNMARK --set-xmark 0x4/0x4',
      'iptables -t mangle -A PREROUTING -j CONNMARK --and-mark 0xf0', 'iptables -t mangle -A PREROUTING -j CONNMARK --or-mark 0x2', 'iptables -t mangle -A PREROUTING -j CONNMARK --xor-mark 0x8',
      'iptables -t mangle -A PREROUTING -j CONNMARK --save-mark', 'iptables -t mangle -A PREROUTING -j CONNMARK --save-mark --mask 0xff', 'iptables -t mangle -A PREROUTING -j CONNMARK --restore-mark --mask 0xffff',
      'iptables -t mangle -A PREROUTING -j CONNMARK --save-mark --nfmask 0xf --ctmask 0xf0', 'iptables -t mangle -A PREROUTING -j CONNMARK --restore-mark --ctmask 0x1 --nfmask 0x2',
      'iptables -t mangle -A PREROUTING -j CONNMARK --restore-mark --nfmask 0xffffffff --ctmask 0xffffffff', 'iptables -t mangle -A PREROUTING -j CONNMARK --set-mark 0',
      'iptables -t mangle -A PREROUTING -j CONNMARK --save-mark --left-shift-mark 8', 'iptables -t mangle -A PREROUTING -j CONNMARK --restore-mark --right-shift-mark 4 --mask 0xff00',
      'iptables -t mangle -A PREROUTING -j CONNMARK --set-xmark 0x1/0xffffffff', 'iptables -t mangle -A PREROUTING -j CONNMARK --set-xmark 0/0',
      'iptables -A INPUT -j CONNMARK --save-mark', 'iptables -t nat -A PREROUTING -j CONNMARK --restore-mark', 'iptables -t raw -A PREROUTING -j CONNMARK --set-mark 1',
      ...T('mangle'), 'iptables -S',
    ],
  },
  {
    name: 'CONNMARK target errors',
    steps: [
      'iptables -t mangle -A PREROUTING -j CONNMARK', 'iptables -t mangle -A PREROUTING -j CONNMARK --set-mark 1 --save-mark', 'iptables -t mangle -A PREROUTING -j CONNMARK --set-mark x',
      'iptables -t mangle -A PREROUTING -j CONNMARK --mask 1', 'iptables -t mangle -A PREROUTING -j CONNMARK --set-mark 1 --mask 1', 'iptables -t mangle -A PREROUTING -j CONNMARK --save-mark --mask 1 --nfmask 2',
      'iptables -t mangle -A PREROUTING -j CONNMARK --save-mark --left-shift-mark 32', 'iptables -t mangle -A PREROUTING -j CONNMARK --set-mark 1 --left-shift-mark 1',
      'iptables -t mangle -A PREROUTING -j CONNMARK --save-mark --left-shift-mark 1 --right-shift-mark 1', 'iptables -t mangle -A PREROUTING -j CONNMARK --and-mark 1 --or-mark 2',
      'iptables -t mangle -A PREROUTING -j CONNMARK --save-mark --save-mark', 'iptables -t mangle -A PREROUTING -j CONNMARK --restore-mark --ctmask 1 --ctmask 2',
      ...T('mangle'),
    ],
  },
  {
    name: 'CONNSECMARK and SECMARK',
    steps: [
      'iptables -t mangle -A INPUT -j CONNSECMARK --save', 'iptables -t mangle -A OUTPUT -j CONNSECMARK --restore', 'iptables -t mangle -A INPUT -j CONNSECMARK',
      'iptables -t mangle -A INPUT -j CONNSECMARK --save --restore', 'iptables -A INPUT -j CONNSECMARK --save', 'iptables -t security -A INPUT -j CONNSECMARK --save',
      'iptables -t nat -A PREROUTING -j CONNSECMARK --restore', 'iptables -t mangle -A INPUT -j SECMARK --selctx system_u:object_r:ssh_packet_t:s0',
      'iptables -t mangle -A INPUT -j SECMARK', 'iptables -t security -A INPUT -j SECMARK --selctx x', 'iptables -A INPUT -j SECMARK --selctx x',
      'iptables -t mangle -A INPUT -j SECMARK --selctx ' + 'c'.repeat(300),
      ...T('mangle'), ...T('security'),
    ],
  },
]
