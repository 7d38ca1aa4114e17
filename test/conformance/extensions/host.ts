/**
 * Matches about the host, its interfaces, sockets and sets: addrtype, devgroup, mac, owner, cgroup, socket,
 * rpfilter, bpf, pkttype, physdev, policy, ipvs, osf, iprange, multiport, comment, mark, set and the SET target.
 */
import type { ConformanceCase } from '../cases.ts'
import { LIST } from './listings.ts'


export const HOST_CASES: ConformanceCase[] = [
  {
    name: 'addrtype every type',
    steps: [
      'iptables -A INPUT -m addrtype --src-type UNSPEC,UNICAST,LOCAL,BROADCAST,ANYCAST,MULTICAST,BLACKHOLE,UNREACHABLE,PROHIBIT,THROW,NAT,XRESOLVE',
      'iptables -A INPUT -m addrtype ! --src-type local ! --dst-type unicast', 'iptables -A INPUT -m addrtype --dst-type LOCAL --limit-iface-in',
      'iptables -A OUTPUT -m addrtype --src-type LOCAL --limit-iface-out', 'iptables -A FORWARD -m addrtype --dst-type BROADCAST --limit-iface-out',
      'iptables -A INPUT -m addrtype', 'iptables -A INPUT -m addrtype --dst-type FOO', 'iptables -A INPUT -m addrtype --dst-type LOCAL --dst-type UNICAST',
      'iptables -A INPUT -m addrtype --dst-type LOCAL --limit-iface-in --limit-iface-out', 'iptables -A INPUT -m addrtype --dst-type LOCAL --limit-iface-out',
      'iptables -A OUTPUT -m addrtype --dst-type LOCAL --limit-iface-in', 'iptables -A INPUT -m addrtype --src-type ""', 'iptables -A INPUT -m addrtype --src-type LOCAL,',
      ...LIST,
    ],
  },
  {
    name: 'devgroup',
    steps: [
      'iptables -A INPUT -m devgroup --src-group 1', 'iptables -A FORWARD -m devgroup ! --src-group 0x10/0xff ! --dst-group 2', 'iptables -A OUTPUT -m devgroup --dst-group default',
      'iptables -A INPUT -m devgroup --src-group default', 'iptables -A INPUT -m devgroup --dst-group 1', 'iptables -A OUTPUT -m devgroup --src-group 1',
      'iptables -A INPUT -m devgroup', 'iptables -A INPUT -m devgroup --src-group nosuch', 'iptables -A INPUT -m devgroup --src-group 1 --src-group 2',
      'iptables -t nat -A POSTROUTING -m devgroup --dst-group 3', 'iptables -t nat -A PREROUTING -m devgroup --src-group 3', 'iptables -t nat -A PREROUTING -m devgroup --dst-group 3',
      ...LIST, 'iptables -t nat -S',
    ],
  },
  {
    name: 'mac',
    steps: [
      'iptables -A INPUT -m mac --mac-source 00:11:22:33:44:55', 'iptables -A INPUT -m mac ! --mac-source AA:bb:CC:dd:EE:ff', 'iptables -A FORWARD -m mac --mac-source 0:1:2:3:4:5',
      'iptables -A INPUT -m mac --mac-source 00:11:22:33:44', 'iptables -A INPUT -m mac --mac-source 00:11:22:33:44:555', 'iptables -A INPUT -m mac --mac-source xx:11:22:33:44:55',
      'iptables -A INPUT -m mac', 'iptables -A OUTPUT -m mac --mac-source 00:11:22:33:44:55', 'iptables -t nat -A POSTROUTING -m mac --mac-source 00:11:22:33:44:55',
      'iptables -A INPUT -m mac --mac-source 00:11:22:33:44:55 --mac-source 00:11:22:33:44:66',
      ...LIST,
    ],
  },
  {
    name: 'owner',
    steps: [
      'iptables -A OUTPUT -m owner --uid-owner 0', 'iptables -A OUTPUT -m owner --uid-owner root', 'iptables -A OUTPUT -m owner ! --uid-owner 1000-2000',
      'iptables -A OUTPUT -m owner --gid-owner www-data', 'iptables -A OUTPUT -m owner --gid-owner 100 --suppl-groups', 'iptables -A OUTPUT -m owner --socket-exists',
      'iptables -A OUTPUT -m owner ! --socket-exists', 'iptables -A OUTPUT -m owner --uid-owner 0 --gid-owner 0 --socket-exists', 'iptables -A POSTROUTING -t mangle -m owner --uid-owner nobody',
      'iptables -A OUTPUT -m owner --uid-owner 4294967294', 'iptables -A OUTPUT -m owner --uid-owner 4294967295', 'iptables -A OUTPUT -m owner --uid-owner nosuchuser',
      'iptables -A OUTPUT -m owner --uid-owner 5-1', 'iptables -A OUTPUT -m owner', 'iptables -A OUTPUT -m owner --suppl-groups', 'iptables -A INPUT -m owner --uid-owner 0',
      'iptables -A OUTPUT -m owner --uid-owner 0 --uid-owner 1', 'iptables -A OUTPUT -m owner --gid-owner sudo', 'iptables -A OUTPUT -m owner ! --gid-owner 27-30 --suppl-groups',
      ...LIST,
    ],
  },
  {
    name: 'cgroup',
    steps: [
      'iptables -A OUTPUT -m cgroup --cgroup 1', 'iptables -A OUTPUT -m cgroup ! --cgroup 0x100001', 'iptables -A OUTPUT -m cgroup --path /',
      'iptables -A OUTPUT -m cgroup ! --path "/user.slice"', 'iptables -A OUTPUT -m cgroup --path system.slice/nosuch', 'iptables -A INPUT -m cgroup --cgroup 1',
      'iptables -A OUTPUT -m cgroup', 'iptables -A OUTPUT -m cgroup --cgroup 1 --path /', 'iptables -A OUTPUT -m cgroup --cgroup x', 'iptables -A OUTPUT -m cgroup --path ""',
      'iptables -A OUTPUT -m cgroup --path "a b"', 'iptables -A POSTROUTING -t mangle -m cgroup --cgroup 2',
      ...LIST,
    ],
  },
  {
    name: 'socket',
    steps: [
      'iptables -t mangle -A PREROUTING -m socket', 'iptables -t mangle -A PREROUTING -m socket --transparent', 'iptables -t mangle -A PREROUTING -m socket --nowildcard',
      'iptables -t mangle -A PREROUTING -m socket --restore-skmark', 'iptables -t mangle -A PREROUTING -m socket --transparent --nowildcard --restore-skmark',
      'iptables -A INPUT -m socket --transparent', 'iptables -A OUTPUT -m socket', 'iptables -t mangle -A PREROUTING -m socket ! --transparent', 'iptables -t mangle -A PREROUTING ! -m socket',
      'iptables -t nat -A PREROUTING -m socket', 'iptables -t mangle -A POSTROUTING -m socket',
      'iptables -t mangle -S', 'iptables -t mangle -L -n', 'iptables -t mangle -L', ...LIST,
    ],
  },
  {
    name: 'rpfilter',
    steps: [
      'iptables -t raw -A PREROUTING -m rpfilter', 'iptables -t raw -A PREROUTING -m rpfilter --invert -j DROP', 'iptables -t raw -A PREROUTING -m rpfilter --loose --validmark --accept-local',
      'iptables -t mangle -A PREROUTING -m rpfilter --loose', 'iptables -A INPUT -m rpfilter', 'iptables -t mangle -A INPUT -m rpfilter', 'iptables -t raw -A OUTPUT -m rpfilter',
      'iptables -t nat -A PREROUTING -m rpfilter', 'iptables -t raw -A PREROUTING -m rpfilter ! --loose', 'iptables -t raw -A PREROUTING -m rpfilter --loose --loose',
      'iptables -t raw -S', 'iptables -t raw -L -n', 'iptables -t raw -L', 'iptables -t mangle -S',
    ],
  },
  {
    name: 'bpf',
    steps: [
      "iptables -A INPUT -m bpf --bytecode '4,48 0 0 9,21 0 1 6,6 0 0 1,6 0 0 0'", "iptables -A INPUT -m bpf ! --bytecode '1,6 0 0 65535'",
      "iptables -A INPUT -m bpf --bytecode '2,40 0 0 2,6 0 0 0,'", "iptables -A INPUT -m bpf --bytecode '1,6 0 0 0' --bytecode '1,6 0 0 0'",
      "iptables -A INPUT -m bpf --bytecode '2,6 0 0 0'", "iptables -A INPUT -m bpf --bytecode 'x'", "iptables -A INPUT -m bpf --bytecode '0'",
      "iptables -A INPUT -m bpf --bytecode '1,6 0 0'", 'iptables -A INPUT -m bpf', 'iptables -A INPUT -m bpf --object-pinned /sys/fs/bpf/nosuch',
      "iptables -A INPUT -m bpf --bytecode '1,255 0 0 0'", "iptables -A INPUT -m bpf --bytecode '65,6 0 0 0'",
      ...LIST,
    ],
  },
  {
    name: 'pkttype',
    steps: [
      'iptables -A INPUT -m pkttype --pkt-type unicast', 'iptables -A INPUT -m pkttype ! --pkt-type broadcast', 'iptables -A INPUT -m pkttype --pkt-type MULTICAST',
      'iptables -A INPUT -m pkttype --pkt-type host', 'iptables -A INPUT -m pkttype --pkt-type otherhost', 'iptables -A INPUT -m pkttype --pkt-type outgoing',
      'iptables -A INPUT -m pkttype --pkt-type loopback', 'iptables -A INPUT -m pkttype --pkt-type foo', 'iptables -A INPUT -m pkttype',
      'iptables -A INPUT -m pkttype --pkt-type unicast --pkt-type broadcast', 'iptables -A INPUT -m pkttype --pkt-type 1', ...LIST,
    ],
  },
  {
    name: 'physdev',
    steps: [
      'iptables -A FORWARD -m physdev --physdev-in veth1', 'iptables -A FORWARD -m physdev --physdev-out eth+', 'iptables -A FORWARD -m physdev ! --physdev-in cni0 ! --physdev-out vethX',
      'iptables -A FORWARD -m physdev --physdev-is-in', 'iptables -A FORWARD -m physdev ! --physdev-is-out', 'iptables -A FORWARD -m physdev --physdev-is-bridged',
      'iptables -A FORWARD -m physdev ! --physdev-is-bridged', 'iptables -A FORWARD -m physdev --physdev-is-in --physdev-is-out --physdev-is-bridged --physdev-in a --physdev-out b',
      'iptables -A INPUT -m physdev --physdev-in veth1', 'iptables -A OUTPUT -m physdev --physdev-out veth1', 'iptables -A INPUT -m physdev --physdev-out veth1',
      'iptables -A OUTPUT -m physdev --physdev-is-bridged', 'iptables -A FORWARD -m physdev', 'iptables -A FORWARD -m physdev --physdev-in abcdefghijklmnop',
      'iptables -A FORWARD -m physdev --physdev-in veth1 --physdev-in veth2', 'iptables -t nat -A POSTROUTING -m physdev --physdev-out veth1', 'iptables -t nat -A POSTROUTING -m physdev --physdev-is-bridged',
      'iptables -t mangle -A PREROUTING -m physdev --physdev-in veth1', 'iptables -t mangle -A POSTROUTING -m physdev --physdev-out veth1',
      'iptables -A FORWARD -m physdev --physdev-in +', 'iptables -A FORWARD -m physdev --physdev-out ""',
      ...LIST, 'iptables -t nat -S', 'iptables -t mangle -S',
    ],
  },
  {
    name: 'policy',
    steps: [
      'iptables -A INPUT -m policy --dir in --pol none', 'iptables -A INPUT -m policy --dir in --pol ipsec', 'iptables -A OUTPUT -m policy --dir out --pol ipsec --strict --proto esp --mode tunnel --tunnel-src 1.2.3.4 --tunnel-dst 5.6.7.8/24',
      'iptables -A INPUT -m policy --dir in --pol ipsec --reqid 1 --spi 0x100 --proto ah --mode transport', 'iptables -A INPUT -m policy --dir in --pol ipsec ! --reqid 2 ! --spi 3 ! --proto ipcomp ! --mode tunnel ! --tunnel-src 1.1.1.1 ! --tunnel-dst 2.2.2.2',
      'iptables -A INPUT -m policy --dir in --pol ipsec --strict --proto esp --next --proto ah', 'iptables -A FORWARD -m policy --dir out --pol ipsec',
      'iptables -A INPUT -m policy --pol none', 'iptables -A INPUT -m policy --dir in', 'iptables -A INPUT -m policy --dir out --pol none', 'iptables -A OUTPUT -m policy --dir in --pol none',
      'iptables -A INPUT -m policy --dir up --pol none', 'iptables -A INPUT -m policy --dir in --pol foo', 'iptables -A INPUT -m policy --dir in --pol ipsec --proto udp',
      'iptables -A INPUT -m policy --dir in --pol ipsec --mode foo', 'iptables -A INPUT -m policy --dir in --pol ipsec --next', 'iptables -A INPUT -m policy --dir in --pol none --strict',
      'iptables -A INPUT -m policy --dir in --pol ipsec --proto esp --proto ah', 'iptables -A INPUT -m policy --dir in --pol ipsec --tunnel-src 1.2.3.4',
      'iptables -t nat -A PREROUTING -m policy --dir in --pol none', 'iptables -t nat -A POSTROUTING -m policy --dir out --pol ipsec',
      ...LIST, 'iptables -t nat -S',
    ],
  },
  {
    name: 'ipvs and osf',
    steps: [
      'iptables -A INPUT -m ipvs --ipvs', 'iptables -A INPUT -m ipvs ! --ipvs --vproto tcp --vaddr 10.0.0.1/24 --vport 80 --vdir ORIGINAL --vmethod MASQ --vportctl 21',
      'iptables -A INPUT -m ipvs', 'iptables -A INPUT -m ipvs --vmethod FOO', 'iptables -A INPUT -m ipvs --vdir BOTH',
      'iptables -A INPUT -p tcp -m osf --genre Linux', 'iptables -A INPUT -p tcp -m osf ! --genre Windows --ttl 1 --log 2', 'iptables -A INPUT -m osf --genre Linux',
      'iptables -A INPUT -p tcp -m osf', 'iptables -A INPUT -p tcp -m osf --genre Linux --ttl 3', 'iptables -A INPUT -p tcp -m osf --genre Linux --log 3',
      'iptables -A INPUT -p tcp -m osf --genre ' + 'g'.repeat(40),
      ...LIST,
    ],
  },
  {
    name: 'iprange multiport comment mark',
    steps: [
      'iptables -A INPUT -m iprange --src-range 10.0.0.5', 'iptables -A INPUT -m iprange --src-range 10.0.0.9-10.0.0.1', 'iptables -A INPUT -m iprange ! --src-range 1.1.1.1-2.2.2.2 ! --dst-range 3.3.3.3-4.4.4.4',
      'iptables -A INPUT -m iprange --src-range 10.0.0.1-', 'iptables -A INPUT -m iprange --src-range 300.0.0.1-10.0.0.1', 'iptables -A INPUT -m iprange --dst-range localhost-10.0.0.1',
      'iptables -A INPUT -m iprange', 'iptables -A INPUT -m iprange --src-range 1.1.1.1-2.2.2.2 --src-range 3.3.3.3', 'iptables -A INPUT -m iprange --src-range 10.1-10.2',
      'iptables -A INPUT -p tcp -m multiport --dports 1:2,3:4,5:6,7:8,9:10,11:12,13:14,15', 'iptables -A INPUT -p tcp -m multiport --dports 1:2,3:4,5:6,7:8,9:10,11:12,13:14,15:16',
      'iptables -A INPUT -p udp -m multiport --sports 53 --dports 54', 'iptables -A INPUT -p sctp -m multiport --ports 1,2', 'iptables -A INPUT -p dccp -m multiport --dports 1,2',
      'iptables -A INPUT -p udplite -m multiport --dports 1', 'iptables -A INPUT -p icmp -m multiport --dports 1', 'iptables -A INPUT ! -p tcp -m multiport --dports 1',
      'iptables -A INPUT -p tcp -m multiport --dports 5:1', 'iptables -A INPUT -p tcp -m multiport --dports ""', 'iptables -A INPUT -p tcp -m multiport --dports 1,',
      'iptables -A INPUT -m comment --comment "x" -m comment --comment "y"', 'iptables -A INPUT -m comment', 'iptables -A INPUT -m comment ! --comment x',
      'iptables -A INPUT -m mark --mark 0x1/0x0', 'iptables -A INPUT -m mark', 'iptables -A INPUT -m mark --mark 1 --mark 2', 'iptables -A INPUT -m mark --mark -1',
      ...LIST,
    ],
  },
  {
    name: 'set match every option',
    steps: [
      'ipset create s1 hash:ip', 'ipset create s2 hash:ip,port', 'ipset create s3 hash:net',
      'iptables -A INPUT -m set --match-set s1 src', 'iptables -A INPUT -m set ! --match-set s2 src,dst', 'iptables -A INPUT -m set --match-set s1 dst --return-nomatch',
      'iptables -A INPUT -m set --match-set s1 src ! --update-counters', 'iptables -A INPUT -m set --match-set s1 src ! --update-subcounters',
      'iptables -A INPUT -m set --match-set s1 src --packets-eq 10', 'iptables -A INPUT -m set --match-set s1 src ! --packets-eq 10', 'iptables -A INPUT -m set --match-set s1 src --packets-lt 5',
      'iptables -A INPUT -m set --match-set s1 src --packets-gt 5', 'iptables -A INPUT -m set --match-set s1 src --bytes-eq 100', 'iptables -A INPUT -m set --match-set s1 src ! --bytes-eq 100',
      'iptables -A INPUT -m set --match-set s1 src --bytes-lt 100', 'iptables -A INPUT -m set --match-set s1 src --bytes-gt 100', 'iptables -A INPUT -m set --match-set s3 src,src,dst,dst,src,dst',
      'iptables -A INPUT -m set --set s1 src', 'iptables -A INPUT -m set --match-set s1 src -m set --match-set s3 dst',
      ...LIST,
    ],
  },
  {
    name: 'set match errors',
    steps: [
      'ipset create s1 hash:ip', 'iptables -A INPUT -m set', 'iptables -A INPUT -m set --match-set s1', 'iptables -A INPUT -m set --match-set s1 foo',
      'iptables -A INPUT -m set --match-set s1 src,dst,src,dst,src,dst,src', 'iptables -A INPUT -m set --match-set nosuch src', 'iptables -A INPUT -m set --match-set s1 src --match-set s1 dst',
      'iptables -A INPUT -m set --match-set s1 src --packets-eq x', 'iptables -A INPUT -m set --match-set s1 src --packets-lt 1 --packets-gt 2', 'iptables -A INPUT -m set --return-nomatch',
      'iptables -A INPUT -m set --match-set ' + 's'.repeat(32) + ' src', 'iptables -A INPUT -m set --match-set s1 src ! --return-nomatch', 'iptables -A INPUT -m set --match-set s1 ""',
      'iptables -A INPUT -m set --match-set s1 src,', 'iptables -A INPUT -m set --match-set s1 src --packets-eq 1 --packets-eq 2', 'iptables -S',
    ],
  },
  {
    name: 'SET target',
    steps: [
      'ipset create s1 hash:ip', 'ipset create s2 hash:ip,port', 'ipset create m1 hash:ip skbinfo',
      'iptables -A INPUT -j SET --add-set s1 src', 'iptables -A INPUT -j SET --del-set s1 dst', 'iptables -A INPUT -j SET --add-set s1 src --exist --timeout 60',
      'iptables -A INPUT -j SET --add-set s2 src,dst --del-set s1 src', 'iptables -A INPUT -j SET --map-set m1 src --map-mark --map-prio --map-queue',
      'iptables -t mangle -A PREROUTING -j SET --map-set m1 src --map-mark', 'iptables -t mangle -A POSTROUTING -j SET --map-set m1 dst --map-prio --map-queue',
      'iptables -A INPUT -j SET --add-set s1 src --timeout 0', 'iptables -A INPUT -j SET --add-set s1 src --exist',
      'iptables -A INPUT -j SET', 'iptables -A INPUT -j SET --add-set nosuch src', 'iptables -A INPUT -j SET --add-set s1 foo', 'iptables -A INPUT -j SET --add-set s1 src --timeout x',
      'iptables -A INPUT -j SET --add-set s1 src --add-set s1 dst', 'iptables -A INPUT -j SET --map-set m1 src', 'iptables -A INPUT -j SET --map-set m1 src --map-queue',
      'iptables -A INPUT -j SET --add-set s1 src --map-mark', 'iptables -A INPUT -j SET --del-set s1 src --timeout 5', 'iptables -A INPUT -j SET --del-set s1 src --exist',
      'iptables -A INPUT -j SET --add-set s1', 'iptables -A INPUT -j SET --map-set s1 src --map-mark',
      ...LIST, 'iptables -t mangle -S',
    ],
  },
]
