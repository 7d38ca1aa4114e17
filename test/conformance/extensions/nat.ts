/**
 * Targets that redirect or answer a packet: DNAT, SNAT, MASQUERADE, REDIRECT and NETMAP in every form,
 * TPROXY, TEE, SYNPROXY, REJECT, CLUSTERIP and the `standard` target's name.
 */
import type { ConformanceCase } from '../cases.ts'
import { LIST, listings } from './listings.ts'

const NAT_LIST = listings('nat')

export const NAT_CASES: ConformanceCase[] = [
  {
    name: 'DNAT every form',
    steps: [
      'iptables -t nat -A PREROUTING -p tcp -j DNAT --to-destination 10.0.0.1:80-90/85', 'iptables -t nat -A PREROUTING -p tcp -j DNAT --to-destination 10.0.0.1-10.0.0.5:1000-2000/1500',
      'iptables -t nat -A PREROUTING -p udp -j DNAT --to-destination :53', 'iptables -t nat -A PREROUTING -p tcp -j DNAT --to-destination :1000-1010', 'iptables -t nat -A OUTPUT -j DNAT --to 10.0.0.9',
      'iptables -t nat -A PREROUTING -p tcp -j DNAT --to-destination 10.0.0.1:80 --random', 'iptables -t nat -A PREROUTING -p tcp -j DNAT --to-destination 10.0.0.1 --persistent',
      'iptables -t nat -A PREROUTING -j DNAT --to-destination 10.0.0.1 --to-destination 10.0.0.2', 'iptables -t nat -A PREROUTING -j DNAT --to-destination 10.0.0.1:80',
      'iptables -t nat -A PREROUTING -p tcp -j DNAT --to-destination 10.0.0.1:90-80', 'iptables -t nat -A PREROUTING -p tcp -j DNAT --to-destination 10.0.0.1:80-90/100',
      'iptables -t nat -A PREROUTING -p tcp -j DNAT --to-destination 10.0.0.1:0', 'iptables -t nat -A PREROUTING -p tcp -j DNAT --to-destination 10.0.0.1:x',
      'iptables -t nat -A PREROUTING -p tcp -j DNAT --to-destination 10.0.0.5-10.0.0.1', 'iptables -t nat -A PREROUTING -p tcp -j DNAT --to-destination 10.0.0.1:80x',
      'iptables -t nat -A PREROUTING -p tcp -j DNAT --to-destination 10.0.0.1:80-', 'iptables -t nat -A PREROUTING -p tcp -j DNAT --to-destination 10.0.0.1/24',
      'iptables -t nat -A PREROUTING -p tcp -j DNAT --random-fully --to-destination 10.0.0.1', 'iptables -t nat -A PREROUTING -p sctp -j DNAT --to-destination 10.0.0.1:5000',
      'iptables -t nat -A PREROUTING -p dccp -j DNAT --to-destination 10.0.0.1:5000', 'iptables -t nat -A PREROUTING -p icmp -j DNAT --to-destination 10.0.0.1:5000',
      'iptables -t nat -A PREROUTING -j DNAT --to-destination 10.0.0.1:5000-5001', 'iptables -t nat -A POSTROUTING -j DNAT --to-destination 10.0.0.1', 'iptables -t nat -A INPUT -j DNAT --to-destination 10.0.0.1',
      'iptables -A INPUT -j DNAT --to-destination 10.0.0.1', 'iptables -t nat -A PREROUTING -j DNAT --to-destination localhost', 'iptables -t nat -A PREROUTING -p tcp -j DNAT --to-destination 10.0.0.1:65535',
      'iptables -t nat -A PREROUTING -p tcp -j DNAT --to-destination 10.0.0.1:65536', 'iptables -t nat -A PREROUTING -p tcp -j DNAT --to-destination 10.0.0.1:http',
      'iptables -t nat -A PREROUTING -p tcp -j REDIRECT --to-ports 80-90/85', 'iptables -t nat -A POSTROUTING -p tcp -j MASQUERADE --to-ports 80-90/85',
      'iptables -t nat -A POSTROUTING -p tcp -j SNAT --to-source 1.2.3.4:80-90/85', 'iptables -t nat -A PREROUTING -p tcp -j DNAT --to-destination 1.2.3.4:ftp-data',
      'iptables -t nat -A PREROUTING -p tcp -j DNAT --to-destination 1.2.3.4:20-ssh', 'iptables -t nat -A PREROUTING -p tcp -j DNAT --to-destination 1.2.3.4:80-90/http',
      'iptables -t nat -A PREROUTING -p tcp -j DNAT --to-destination 1.2.3.4:80-90/0', 'iptables -t nat -A PREROUTING -p tcp -j DNAT --to-destination 1.2.3.4:80-90/85x',
      'iptables -t nat -A PREROUTING -p tcp -j DNAT --to-destination 1.2.3.4:80:90', 'iptables -t nat -A PREROUTING -p tcp -j DNAT --to-destination 1.2.3.4:80-90x',
      'iptables -t nat -A PREROUTING -p tcp -j DNAT --to-destination 1.2.3.4-x', 'iptables -t nat -A PREROUTING -p tcp -j DNAT --to-destination x-1.2.3.4',
      'iptables -t nat -A PREROUTING -p tcp -j DNAT --to-destination "[1.2.3.4]:80"', 'iptables -t nat -A PREROUTING -p tcp -j DNAT --to-destination ""',
      'iptables -t nat -A PREROUTING -p tcp -j DNAT --to-destination 1.2.3.4:', 'iptables -t nat -A PREROUTING -p tcp -j DNAT --to-destination 1.2.3.4 --random --random',
      'iptables -t nat -A POSTROUTING -p tcp -j SNAT --to-source 1.2.3.4 --to-source 1.2.3.5', 'iptables -t nat -A POSTROUTING -j SNAT', 'iptables -t nat -A PREROUTING -j DNAT',
      'iptables -t nat -A PREROUTING -p tcp -j REDIRECT --to-ports http', 'iptables -t nat -A POSTROUTING -p tcp -j MASQUERADE --to-ports http-https',
      'iptables -t nat -A PREROUTING -p tcp -j DNAT --to-destination 1.2.3.4:80 -j DNAT', 'iptables -t nat -A PREROUTING -p tcp -j DNAT --to-destination 1.2.3.4:1:2:3',
      ...NAT_LIST,
    ],
  },
  {
    name: 'SNAT MASQUERADE REDIRECT every form',
    steps: [
      'iptables -t nat -A POSTROUTING -p tcp -j SNAT --to-source 1.2.3.4:1024-65535 --random --persistent', 'iptables -t nat -A POSTROUTING -j SNAT --to-source 1.2.3.4 --random-fully',
      'iptables -t nat -A INPUT -j SNAT --to-source 1.2.3.4', 'iptables -t nat -A POSTROUTING -p udp -j SNAT --to-source :2000', 'iptables -t nat -A POSTROUTING -p tcp -j SNAT --to-source 1.2.3.4:1-2/1',
      'iptables -t nat -A PREROUTING -j SNAT --to-source 1.2.3.4', 'iptables -t nat -A OUTPUT -j SNAT --to-source 1.2.3.4', 'iptables -t nat -A POSTROUTING -j SNAT --to-source 1.2.3.4:99',
      'iptables -t nat -A POSTROUTING -j MASQUERADE --random --random-fully', 'iptables -t nat -A POSTROUTING -p tcp -j MASQUERADE --to-ports 0', 'iptables -t nat -A POSTROUTING -p tcp -j MASQUERADE --to-ports 2000-1000',
      'iptables -t nat -A POSTROUTING -p tcp -j MASQUERADE --to-ports x', 'iptables -t nat -A POSTROUTING -j MASQUERADE --to-ports 1000', 'iptables -t nat -A PREROUTING -j MASQUERADE',
      'iptables -t nat -A POSTROUTING -p udp -j MASQUERADE --to-ports 1000-2000 --random-fully', 'iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE ! --random',
      'iptables -t nat -A PREROUTING -p tcp -j REDIRECT --to-ports 8080-8090 --random', 'iptables -t nat -A OUTPUT -p udp -j REDIRECT --to-port 53', 'iptables -t nat -A PREROUTING -j REDIRECT --to-ports 53',
      'iptables -t nat -A PREROUTING -p tcp -j REDIRECT --to-ports 0', 'iptables -t nat -A PREROUTING -p tcp -j REDIRECT --to-ports 9-8', 'iptables -t nat -A POSTROUTING -j REDIRECT',
      'iptables -t nat -A PREROUTING -p tcp -j REDIRECT --random-fully', 'iptables -t nat -A PREROUTING -p tcp -j REDIRECT --to-ports 80 --to-ports 81',
      ...NAT_LIST,
    ],
  },
  {
    name: 'NETMAP',
    steps: [
      'iptables -t nat -A PREROUTING -d 1.2.3.0/24 -j NETMAP --to 10.5.6.0/24', 'iptables -t nat -A POSTROUTING -s 10.5.6.0/24 -j NETMAP --to 1.2.3.0/24',
      'iptables -t nat -A OUTPUT -j NETMAP --to 192.168.0.0/16', 'iptables -t nat -A INPUT -j NETMAP --to 10.0.0.1', 'iptables -t nat -A PREROUTING -j NETMAP --to 10.0.0.0/255.255.0.0',
      'iptables -t nat -A PREROUTING -j NETMAP --to 10.0.0.1/8', 'iptables -t nat -A PREROUTING -j NETMAP --to 10.0.0.0/0', 'iptables -t nat -A PREROUTING -j NETMAP --to 10.0.0.0/255.0.255.0',
      'iptables -t nat -A PREROUTING -j NETMAP', 'iptables -t nat -A PREROUTING -j NETMAP --to 10.0.0.0/33', 'iptables -t nat -A PREROUTING -j NETMAP --to x', 'iptables -A INPUT -j NETMAP --to 10.0.0.0/8',
      'iptables -t nat -A PREROUTING -j NETMAP --to 10.0.0.0/8 --to 11.0.0.0/8', 'iptables -t nat -A PREROUTING -j NETMAP ! --to 10.0.0.0/8',
      ...NAT_LIST,
    ],
  },
  {
    name: 'TPROXY',
    steps: [
      'iptables -t mangle -A PREROUTING -p tcp --dport 80 -j TPROXY --on-port 3129 --on-ip 127.0.0.1 --tproxy-mark 0x1/0x1', 'iptables -t mangle -A PREROUTING -p udp -j TPROXY --on-port 53',
      'iptables -t mangle -A PREROUTING -p tcp -j TPROXY --on-port 0 --tproxy-mark 7', 'iptables -t mangle -A PREROUTING -p tcp -j TPROXY --on-ip 10.0.0.1 --on-port 1',
      'iptables -t mangle -A PREROUTING -p tcp -j TPROXY --on-port 1 --tproxy-mark 0x10/0xf0', 'iptables -t mangle -A PREROUTING -p tcp -j TPROXY', 'iptables -t mangle -A PREROUTING -p tcp -j TPROXY --on-ip 1.1.1.1',
      'iptables -t mangle -A PREROUTING -j TPROXY --on-port 1', 'iptables -t mangle -A PREROUTING -p icmp -j TPROXY --on-port 1', 'iptables -t mangle -A INPUT -p tcp -j TPROXY --on-port 1',
      'iptables -A INPUT -p tcp -j TPROXY --on-port 1', 'iptables -t mangle -A PREROUTING -p tcp -j TPROXY --on-port 65536', 'iptables -t mangle -A PREROUTING -p tcp -j TPROXY --on-port x',
      'iptables -t mangle -A PREROUTING -p tcp -j TPROXY --on-port 1 --on-ip 1.1.1', 'iptables -t mangle -A PREROUTING -p tcp -j TPROXY --on-port 1 --tproxy-mark x',
      'iptables -t mangle -A DIVERT -j MARK --set-mark 1', 'iptables -t mangle -N DIVERT', 'iptables -t mangle -A PREROUTING -p tcp -m socket -j DIVERT', 'iptables -t mangle -A DIVERT -p tcp -j TPROXY --on-port 1',
      'iptables -t mangle -A PREROUTING -p tcp -j TPROXY --on-port 1 --on-port 2', 'iptables -t mangle -A PREROUTING -p tcp -j TPROXY --on-port http',
      ...listings('mangle'),
    ],
  },
  {
    name: 'TEE and SYNPROXY',
    steps: [
      'iptables -t mangle -A PREROUTING -j TEE --gateway 10.0.0.2', 'iptables -t mangle -A POSTROUTING -j TEE --gateway 10.0.0.2 --oif eth0', 'iptables -A INPUT -j TEE --gateway 1.2.3.4',
      'iptables -t mangle -A PREROUTING -j TEE', 'iptables -t mangle -A PREROUTING -j TEE --oif eth0', 'iptables -t mangle -A PREROUTING -j TEE --gateway x',
      'iptables -t mangle -A PREROUTING -j TEE --gateway 10.0.0.2 --oif abcdefghijklmnop', 'iptables -t mangle -A PREROUTING -j TEE --gateway 10.0.0.2/24', 'iptables -t nat -A PREROUTING -j TEE --gateway 1.2.3.4',
      'iptables -t mangle -A PREROUTING -j TEE --gateway a_b', 'iptables -t mangle -A PREROUTING -j TEE --gateway 1.2.3.4.5', 'iptables -t mangle -A PREROUTING -j TEE --gateway ""',
      'iptables -t mangle -A PREROUTING -j TEE --gateway 0x7f.1', 'iptables -t mangle -A PREROUTING -j TEE --gateway localhost', 'iptables -t mangle -A PREROUTING -j TEE --gateway a.',
      'iptables -A INPUT -p tcp -j SYNPROXY --mss x', 'iptables -A INPUT -p tcp -j SYNPROXY --wscale 300', 'iptables -A INPUT -p tcp -j SYNPROXY --mss 70000', 'iptables -A INPUT -p tcp -j SYNPROXY --ecn --ecn',
      'iptables -t raw -A PREROUTING -p tcp --syn -j CT --notrack', 'iptables -A INPUT -p tcp -m tcp --dport 80 -m state --state INVALID,UNTRACKED -j SYNPROXY --sack-perm --timestamp --wscale 7 --mss 1460',
      'iptables -A INPUT -p tcp -m conntrack --ctstate INVALID,UNTRACKED -j SYNPROXY --ecn', 'iptables -A FORWARD -p tcp -j SYNPROXY', 'iptables -A INPUT -j SYNPROXY',
      'iptables -A INPUT ! -p tcp -j SYNPROXY', 'iptables -A OUTPUT -p tcp -j SYNPROXY', 'iptables -t mangle -A PREROUTING -p tcp -j SYNPROXY', 'iptables -A INPUT -p tcp -j SYNPROXY --wscale 15',
      'iptables -A INPUT -p tcp -j SYNPROXY --wscale 16', 'iptables -A INPUT -p tcp -j SYNPROXY --mss 65535', 'iptables -A INPUT -p tcp -j SYNPROXY --mss 65536', 'iptables -A INPUT -p tcp -j SYNPROXY --mss 0',
      'iptables -A INPUT -p tcp -j SYNPROXY --wscale 0',
      ...LIST, 'iptables -t mangle -S', 'iptables -t raw -S',
    ],
  },
  {
    name: 'REJECT CLUSTERIP and the standard target',
    steps: [
      'iptables -A INPUT -p tcp -j REJECT --reject-with tcp-reset', 'iptables -A INPUT -j REJECT --reject-with tcp-reset', 'iptables -A INPUT ! -p tcp -j REJECT --reject-with tcp-reset',
      'iptables -A INPUT -p udp -j REJECT --reject-with tcp-reset', 'iptables -A INPUT -j REJECT --reject-with net-unreach', 'iptables -A INPUT -j REJECT --reject-with host-unreach',
      'iptables -A INPUT -j REJECT --reject-with proto-unreach', 'iptables -A INPUT -j REJECT --reject-with net-prohib', 'iptables -A INPUT -j REJECT --reject-with host-prohib',
      'iptables -A INPUT -j REJECT --reject-with admin-prohib', 'iptables -A INPUT -j REJECT --reject-with icmp-echo-reply', 'iptables -A INPUT -j REJECT --reject-with tcp-reset --reject-with tcp-reset',
      'iptables -t nat -A PREROUTING -j REJECT', 'iptables -t mangle -A PREROUTING -j REJECT', 'iptables -t mangle -A INPUT -j REJECT', 'iptables -t raw -A PREROUTING -j REJECT',
      'iptables -A INPUT -d 10.0.0.1 -j CLUSTERIP --new --hashmode sourceip --clustermac 01:00:5e:00:00:20 --total-nodes 2 --local-node 1',
      'iptables -A INPUT -j CLUSTERIP', 'iptables -A INPUT -d 10.0.0.1 -j CLUSTERIP --new --hashmode foo --clustermac 01:00:5e:00:00:20 --total-nodes 2 --local-node 1',
      'iptables -A INPUT -j standard', 'iptables -A INPUT -j standard -j ACCEPT', 'iptables -N standard', 'iptables -N QUEUE', 'iptables -A INPUT -j QUEUE --foo',
      'iptables -A INPUT -j QUEUE', 'iptables -N NFQUEUE', 'iptables -N TPROXY', 'iptables -A INPUT -j ACCEPT --foo', 'iptables -A INPUT -j accept',
      'iptables -A INPUT -j DROP -j ACCEPT', 'iptables -A INPUT -j NFLOG -j ACCEPT', 'iptables -A INPUT -j LOG -j LOG',
      ...LIST, 'iptables -t nat -S', 'iptables -t mangle -S', 'iptables -t raw -S',
    ],
  },
  {
    name: 'nat targets restored',
    steps: [
      {
        line: 'iptables-restore',
        stdin: '*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n-A PREROUTING -d 1.2.3.0/24 -j NETMAP --to 10.5.6.0/24\n-A PREROUTING -p tcp -m tcp --dport 8080 -j DNAT --to-destination 10.0.0.1:80-90/85\n-A OUTPUT -p udp -m udp --dport 53 -j REDIRECT --to-ports 5353\n-A POSTROUTING -s 10.0.0.0/8 -p tcp -j MASQUERADE --to-ports 1024-65535 --random-fully\nCOMMIT\n*mangle\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -p tcp -m tcp --dport 80 -j TPROXY --on-port 3129 --on-ip 0.0.0.0 --tproxy-mark 0x1/0x1\n-A PREROUTING -j TEE --gateway 10.0.0.2\nCOMMIT\n*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp -m tcp --dport 80 -m conntrack --ctstate INVALID,UNTRACKED -j SYNPROXY --sack-perm --timestamp --wscale 7 --mss 1460\nCOMMIT\n',
      },
      'iptables-save', 'iptables -t nat -L -n -v', 'iptables -t mangle -L -n',
      { line: 'iptables-restore', stdin: '*nat\n-A POSTROUTING -j NETMAP --to 10.0.0.0/8\nCOMMIT\n*filter\n-A INPUT -j NETMAP --to 10.0.0.0/8\nCOMMIT\n' },
      { line: 'iptables-restore', stdin: '*mangle\n-A PREROUTING -j TPROXY --on-port 1\nCOMMIT\n' },
      { line: 'iptables-restore', stdin: '*filter\n-A INPUT -j CLUSTERIP --new\nCOMMIT\n' },
      'iptables-save -t nat',
    ],
  },
]
