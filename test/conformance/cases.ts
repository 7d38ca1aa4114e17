import { readFileSync, readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import { createRng } from '../../src/engine/random.ts'

/**
 * Command-line conformance cases: each is a short script run on a fresh node (the real tool in a fresh
 * network namespace for generate.ts, a fresh Ruleset for conformance.test.ts).
 */
export interface CaseStep {
  line: string
  /** Standard input (iptables-restore). */
  stdin?: string
}

export interface ConformanceCase {
  name: string
  steps: (string | CaseStep)[]
}

const KUBE_RESTORE = `*filter
:KUBE-SERVICES - [0:0]
:KUBE-FORWARD - [0:0]
-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP
-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT
-A KUBE-SERVICES -d 10.96.0.20/32 -p tcp -m comment --comment "default/none:http has no endpoints" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable
-A FORWARD -m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD
COMMIT
*nat
:PREROUTING ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:KUBE-SERVICES - [0:0]
:KUBE-POSTROUTING - [0:0]
:KUBE-MARK-MASQ - [0:0]
:KUBE-SVC-ABC - [0:0]
:KUBE-SEP-1 - [0:0]
:KUBE-SEP-2 - [0:0]
-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING
-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000
-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully
-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
-A KUBE-SERVICES -d 10.96.0.10/32 -p tcp -m comment --comment "default/nginx:http cluster IP" -m tcp --dport 80 -j KUBE-SVC-ABC
-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
-A KUBE-SVC-ABC ! -s 10.244.0.0/16 -d 10.96.0.10/32 -p tcp -m comment --comment "default/nginx:http cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ
-A KUBE-SVC-ABC -m comment --comment "default/nginx:http -> 10.244.1.2:80" -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-1
-A KUBE-SVC-ABC -m comment --comment "default/nginx:http -> 10.244.2.2:80" -j KUBE-SEP-2
-A KUBE-SEP-1 -s 10.244.1.2/32 -m comment --comment "default/nginx:http" -j KUBE-MARK-MASQ
-A KUBE-SEP-1 -p tcp -m comment --comment "default/nginx:http" -m tcp -j DNAT --to-destination 10.244.1.2:80
-A KUBE-SEP-2 -s 10.244.2.2/32 -m comment --comment "default/nginx:http" -j KUBE-MARK-MASQ
-A KUBE-SEP-2 -p tcp -m comment --comment "default/nginx:http" -m tcp -j DNAT --to-destination 10.244.2.2:80
COMMIT
`

const KUBE_RESTORE_FIXED = KUBE_RESTORE.replace(':KUBE-SEP-2 - [0:0]', ':KUBE-SEP-2 - [0:0]\n:KUBE-NODEPORTS - [0:0]')

export const CASES: ConformanceCase[] = [
  // ---- empty state and listing
  { name: 'empty save', steps: [] },
  { name: 'list empty filter', steps: ['iptables -L'] },
  { name: 'list empty numeric verbose', steps: ['iptables -L -n -v'] },
  { name: 'list empty all flags', steps: ['iptables -L -n -v -x --line-numbers'] },
  { name: 'list-rules empty', steps: ['iptables -S'] },
  { name: 'list nat empty', steps: ['iptables -t nat -L -n'] },
  { name: 'list-rules nat', steps: ['iptables -t nat -S'] },
  { name: 'list-rules raw', steps: ['iptables -t raw -S'] },
  { name: 'list-rules mangle', steps: ['iptables -t mangle -S'] },
  { name: 'list-rules security', steps: ['iptables -t security -S'] },
  { name: 'list one chain', steps: ['iptables -L INPUT -n'] },
  { name: 'list-rules one chain', steps: ['iptables -S OUTPUT'] },
  { name: 'list unknown chain', steps: ['iptables -L FOO'] },
  { name: 'list-rules unknown chain', steps: ['iptables -S FOO'] },
  { name: 'bad table', steps: ['iptables -t foo -L'] },
  { name: 'save after only listing nat', steps: ['iptables -t nat -L -n', 'iptables-save'] },
  { name: 'save after listing all tables', steps: ['iptables -t raw -S', 'iptables -t mangle -S', 'iptables -t nat -S', 'iptables -S', 'iptables -t security -S'] },

  // ---- addresses
  { name: 'source host', steps: ['iptables -A INPUT -s 192.168.1.1 -j DROP', 'iptables -S'] },
  { name: 'source cidr masked', steps: ['iptables -A INPUT -s 10.1.2.3/8 -j ACCEPT', 'iptables -S INPUT'] },
  { name: 'source dotted mask', steps: ['iptables -A INPUT -s 10.1.2.3/255.255.0.0 -j ACCEPT', 'iptables -A INPUT -d 10.0.0.0/255.0.255.0 -j ACCEPT', 'iptables -S INPUT'] },
  { name: 'source zero prefix', steps: ['iptables -A INPUT -s 0.0.0.0/0 -j ACCEPT', 'iptables -A INPUT -d 1.2.3.4/0 -j ACCEPT', 'iptables -S INPUT'] },
  { name: 'short address autocomplete', steps: ['iptables -A INPUT -s 10.1 -j ACCEPT', 'iptables -A INPUT -d 172.16/12 -j ACCEPT', 'iptables -S INPUT'] },
  { name: 'negated addresses', steps: ['iptables -A INPUT ! -s 10.0.0.0/8 ! -d 10.96.0.1 -j ACCEPT', 'iptables -S INPUT', 'iptables -L INPUT -n'] },
  { name: 'bad address', steps: ['iptables -A INPUT -s 300.1.1.1 -j DROP'] },
  { name: 'bad prefix', steps: ['iptables -A INPUT -s 10.0.0.0/33 -j DROP'] },
  { name: 'bad mask', steps: ['iptables -A INPUT -s 10.0.0.0/255.0.255.0 -j DROP', 'iptables -S INPUT'] },
  { name: 'localhost name', steps: ['iptables -A INPUT -s localhost -j ACCEPT', 'iptables -S INPUT', 'iptables -L INPUT'] },
  { name: 'unknown host name', steps: ['iptables -A INPUT -s no-such-host.invalid -j ACCEPT'] },
  { name: 'double source', steps: ['iptables -A INPUT -s 1.1.1.1 -s 2.2.2.2 -j ACCEPT'] },
  { name: 'long options', steps: ['iptables --table filter --append INPUT --source 10.0.0.1 --destination 10.0.0.2 --protocol tcp --in-interface eth0 --jump ACCEPT', 'iptables --list-rules INPUT'] },
  { name: 'old style negation', steps: ['iptables -A INPUT -s ! 10.0.0.1 -j ACCEPT'] },

  // ---- protocols and interfaces
  { name: 'protocol names and numbers', steps: ['iptables -A INPUT -p tcp -j ACCEPT', 'iptables -A INPUT -p 17 -j ACCEPT', 'iptables -A INPUT -p TCP -j ACCEPT', 'iptables -A INPUT -p all -j ACCEPT', 'iptables -A INPUT -p 47 -j ACCEPT', 'iptables -A INPUT -p icmp -j ACCEPT', 'iptables -A INPUT -p sctp -j ACCEPT', 'iptables -A INPUT ! -p udp -j ACCEPT', 'iptables -A INPUT -p 0 -j ACCEPT', 'iptables -S INPUT', 'iptables -L INPUT -n', 'iptables -L INPUT'] },
  { name: 'protocol unknown', steps: ['iptables -A INPUT -p foo -j ACCEPT'] },
  { name: 'protocol out of range', steps: ['iptables -A INPUT -p 256 -j ACCEPT'] },
  { name: 'protocol gre name', steps: ['iptables -A INPUT -p gre -j ACCEPT', 'iptables -A INPUT -p esp -j ACCEPT', 'iptables -S INPUT'] },
  { name: 'interfaces', steps: ['iptables -A FORWARD -i eth0 -o eth1 -j ACCEPT', 'iptables -A FORWARD -i veth+ ! -o lo -j ACCEPT', 'iptables -A FORWARD ! -i cni0 -j DROP', 'iptables -S FORWARD', 'iptables -L FORWARD -n -v'] },
  { name: 'output interface in INPUT', steps: ['iptables -A INPUT -o eth0 -j ACCEPT'] },
  { name: 'input interface in OUTPUT', steps: ['iptables -A OUTPUT -i eth0 -j ACCEPT'] },
  { name: 'input interface in POSTROUTING', steps: ['iptables -t nat -A POSTROUTING -i eth0 -j ACCEPT'] },
  { name: 'interface too long', steps: ['iptables -A INPUT -i abcdefghijklmnopq -j ACCEPT'] },
  { name: 'fragment', steps: ['iptables -A INPUT -f -j DROP', 'iptables -A INPUT ! -f -j ACCEPT', 'iptables -S INPUT', 'iptables -L INPUT -n'] },

  // ---- tcp / udp
  { name: 'tcp dport implicit match', steps: ['iptables -A INPUT -p tcp --dport 80 -j ACCEPT', 'iptables -S INPUT'] },
  { name: 'tcp explicit match before protocol', steps: ['iptables -t filter -I INPUT -m tcp -p tcp --dport 80 -j REJECT', 'iptables -S INPUT'] },
  { name: 'tcp ports and ranges', steps: ['iptables -A INPUT -p tcp --sport 1024:65535 --dport 22 -j ACCEPT', 'iptables -A INPUT -p tcp --dport :1023 -j ACCEPT', 'iptables -A INPUT -p tcp --dport 8000: -j ACCEPT', 'iptables -A INPUT -p tcp ! --dport 443 -j ACCEPT', 'iptables -A INPUT -p tcp --dport ssh -j ACCEPT', 'iptables -A INPUT -p tcp --dport 80:80 -j ACCEPT', 'iptables -S INPUT', 'iptables -L INPUT', 'iptables -L INPUT -n'] },
  { name: 'tcp port out of range', steps: ['iptables -A INPUT -p tcp --dport 70000 -j ACCEPT'] },
  { name: 'tcp port unknown name', steps: ['iptables -A INPUT -p tcp --dport nosuchservice -j ACCEPT'] },
  { name: 'tcp reversed range', steps: ['iptables -A INPUT -p tcp --dport 90:80 -j ACCEPT', 'iptables -S INPUT'] },
  { name: 'dport without protocol', steps: ['iptables -A INPUT --dport 80 -j ACCEPT'] },
  { name: 'tcp flags', steps: ['iptables -A INPUT -p tcp --tcp-flags SYN,ACK SYN -j ACCEPT', 'iptables -A INPUT -p tcp --syn -j ACCEPT', 'iptables -A INPUT -p tcp ! --syn -j ACCEPT', 'iptables -A INPUT -p tcp --tcp-flags ALL NONE -j DROP', 'iptables -A INPUT -p tcp --tcp-flags ALL FIN,URG,PSH -j DROP', 'iptables -S INPUT', 'iptables -L INPUT -n'] },
  { name: 'tcp option', steps: ['iptables -A INPUT -p tcp --tcp-option 2 -j ACCEPT', 'iptables -S INPUT'] },
  { name: 'udp ports', steps: ['iptables -A INPUT -p udp --dport 53 -j ACCEPT', 'iptables -A INPUT -p udp -m udp --sport 67:68 -j ACCEPT', 'iptables -S INPUT', 'iptables -L INPUT', 'iptables -L INPUT -n -v'] },
  { name: 'udp with tcp options', steps: ['iptables -A INPUT -p udp --syn -j ACCEPT'] },
  { name: 'tcp match with udp protocol', steps: ['iptables -A INPUT -p udp -m tcp --dport 80 -j ACCEPT'] },
  { name: 'tcp match without protocol', steps: ['iptables -A INPUT -m tcp --dport 80 -j ACCEPT'] },

  // ---- icmp
  { name: 'icmp types', steps: ['iptables -A INPUT -p icmp --icmp-type echo-request -j ACCEPT', 'iptables -A INPUT -p icmp --icmp-type 0 -j ACCEPT', 'iptables -A INPUT -p icmp --icmp-type 3/4 -j ACCEPT', 'iptables -A INPUT -p icmp --icmp-type any -j ACCEPT', 'iptables -A INPUT -p icmp ! --icmp-type destination-unreachable -j ACCEPT', 'iptables -A INPUT -p icmp --icmp-type ping -j ACCEPT', 'iptables -A INPUT -p icmp --icmp-type fragmentation-needed -j ACCEPT', 'iptables -A INPUT -p icmp --icmp-type 13 -j ACCEPT', 'iptables -S INPUT', 'iptables -L INPUT -n'] },
  { name: 'icmp unknown type', steps: ['iptables -A INPUT -p icmp --icmp-type bogus -j ACCEPT'] },

  // ---- multiport and comment
  { name: 'multiport', steps: ['iptables -A INPUT -p tcp -m multiport --dports 80,443,8000:8080 -j ACCEPT', 'iptables -A INPUT -p udp -m multiport --sports 53,67 -j ACCEPT', 'iptables -A INPUT -p tcp -m multiport ! --ports 22 -j ACCEPT', 'iptables -A INPUT -p tcp -m multiport --dports http,https -j ACCEPT', 'iptables -S INPUT', 'iptables -L INPUT', 'iptables -L INPUT -n'] },
  { name: 'multiport without protocol', steps: ['iptables -A INPUT -m multiport --dports 80 -j ACCEPT'] },
  { name: 'multiport too many ports', steps: ['iptables -A INPUT -p tcp -m multiport --dports 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16 -j ACCEPT'] },
  { name: 'comment quoting', steps: ['iptables -A INPUT -m comment --comment "hello world" -j ACCEPT', 'iptables -A INPUT -m comment --comment single -j ACCEPT', `iptables -A INPUT -m comment --comment 'say "hi"' -j ACCEPT`, 'iptables -A INPUT -m comment --comment "a\\\\b" -j ACCEPT', 'iptables -S INPUT', 'iptables -L INPUT -n', 'iptables -L INPUT -n -v'] },
  { name: 'comment too long', steps: ['iptables -A INPUT -m comment --comment "' + 'x'.repeat(256) + '" -j ACCEPT'] },
  { name: 'comment empty', steps: ['iptables -A INPUT -m comment --comment "" -j ACCEPT', 'iptables -S INPUT'] },
  { name: 'unknown module', steps: ['iptables -A INPUT -m nosuchmodule -j ACCEPT'] },
  { name: 'unknown option', steps: ['iptables -A INPUT --foo -j ACCEPT'] },
  { name: 'unknown short option', steps: ['iptables -A INPUT -y -j ACCEPT'] },

  // ---- statistic, mark, conntrack, state
  { name: 'statistic', steps: ['iptables -t nat -N S', 'iptables -t nat -A S -m statistic --mode random --probability 0.5 -j RETURN', 'iptables -t nat -A S -m statistic --mode random --probability 0.33333333349 -j RETURN', 'iptables -t nat -A S -m statistic --mode nth --every 3 --packet 0 -j RETURN', 'iptables -t nat -A S -m statistic --mode nth --every 2 -j RETURN', 'iptables -t nat -A S -m statistic --mode random ! --probability 0.25 -j RETURN', 'iptables -t nat -S S', 'iptables -t nat -L S -n'] },
  { name: 'statistic bad probability', steps: ['iptables -A INPUT -m statistic --mode random --probability 1.5 -j ACCEPT'] },
  { name: 'statistic missing mode', steps: ['iptables -A INPUT -m statistic --probability 0.5 -j ACCEPT'] },
  { name: 'mark match', steps: ['iptables -A INPUT -m mark --mark 0x4000/0x4000 -j ACCEPT', 'iptables -A INPUT -m mark ! --mark 1 -j ACCEPT', 'iptables -A INPUT -m mark --mark 16 -j ACCEPT', 'iptables -A INPUT -m mark --mark 0xffffffff -j ACCEPT', 'iptables -S INPUT', 'iptables -L INPUT -n'] },
  { name: 'mark targets', steps: ['iptables -t mangle -A PREROUTING -j MARK --set-mark 1', 'iptables -t mangle -A PREROUTING -j MARK --set-mark 0x10/0xff', 'iptables -t mangle -A PREROUTING -j MARK --set-xmark 0x4000/0x4000', 'iptables -t mangle -A PREROUTING -j MARK --or-mark 0x4000', 'iptables -t mangle -A PREROUTING -j MARK --and-mark 0xffffbfff', 'iptables -t mangle -A PREROUTING -j MARK --xor-mark 0x4000', 'iptables -t mangle -S PREROUTING', 'iptables -t mangle -L PREROUTING -n'] },
  { name: 'mark target missing option', steps: ['iptables -t mangle -A PREROUTING -j MARK'] },
  { name: 'mark target in filter', steps: ['iptables -A INPUT -j MARK --set-mark 1', 'iptables -S INPUT'] },
  { name: 'connmark', steps: ['iptables -t mangle -A PREROUTING -j CONNMARK --restore-mark', 'iptables -t mangle -A POSTROUTING -j CONNMARK --save-mark', 'iptables -t mangle -A PREROUTING -j CONNMARK --set-mark 0x1', 'iptables -t mangle -A PREROUTING -j CONNMARK --set-xmark 0x2/0xff', 'iptables -t mangle -A PREROUTING -j CONNMARK --restore-mark --nfmask 0xff --ctmask 0xff', 'iptables -t mangle -A PREROUTING -m connmark --mark 0x1 -j ACCEPT', 'iptables -t mangle -S', 'iptables -t mangle -L -n'] },
  { name: 'conntrack match', steps: ['iptables -A INPUT -m conntrack --ctstate NEW,ESTABLISHED -j ACCEPT', 'iptables -A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT', 'iptables -A INPUT -m conntrack ! --ctstate INVALID -j ACCEPT', 'iptables -A INPUT -m conntrack --ctstate DNAT --ctproto tcp -j ACCEPT', 'iptables -A INPUT -m conntrack --ctorigdst 10.96.0.1 --ctorigdstport 443 -j ACCEPT', 'iptables -A INPUT -m conntrack --ctorigsrc 10.0.0.0/8 --ctreplsrc 10.244.1.2 --ctrepldst 1.2.3.4 --ctorigsrcport 1000 -j ACCEPT', 'iptables -A INPUT -m conntrack --ctstatus ASSURED,SEEN_REPLY --ctdir ORIGINAL -j ACCEPT', 'iptables -A INPUT -m conntrack --ctstate UNTRACKED,SNAT -j ACCEPT', 'iptables -S INPUT', 'iptables -L INPUT -n'] },
  { name: 'conntrack bad state', steps: ['iptables -A INPUT -m conntrack --ctstate FOO -j ACCEPT'] },
  { name: 'state match', steps: ['iptables -A INPUT -m state --state ESTABLISHED,RELATED -j ACCEPT', 'iptables -A INPUT -m state ! --state NEW -j ACCEPT', 'iptables -A INPUT -m state --state INVALID -j DROP', 'iptables -S INPUT', 'iptables -L INPUT -n'] },

  // ---- addrtype, recent, set, iprange, limit
  { name: 'addrtype', steps: ['iptables -t nat -A PREROUTING -m addrtype --dst-type LOCAL -j RETURN', 'iptables -t nat -A PREROUTING -m addrtype --src-type LOCAL ! --dst-type LOCAL -j RETURN', 'iptables -t nat -A PREROUTING -m addrtype --dst-type LOCAL --limit-iface-in -j RETURN', 'iptables -t nat -A OUTPUT -m addrtype --src-type LOCAL --limit-iface-out -j RETURN', 'iptables -t nat -A PREROUTING -m addrtype --dst-type BROADCAST,MULTICAST -j RETURN', 'iptables -t nat -S', 'iptables -t nat -L -n'] },
  { name: 'addrtype limit-iface-in in OUTPUT', steps: ['iptables -t nat -A OUTPUT -m addrtype --dst-type LOCAL --limit-iface-in -j RETURN'] },
  { name: 'addrtype bad type', steps: ['iptables -A INPUT -m addrtype --dst-type FOO -j ACCEPT'] },
  { name: 'recent', steps: ['iptables -A INPUT -p tcp --dport 22 -m recent --name ssh --set', 'iptables -A INPUT -p tcp --dport 22 -m recent --name ssh --update --seconds 60 --hitcount 4 -j DROP', 'iptables -A INPUT -m recent --rcheck --seconds 10 -j DROP', 'iptables -A INPUT -m recent --name x --remove --rdest -j ACCEPT', 'iptables -S INPUT', 'iptables -L INPUT -n'] },
  { name: 'set match missing set', steps: ['iptables -A INPUT -m set --match-set nosuchset src -j DROP'] },
  { name: 'set match existing set', steps: ['ipset create myset hash:ip', 'iptables -A INPUT -m set --match-set myset src -j DROP', 'iptables -A INPUT -m set ! --match-set myset src,dst -j DROP', 'iptables -S INPUT', 'iptables -L INPUT -n'] },
  { name: 'iprange', steps: ['iptables -A INPUT -m iprange --src-range 10.0.0.1-10.0.0.50 -j ACCEPT', 'iptables -A INPUT -m iprange ! --dst-range 192.168.0.1-192.168.0.9 -j ACCEPT', 'iptables -S INPUT', 'iptables -L INPUT -n'] },
  { name: 'limit', steps: ['iptables -A INPUT -m limit --limit 5/min --limit-burst 10 -j ACCEPT', 'iptables -A INPUT -m limit --limit 3/s -j ACCEPT', 'iptables -A INPUT -m limit -j ACCEPT', 'iptables -A INPUT -m limit --limit 100/hour -j ACCEPT', 'iptables -A INPUT -m limit --limit 2/day -j LOG', 'iptables -S INPUT', 'iptables -L INPUT -n'] },

  // ---- targets
  { name: 'reject default and types', steps: ['iptables -A INPUT -j REJECT', 'iptables -A INPUT -p tcp -j REJECT --reject-with tcp-reset', 'iptables -A INPUT -j REJECT --reject-with icmp-host-prohibited', 'iptables -A INPUT -j REJECT --reject-with icmp-net-unreachable', 'iptables -A INPUT -j REJECT --reject-with icmp-host-unreachable', 'iptables -A INPUT -j REJECT --reject-with icmp-proto-unreachable', 'iptables -A INPUT -j REJECT --reject-with icmp-net-prohibited', 'iptables -A INPUT -j REJECT --reject-with icmp-admin-prohibited', 'iptables -A INPUT -j REJECT --reject-with tcp-rst', 'iptables -A INPUT -j REJECT --reject-with port-unreach', 'iptables -S INPUT', 'iptables -L INPUT -n'] },
  { name: 'reject tcp-reset without tcp', steps: ['iptables -A INPUT -j REJECT --reject-with tcp-reset'] },
  { name: 'reject bad type', steps: ['iptables -A INPUT -j REJECT --reject-with bogus'] },
  { name: 'reject in nat', steps: ['iptables -t nat -A PREROUTING -j REJECT'] },
  { name: 'reject in mangle prerouting', steps: ['iptables -t mangle -A PREROUTING -j REJECT'] },
  { name: 'reject in mangle input', steps: ['iptables -t mangle -A INPUT -j REJECT', 'iptables -t mangle -S'] },
  { name: 'reject in user chain then jump from prerouting', steps: ['iptables -t mangle -N R', 'iptables -t mangle -A R -j REJECT', 'iptables -t mangle -A PREROUTING -j R', 'iptables -t mangle -S'] },
  { name: 'reject in filter user chain', steps: ['iptables -N R', 'iptables -A R -j REJECT', 'iptables -A INPUT -j R', 'iptables -S'] },
  { name: 'log', steps: ['iptables -A INPUT -j LOG', 'iptables -A INPUT -j LOG --log-prefix "IPT DROP: " --log-level 4', 'iptables -A INPUT -j LOG --log-level debug --log-tcp-sequence --log-tcp-options --log-ip-options --log-uid', 'iptables -A INPUT -j LOG --log-prefix x --log-level warning', 'iptables -A INPUT -j LOG --log-level 7', 'iptables -S INPUT', 'iptables -L INPUT -n'] },
  { name: 'log prefix too long', steps: ['iptables -A INPUT -j LOG --log-prefix "' + 'p'.repeat(30) + '"'] },
  { name: 'log bad level', steps: ['iptables -A INPUT -j LOG --log-level 9'] },
  { name: 'dnat', steps: ['iptables -t nat -A PREROUTING -p tcp --dport 80 -j DNAT --to-destination 10.244.1.2:8080', 'iptables -t nat -A OUTPUT -d 10.96.0.1 -j DNAT --to-destination 10.244.1.2', 'iptables -t nat -A PREROUTING -p tcp -j DNAT --to-destination 10.0.0.1-10.0.0.3:80-90 --random --persistent', 'iptables -t nat -S', 'iptables -t nat -L -n'] },
  { name: 'dnat port without protocol', steps: ['iptables -t nat -A PREROUTING -j DNAT --to-destination 10.0.0.1:80'] },
  { name: 'dnat in filter', steps: ['iptables -A INPUT -j DNAT --to-destination 10.0.0.1'] },
  { name: 'dnat in postrouting', steps: ['iptables -t nat -A POSTROUTING -j DNAT --to-destination 10.0.0.1'] },
  { name: 'dnat missing destination', steps: ['iptables -t nat -A PREROUTING -j DNAT'] },
  { name: 'snat and masquerade', steps: ['iptables -t nat -A POSTROUTING -s 10.244.0.0/16 -o eth0 -j SNAT --to-source 192.168.0.10', 'iptables -t nat -A POSTROUTING -p udp -j SNAT --to-source 1.2.3.4:1000-2000 --random-fully', 'iptables -t nat -A POSTROUTING -j MASQUERADE', 'iptables -t nat -A POSTROUTING -j MASQUERADE --random-fully', 'iptables -t nat -A POSTROUTING -p tcp -j MASQUERADE --to-ports 1024-2048 --random', 'iptables -t nat -A INPUT -j SNAT --to-source 1.2.3.4', 'iptables -t nat -S', 'iptables -t nat -L -n'] },
  { name: 'snat in prerouting', steps: ['iptables -t nat -A PREROUTING -j SNAT --to-source 1.2.3.4'] },
  { name: 'masquerade in output', steps: ['iptables -t nat -A OUTPUT -j MASQUERADE'] },
  { name: 'redirect', steps: ['iptables -t nat -A PREROUTING -p tcp --dport 80 -j REDIRECT --to-ports 8080', 'iptables -t nat -A OUTPUT -p tcp -j REDIRECT --to-ports 3000-3010 --random', 'iptables -t nat -A PREROUTING -j REDIRECT', 'iptables -t nat -S', 'iptables -t nat -L -n'] },
  { name: 'redirect in postrouting', steps: ['iptables -t nat -A POSTROUTING -j REDIRECT'] },
  { name: 'notrack and ct', steps: ['iptables -t raw -A PREROUTING -p udp --dport 53 -j NOTRACK', 'iptables -t raw -A OUTPUT -j CT --notrack', 'iptables -t raw -A PREROUTING -j CT --zone 1', 'iptables -t raw -S', 'iptables -t raw -L -n'] },
  { name: 'notrack in filter', steps: ['iptables -A INPUT -j NOTRACK'] },
  { name: 'accept drop return', steps: ['iptables -A INPUT -j ACCEPT', 'iptables -A INPUT -j DROP', 'iptables -A INPUT -j RETURN', 'iptables -A INPUT', 'iptables -S INPUT', 'iptables -L INPUT -n -v'] },
  { name: 'unknown target', steps: ['iptables -A INPUT -j NOSUCHTARGET'] },
  { name: 'target lowercase', steps: ['iptables -A INPUT -j accept'] },
  { name: 'two targets', steps: ['iptables -A INPUT -j ACCEPT -j DROP'] },


  // ---- where targets may be used (the kernel validates at rule insert and on jumps)
  { name: 'reject in raw user chain', steps: ['iptables -t raw -N R', 'iptables -t raw -A R -j REJECT'] },
  { name: 'reject in security input', steps: ['iptables -t security -A INPUT -j REJECT', 'iptables -t security -S'] },
  { name: 'reject in mangle forward and output', steps: ['iptables -t mangle -A FORWARD -j REJECT', 'iptables -t mangle -A OUTPUT -j REJECT', 'iptables -t mangle -S'] },
  { name: 'reject in filter user chain jumped from output', steps: ['iptables -N R', 'iptables -A OUTPUT -j R', 'iptables -A R -j REJECT', 'iptables -S'] },
  { name: 'dnat user chain jumped from postrouting', steps: ['iptables -t nat -N S', 'iptables -t nat -A S -j DNAT --to-destination 1.2.3.4', 'iptables -t nat -A POSTROUTING -j S', 'iptables -t nat -S'] },
  { name: 'dnat appended to user chain already jumped from postrouting', steps: ['iptables -t nat -N S', 'iptables -t nat -A POSTROUTING -j S', 'iptables -t nat -A S -j DNAT --to-destination 1.2.3.4', 'iptables -t nat -S'] },
  { name: 'masquerade user chain jumped from prerouting', steps: ['iptables -t nat -N M', 'iptables -t nat -A M -j MASQUERADE', 'iptables -t nat -A PREROUTING -j M', 'iptables -t nat -A OUTPUT -j M', 'iptables -t nat -A POSTROUTING -j M', 'iptables -t nat -S'] },
  { name: 'snat user chain nested jump', steps: ['iptables -t nat -N A', 'iptables -t nat -N B', 'iptables -t nat -A B -j SNAT --to-source 1.1.1.1', 'iptables -t nat -A A -j B', 'iptables -t nat -A PREROUTING -j A', 'iptables -t nat -A POSTROUTING -j A', 'iptables -t nat -S'] },
  { name: 'redirect user chain jumped from postrouting', steps: ['iptables -t nat -N R', 'iptables -t nat -A R -j REDIRECT', 'iptables -t nat -A POSTROUTING -g R'] },
  { name: 'mark in nat user chain', steps: ['iptables -t nat -N KUBE-MARK-MASQ', 'iptables -t nat -A KUBE-MARK-MASQ -j MARK --or-mark 0x4000', 'iptables -t nat -A PREROUTING -j KUBE-MARK-MASQ', 'iptables -t nat -S'] },
  { name: 'loop reachable from builtin', steps: ['iptables -N A', 'iptables -A INPUT -j A', 'iptables -A A -j A', 'iptables -S'] },
  { name: 'loop closed by jump from builtin', steps: ['iptables -N A', 'iptables -N B', 'iptables -A A -j B', 'iptables -A B -j A', 'iptables -A INPUT -j A', 'iptables -S'] },
  { name: 'loop two chains reachable', steps: ['iptables -N A', 'iptables -N B', 'iptables -A FORWARD -j A', 'iptables -A A -j B', 'iptables -A B -j A', 'iptables -S'] },
  { name: 'restore loop reachable', steps: [{ line: 'iptables-restore', stdin: '*filter\n:A - [0:0]\n:B - [0:0]\n-A INPUT -j A\n-A A -j B\n-A B -j A\nCOMMIT\n' }, 'iptables-save'] },
  { name: 'insert loop', steps: ['iptables -N A', 'iptables -N B', 'iptables -A INPUT -j A', 'iptables -A A -j B', 'iptables -I B -j A'] },
  { name: 'replace creating loop', steps: ['iptables -N A', 'iptables -A INPUT -j A', 'iptables -A A -j ACCEPT', 'iptables -R A 1 -j A'] },

  // ---- which commands create a table
  { name: 'fresh flush', steps: ['iptables -F', 'iptables-save'] },
  { name: 'fresh flush chain', steps: ['iptables -F INPUT'] },
  { name: 'fresh zero', steps: ['iptables -Z'] },
  { name: 'fresh delete chains', steps: ['iptables -X'] },
  { name: 'fresh check', steps: ['iptables -C INPUT -j ACCEPT'] },
  { name: 'fresh delete rule', steps: ['iptables -D INPUT 1'] },
  { name: 'fresh delete rule spec', steps: ['iptables -D INPUT -j ACCEPT'] },
  { name: 'fresh policy accept nat', steps: ['iptables -t nat -P OUTPUT ACCEPT'] },
  { name: 'fresh new chain mangle', steps: ['iptables -t mangle -N X'] },
  { name: 'fresh list zero', steps: ['iptables -L -Z'] },
  { name: 'fresh rename', steps: ['iptables -E A B'] },
  { name: 'fresh restore empty table', steps: [{ line: 'iptables-restore', stdin: '*mangle\nCOMMIT\n' }] },
  { name: 'fresh restore noflush empty table', steps: [{ line: 'iptables-restore --noflush', stdin: '*raw\nCOMMIT\n' }] },

  { name: 'restore empty table over existing', steps: ['iptables -A INPUT -j ACCEPT', 'iptables -P FORWARD DROP', 'iptables -N U', { line: 'iptables-restore', stdin: '*filter\nCOMMIT\n' }, 'iptables -S', 'iptables-save'] },
  { name: 'restore policy only keeps others', steps: ['iptables -P FORWARD DROP', { line: 'iptables-restore', stdin: '*filter\n:INPUT DROP [0:0]\nCOMMIT\n' }, 'iptables -S'] },
  { name: 'restore noflush keeps policy', steps: ['iptables -P FORWARD DROP', { line: 'iptables-restore --noflush', stdin: '*filter\n-A INPUT -j ACCEPT\nCOMMIT\n' }, 'iptables -S'] },
  { name: 'restore append to missing chain', steps: [{ line: 'iptables-restore', stdin: '*filter\n-A NOPE -j ACCEPT\nCOMMIT\n' }] },
  { name: 'restore unterminated quote', steps: [{ line: 'iptables-restore', stdin: '*filter\n-A INPUT -m comment --comment "abc -j ACCEPT\nCOMMIT\n' }, 'iptables -S'] },
  { name: 'restore dash t in rule', steps: [{ line: 'iptables-restore', stdin: '*filter\n-t nat -A POSTROUTING -j ACCEPT\nCOMMIT\n' }] },
  { name: 'restore table twice without commit', steps: [{ line: 'iptables-restore', stdin: '*filter\n*nat\nCOMMIT\n' }] },
  { name: 'replace out of range existing table', steps: ['iptables -A INPUT -j ACCEPT', 'iptables -R INPUT 2 -j DROP'] },
  { name: 'illegal option with list', steps: ['iptables -L -s 1.2.3.4'] },
  { name: 'illegal numeric with append', steps: ['iptables -A INPUT -n -j ACCEPT'] },
  { name: 'inverted jump', steps: ['iptables -A INPUT ! -j ACCEPT'] },
  { name: 'inverted command', steps: ['iptables ! -A INPUT -j ACCEPT'] },
  { name: 'trailing negation', steps: ['iptables -A INPUT -j ACCEPT !'] },
  { name: 'double negation', steps: ['iptables -A INPUT ! ! -s 1.2.3.4 -j ACCEPT'] },
  { name: 'negated all protocol', steps: ['iptables -A INPUT ! -p all -j ACCEPT'] },
  { name: 'clustered short options', steps: ['iptables -A INPUT -p tcp --dport 22 -j ACCEPT', 'iptables -nvL INPUT', 'iptables -vnL', 'iptables -nL --line-numbers'] },
  { name: 'list nonnumeric icmp', steps: ['iptables -A INPUT -p icmp --icmp-type echo-request -j ACCEPT', 'iptables -A INPUT -p icmp --icmp-type 3/4 -j ACCEPT', 'iptables -A INPUT -p icmp ! --icmp-type 8 -j ACCEPT', 'iptables -A INPUT -p icmp --icmp-type 200 -j ACCEPT', 'iptables -L INPUT'] },
  { name: 'list verbose counters kmg', steps: [{ line: 'iptables-restore -c', stdin: '*filter\n:INPUT ACCEPT [123456:98765432]\n[99999:100000] -A INPUT -j ACCEPT\n[12345678:9999999999] -A INPUT -j DROP\n[5:12345678901234] -A INPUT -j RETURN\nCOMMIT\n' }, 'iptables -L INPUT -v -n', 'iptables -L INPUT -v -n -x', 'iptables -S INPUT -v'] },
  { name: 'set counters option', steps: ['iptables -A INPUT -c 10 20 -j ACCEPT', 'iptables -I INPUT --set-counters 5 7 -j DROP', 'iptables-save -c'] },
  { name: 'duplicate comment matches', steps: ['iptables -A INPUT -m comment --comment a -m comment --comment b -j ACCEPT', 'iptables -S INPUT'] },
  { name: 'long option abbreviations', steps: ['iptables --app INPUT --proto tcp --dport 80 --jum ACCEPT', 'iptables -S INPUT'] },
  { name: 'jump to chain in other table', steps: ['iptables -t nat -N KUBE-X', 'iptables -A INPUT -j KUBE-X'] },
  { name: 'rule number not numeric', steps: ['iptables -D INPUT abc'] },
  { name: 'insert with position then spec', steps: ['iptables -A INPUT -j ACCEPT', 'iptables -I INPUT 1 -p udp --dport 53 -j DROP', 'iptables -S INPUT'] },
  { name: 'list zero verbose', steps: ['iptables -A INPUT -j ACCEPT', 'iptables -L -Z'] },
  { name: 'rename to long name', steps: ['iptables -N A', 'iptables -E A ' + 'B'.repeat(30)] },
  { name: 'policy extra args', steps: ['iptables -P INPUT'] },
  { name: 'rename missing new name', steps: ['iptables -N A', 'iptables -E A'] },
  { name: 'tcp flags missing second arg', steps: ['iptables -A INPUT -p tcp --tcp-flags SYN'] },
  { name: 'dport twice', steps: ['iptables -A INPUT -p tcp --dport 80 --dport 81 -j ACCEPT'] },
  { name: 'sport and dport udp numeric listing', steps: ['iptables -A OUTPUT -p udp --sport 1000:2000 ! --dport 53 -j ACCEPT', 'iptables -L OUTPUT -n', 'iptables -L OUTPUT'] },
  { name: 'mark target listing', steps: ['iptables -t mangle -A OUTPUT -j MARK --set-mark 0x1', 'iptables -t mangle -A OUTPUT -j MARK --set-xmark 0x10/0xff', 'iptables -t mangle -A OUTPUT -j MARK --and-mark 0xff', 'iptables -t mangle -L OUTPUT -n'] },
  { name: 'source and destination hosts listing', steps: ['iptables -A FORWARD -s 10.244.1.0/24 -d 10.96.0.10 -j ACCEPT', 'iptables -A FORWARD -s 127.0.0.1 -d 127.0.0.0/8 -j ACCEPT', 'iptables -L FORWARD', 'iptables -L FORWARD -v'] },

  // ---- module option errors and edge cases
  { name: 'statistic bad mode', steps: ['iptables -A INPUT -m statistic --mode sometimes -j ACCEPT'] },
  { name: 'multiport two options', steps: ['iptables -A INPUT -p tcp -m multiport --dports 80 --sports 1 -j ACCEPT'] },
  { name: 'multiport protocol after', steps: ['iptables -A INPUT -m multiport --dports 80 -p tcp -j ACCEPT'] },
  { name: 'multiport bad port', steps: ['iptables -A INPUT -p tcp -m multiport --dports 80,abc -j ACCEPT'] },
  { name: 'tcp unknown flag', steps: ['iptables -A INPUT -p tcp --tcp-flags SYN,FOO SYN -j ACCEPT'] },
  { name: 'conntrack bad status', steps: ['iptables -A INPUT -m conntrack --ctstatus FOO -j ACCEPT'] },
  { name: 'conntrack bad dir', steps: ['iptables -A INPUT -m conntrack --ctdir SIDEWAYS -j ACCEPT'] },
  { name: 'conntrack no options', steps: ['iptables -A INPUT -m conntrack -j ACCEPT'] },
  { name: 'conntrack lowercase state', steps: ['iptables -A INPUT -m conntrack --ctstate new,established -j ACCEPT', 'iptables -S INPUT'] },
  { name: 'state bad state', steps: ['iptables -A INPUT -m state --state SNAT -j ACCEPT'] },
  { name: 'limit bad rate', steps: ['iptables -A INPUT -m limit --limit abc -j ACCEPT'] },
  { name: 'limit bad unit', steps: ['iptables -A INPUT -m limit --limit 5/fortnight -j ACCEPT'] },
  { name: 'limit inverted', steps: ['iptables -A INPUT -m limit ! --limit 5/s -j ACCEPT'] },
  { name: 'limit odd rates', steps: ['iptables -A INPUT -m limit --limit 7/min -j ACCEPT', 'iptables -A INPUT -m limit --limit 1000/s -j ACCEPT', 'iptables -A INPUT -m limit --limit 90/hour -j ACCEPT', 'iptables -A INPUT -m limit --limit 5/m --limit-burst 1 -j ACCEPT', 'iptables -S INPUT'] },
  { name: 'mark bad value', steps: ['iptables -A INPUT -m mark --mark xyz -j ACCEPT'] },
  { name: 'mark target bad value', steps: ['iptables -t mangle -A OUTPUT -j MARK --set-mark zz'] },
  { name: 'mark target twice', steps: ['iptables -t mangle -A OUTPUT -j MARK --set-mark 1 --or-mark 2'] },
  { name: 'comment inverted', steps: ['iptables -A INPUT -m comment ! --comment x -j ACCEPT'] },
  { name: 'comment missing', steps: ['iptables -A INPUT -m comment -j ACCEPT'] },
  { name: 'iprange bad', steps: ['iptables -A INPUT -m iprange --src-range 10.0.0.1-abc -j ACCEPT'] },
  { name: 'iprange missing', steps: ['iptables -A INPUT -m iprange -j ACCEPT'] },
  { name: 'recent no command', steps: ['iptables -A INPUT -m recent --name x -j ACCEPT'] },
  { name: 'recent two commands', steps: ['iptables -A INPUT -m recent --set --rcheck -j ACCEPT'] },
  { name: 'recent reap without seconds', steps: ['iptables -A INPUT -m recent --rcheck --reap -j ACCEPT'] },
  { name: 'recent kube-proxy affinity', steps: ['iptables -t nat -N S', 'iptables -t nat -A S -m recent --name KUBE-SEP-X --rcheck --seconds 10800 --reap -j RETURN', 'iptables -t nat -A S -p tcp -m recent --name KUBE-SEP-X --set -m tcp -j DNAT --to-destination 10.1.1.1:80', 'iptables -t nat -S S', 'iptables -t nat -L S', 'iptables -t nat -L S -n -v'] },
  { name: 'addrtype no type', steps: ['iptables -A INPUT -m addrtype -j ACCEPT'] },
  { name: 'addrtype both limits', steps: ['iptables -A INPUT -m addrtype --dst-type LOCAL --limit-iface-in --limit-iface-out -j ACCEPT'] },
  { name: 'icmp ambiguous prefix', steps: ['iptables -A INPUT -p icmp --icmp-type echo -j ACCEPT'] },
  { name: 'icmp prefix', steps: ['iptables -A INPUT -p icmp --icmp-type echo-req -j ACCEPT', 'iptables -A INPUT -p icmp --icmp-type port-unr -j ACCEPT', 'iptables -S INPUT'] },
  { name: 'icmp bad code', steps: ['iptables -A INPUT -p icmp --icmp-type 3/300 -j ACCEPT'] },
  { name: 'dnat bad address', steps: ['iptables -t nat -A PREROUTING -j DNAT --to-destination 10.0.0.300'] },
  { name: 'dnat bad port', steps: ['iptables -t nat -A PREROUTING -p tcp -j DNAT --to-destination 10.0.0.1:99999'] },
  { name: 'dnat protocol after target', steps: ['iptables -t nat -A PREROUTING -j DNAT --to-destination 10.0.0.1:80 -p tcp'] },
  { name: 'dnat port only', steps: ['iptables -t nat -A PREROUTING -p tcp -j DNAT --to-destination :8080', 'iptables -t nat -S PREROUTING', 'iptables -t nat -L PREROUTING -n'] },
  { name: 'target option before jump', steps: ['iptables -t nat -A PREROUTING --to-destination 10.0.0.1 -j DNAT'] },
  { name: 'masquerade ports without protocol', steps: ['iptables -t nat -A POSTROUTING -j MASQUERADE --to-ports 1000'] },
  { name: 'snat missing source', steps: ['iptables -t nat -A POSTROUTING -j SNAT'] },
  { name: 'ct zone bad', steps: ['iptables -t raw -A PREROUTING -j CT --zone abc'] },
  { name: 'log prefix with quotes', steps: [`iptables -A INPUT -j LOG --log-prefix 'it"s: '`, 'iptables -S INPUT', 'iptables -L INPUT'] },
  { name: 'connmark target modes', steps: ['iptables -t mangle -A OUTPUT -j CONNMARK --save-mark --mask 0xff', 'iptables -t mangle -A OUTPUT -j CONNMARK --restore-mark --nfmask 0xf0 --ctmask 0xff', 'iptables -t mangle -A OUTPUT -j CONNMARK --and-mark 0xff', 'iptables -t mangle -A OUTPUT -j CONNMARK --or-mark 0x2', 'iptables -t mangle -S OUTPUT', 'iptables -t mangle -L OUTPUT -n'] },
  { name: 'connmark target no mode', steps: ['iptables -t mangle -A OUTPUT -j CONNMARK'] },
  // ---- addresses and rule numbers
  { name: 'multiple source addresses', steps: ['iptables -A INPUT -s 1.1.1.1,2.2.2.0/24 -d 3.3.3.3,4.4.4.4 -j ACCEPT', 'iptables -S INPUT', 'iptables -D INPUT -s 1.1.1.1,2.2.2.0/24 -d 3.3.3.3 -j ACCEPT', 'iptables -S INPUT'] },
  { name: 'multiple addresses insert', steps: ['iptables -A INPUT -j DROP', 'iptables -I INPUT 1 -s 1.1.1.1,2.2.2.2 -j ACCEPT', 'iptables -S INPUT'] },
  { name: 'multiple addresses replace', steps: ['iptables -A INPUT -j DROP', 'iptables -R INPUT 1 -s 1.1.1.1,2.2.2.2 -j ACCEPT'] },
  { name: 'multiple addresses check', steps: ['iptables -A INPUT -s 1.1.1.1 -j ACCEPT', 'iptables -C INPUT -s 1.1.1.1,2.2.2.2 -j ACCEPT'] },
  { name: 'insert into empty chain at 2', steps: ['iptables -I INPUT 2 -j ACCEPT'] },
  { name: 'insert into empty chain at 1', steps: ['iptables -I INPUT 1 -j ACCEPT', 'iptables -S INPUT'] },
  { name: 'zero one rule', steps: [{ line: 'iptables-restore -c', stdin: '*filter\n[1:2] -A INPUT -j ACCEPT\n[3:4] -A INPUT -j DROP\nCOMMIT\n' }, 'iptables -Z INPUT 2', 'iptables-save -c', 'iptables -Z INPUT 3'] },
  { name: 'list exact without verbose', steps: ['iptables -A INPUT -j ACCEPT', 'iptables -L INPUT -x -n'] },
  { name: 'list user chain with line numbers', steps: ['iptables -N K', 'iptables -A K -s 1.2.3.4 -j RETURN', 'iptables -A INPUT -j K', 'iptables -L K -n -v --line-numbers', 'iptables -S K', 'iptables -S K 1', 'iptables -L K 1 -n'] },
  { name: 'verbose append prints rule', steps: ['iptables -v -A INPUT -s 1.2.3.4 -p tcp --dport 22 -j ACCEPT', 'iptables -v -N X', 'iptables -v -F', 'iptables -v -Z', 'iptables -v -X', 'iptables -v -P INPUT DROP'] },
  { name: 'verbose delete and insert', steps: ['iptables -A INPUT -j ACCEPT', 'iptables -v -I INPUT -i eth0 ! -o lo -j DROP', 'iptables -v -D INPUT -j ACCEPT', 'iptables -v -D INPUT 1'] },
  { name: 'protocol twice', steps: ['iptables -A INPUT -p tcp -p udp -j ACCEPT'] },
  { name: 'rename to target name', steps: ['iptables -N A', 'iptables -E A ACCEPT', 'iptables -S'] },
  { name: 'policy with counters', steps: ['iptables -P INPUT DROP -c 5 6', 'iptables-save -c'] },
  { name: 'interface plus only', steps: ['iptables -A INPUT -i + -j ACCEPT', 'iptables -S INPUT', 'iptables -L INPUT -v'] },
  { name: 'port zero', steps: ['iptables -A INPUT -p tcp --dport 0 -j ACCEPT', 'iptables -S INPUT'] },
  { name: 'kube-proxy style jump with comment and mark', steps: ['iptables -t nat -N KUBE-MARK-MASQ', 'iptables -t nat -A KUBE-MARK-MASQ -j MARK --or-mark 0x4000', 'iptables -t nat -A OUTPUT -m comment --comment "x" -d 10.96.0.1 -p tcp --dport 443 -j KUBE-MARK-MASQ', 'iptables -t nat -L OUTPUT', 'iptables -t nat -L -v'] },
  { name: 'check with different counters matches', steps: ['iptables -A INPUT -j ACCEPT', 'iptables -C INPUT -j ACCEPT -c 1 2'] },
  // ---- iptables-restore details
  // (a restore that uses -R crashed the real iptables-restore 1.8.9 with a signal: not recorded)
  { name: 'restore insert and delete', steps: [{ line: 'iptables-restore', stdin: '*filter\n-A INPUT -s 1.1.1.1 -j ACCEPT\n-A INPUT -s 2.2.2.2 -j ACCEPT\n-I INPUT -s 3.3.3.3 -j ACCEPT\n-I INPUT 2 -s 4.4.4.4 -j ACCEPT\n-D INPUT -s 1.1.1.1 -j ACCEPT\nCOMMIT\n' }, 'iptables -S INPUT'] },
  { name: 'log levels listed', steps: ['iptables -A INPUT -j LOG --log-level emerg', 'iptables -A INPUT -j LOG --log-level alert', 'iptables -A INPUT -j LOG --log-level crit', 'iptables -A INPUT -j LOG --log-level error', 'iptables -A INPUT -j LOG --log-level warning', 'iptables -A INPUT -j LOG --log-level notice', 'iptables -A INPUT -j LOG --log-level info', 'iptables -A INPUT -j LOG --log-level debug --log-uid --log-macdecode', 'iptables -A INPUT -j LOG --log-level panic --log-prefix ""', 'iptables -A INPUT -j LOG --log-level warn', 'iptables -S INPUT', 'iptables -L INPUT', 'iptables -L INPUT -n'] },
  { name: 'restore tabs and spaces', steps: [{ line: 'iptables-restore', stdin: '*filter\n-A INPUT\t-s 1.1.1.1   -j ACCEPT  \n:K\t-\t[0:0]\n-A K -j RETURN\nCOMMIT\n' }, 'iptables -S'] },
  { name: 'restore chain line without counters', steps: [{ line: 'iptables-restore', stdin: '*filter\n:INPUT DROP\n:K -\nCOMMIT\n' }, 'iptables -S'] },
  { name: 'restore single quotes', steps: [{ line: 'iptables-restore', stdin: "*filter\n-A INPUT -m comment --comment 'a b' -j ACCEPT\nCOMMIT\n" }, 'iptables -S'] },
  { name: 'restore flush chain inside', steps: ['iptables -A INPUT -j ACCEPT', { line: 'iptables-restore --noflush', stdin: '*filter\n-F INPUT\n-A INPUT -j DROP\nCOMMIT\n' }, 'iptables -S'] },
  { name: 'restore user chain declared twice', steps: [{ line: 'iptables-restore', stdin: '*filter\n:K - [0:0]\n-A K -j RETURN\n:K - [0:0]\n-A INPUT -j K\nCOMMIT\n' }, 'iptables -S'] },
  { name: 'restore counters on chain with -c', steps: [{ line: 'iptables-restore -c', stdin: '*nat\n:PREROUTING ACCEPT [7:420]\n:KUBE-X - [3:4]\nCOMMIT\n' }, 'iptables-save -c -t nat'] },
  { name: 'restore bad counters', steps: [{ line: 'iptables-restore -c', stdin: '*filter\n[abc] -A INPUT -j ACCEPT\nCOMMIT\n' }] },
  { name: 'restore commit twice', steps: [{ line: 'iptables-restore', stdin: '*filter\n-A INPUT -j ACCEPT\nCOMMIT\nCOMMIT\n' }] },
  { name: 'restore list command inside', steps: [{ line: 'iptables-restore', stdin: '*filter\n-A INPUT -j ACCEPT\n-S\nCOMMIT\n' }] },
  { name: 'restore noflush builtin policy line', steps: ['iptables -A INPUT -j ACCEPT', { line: 'iptables-restore --noflush', stdin: '*filter\n:INPUT DROP [0:0]\nCOMMIT\n' }, 'iptables -S'] },
  { name: 'restore dnat kube-proxy dump non-numeric list', steps: [{ line: 'iptables-restore', stdin: KUBE_RESTORE_FIXED }, 'iptables -t nat -L', 'iptables -t nat -L -v -x --line-numbers', 'iptables -L -v'] },

  // ---- more listing and parsing details
  { name: 'list all targets non-numeric', steps: ['iptables -t nat -A PREROUTING -p tcp --dport 80 -j DNAT --to-destination 10.244.1.2:8080', 'iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE --random-fully', 'iptables -t nat -A OUTPUT -p udp -j REDIRECT --to-ports 5353', 'iptables -t nat -A INPUT -j SNAT --to-source 10.0.0.1-10.0.0.9', 'iptables -t nat -L', 'iptables -t nat -L -v -n --line-numbers'] },
  { name: 'list goto and jump verbose', steps: ['iptables -N A', 'iptables -N B', 'iptables -A INPUT -g A', 'iptables -A INPUT -i eth0 -j B', 'iptables -L INPUT -v', 'iptables -L INPUT -v -n'] },
  { name: 'list single rule numbers', steps: ['iptables -A INPUT -s 1.1.1.1 -j ACCEPT', 'iptables -L INPUT 1', 'iptables -L INPUT 1 -v -n --line-numbers', 'iptables -L INPUT 0'] },
  { name: 'save all five tables', steps: ['iptables -t security -A INPUT -j ACCEPT', 'iptables -t mangle -A FORWARD -j ACCEPT', 'iptables -t raw -A OUTPUT -j ACCEPT', 'iptables -t nat -A POSTROUTING -j ACCEPT', 'iptables -A OUTPUT -j ACCEPT', 'iptables-save', 'iptables-save -t security', 'iptables-save -t raw -c'] },
  { name: 'save table that does not exist yet', steps: ['iptables-save -t nat', 'iptables -A INPUT -j ACCEPT', 'iptables-save -t mangle'] },
  { name: 'save unknown option', steps: ['iptables-save --foo'] },
  { name: 'restore unknown option', steps: [{ line: 'iptables-restore --foo', stdin: '' }] },
  { name: 'restore empty input', steps: [{ line: 'iptables-restore', stdin: '' }, { line: 'iptables-restore', stdin: '\n\n# only comments\n' }] },
  { name: 'restore chain line outside table', steps: [{ line: 'iptables-restore', stdin: ':INPUT ACCEPT [0:0]\n' }] },
  { name: 'restore commit outside table', steps: [{ line: 'iptables-restore', stdin: 'COMMIT\n' }] },
  { name: 'restore noflush user chain counters ignored', steps: [{ line: 'iptables-restore -c --noflush', stdin: '*filter\n:K - [5:6]\n[7:8] -A K -j RETURN\n-A INPUT -j K\nCOMMIT\n' }, 'iptables-save -c'] },
  { name: 'restore rule with bad target in chain section', steps: [{ line: 'iptables-restore', stdin: '*filter\n:K - [0:0]\n-A K -j DNAT --to-destination 1.2.3.4\nCOMMIT\n' }] },
  { name: 'restore kube-proxy partial sync', steps: [{ line: 'iptables-restore', stdin: KUBE_RESTORE_FIXED }, { line: 'iptables-restore --noflush', stdin: '*nat\n:KUBE-SERVICES - [0:0]\n:KUBE-SVC-ABC - [0:0]\n:KUBE-SEP-3 - [0:0]\n-A KUBE-SERVICES -d 10.96.0.10/32 -p tcp -m comment --comment "default/nginx:http cluster IP" -m tcp --dport 80 -j KUBE-SVC-ABC\n-A KUBE-SVC-ABC -m comment --comment "default/nginx:http -> 10.244.3.3:80" -j KUBE-SEP-3\n-A KUBE-SEP-3 -p tcp -m comment --comment "default/nginx:http" -m tcp -j DNAT --to-destination 10.244.3.3:80\n-X KUBE-SEP-1\n-X KUBE-SEP-2\nCOMMIT\n' }, 'iptables-save -t nat'] },
  { name: 'restore delete chain still referenced', steps: [{ line: 'iptables-restore', stdin: KUBE_RESTORE_FIXED }, { line: 'iptables-restore --noflush', stdin: '*nat\n-X KUBE-SEP-1\nCOMMIT\n' }] },
  { name: 'check with jump to chain', steps: ['iptables -N A', 'iptables -A INPUT -j A', 'iptables -C INPUT -j A', 'iptables -C INPUT -g A'] },
  { name: 'delete by spec with jump', steps: ['iptables -N A', 'iptables -A INPUT -j A', 'iptables -D INPUT -j A', 'iptables -X A', 'iptables -S'] },
  { name: 'delete rule spec needs all matches', steps: ['iptables -A INPUT -p tcp --dport 22 -m comment --comment ssh -j ACCEPT', 'iptables -D INPUT -p tcp --dport 22 -j ACCEPT', 'iptables -D INPUT -p tcp -m tcp --dport 22 -m comment --comment ssh -j ACCEPT', 'iptables -S INPUT'] },
  { name: 'long destination-port names', steps: ['iptables -A INPUT -p tcp --destination-port 443 --source-port 1000:2000 -j ACCEPT', 'iptables -A INPUT -p udp -m multiport --destination-ports 53,123 -j ACCEPT', 'iptables -S INPUT'] },
  { name: 'attached option values', steps: ['iptables -AINPUT -s10.0.0.1 -jACCEPT', 'iptables -S INPUT'] },
  { name: 'numbers in hex and octal', steps: ['iptables -I INPUT 0x1 -j ACCEPT', 'iptables -A INPUT -m mark --mark 010 -j ACCEPT', 'iptables -A INPUT -s 10.0.0.010 -j ACCEPT', 'iptables -S INPUT'] },
  { name: 'ctstate list order and duplicates', steps: ['iptables -A INPUT -m conntrack --ctstate DNAT,SNAT,UNTRACKED,ESTABLISHED,RELATED,NEW,INVALID,NEW -j ACCEPT', 'iptables -S INPUT'] },
  { name: 'flush table other than filter', steps: ['iptables -t nat -N K', 'iptables -t nat -A K -j RETURN', 'iptables -t nat -F', 'iptables -t nat -X', 'iptables -t nat -S'] },
  { name: 'zero chain that does not exist in fresh table', steps: ['iptables -Z INPUT', 'iptables-save'] },
  { name: 'append to user chain in wrong table', steps: ['iptables -N K', 'iptables -t nat -A K -j RETURN'] },
  { name: 'multiple protocols via numbers', steps: ['iptables -A INPUT -p 132 -j ACCEPT', 'iptables -A INPUT -p 136 -j ACCEPT', 'iptables -A INPUT -p 255 -j ACCEPT', 'iptables -A INPUT -p ipv6-icmp -j ACCEPT', 'iptables -S INPUT', 'iptables -L INPUT', 'iptables -L INPUT -n'] },

  // ---- further modules common in firewall tutorials
  { name: 'trace target', steps: ['iptables -t raw -A PREROUTING -p tcp --dport 80 -j TRACE', 'iptables -t raw -A OUTPUT -j TRACE', 'iptables -t nat -A PREROUTING -j TRACE', 'iptables -t raw -S', 'iptables -t raw -L -n'] },
  { name: 'tcpmss target', steps: ['iptables -t mangle -A FORWARD -p tcp --tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu', 'iptables -t mangle -A POSTROUTING -p tcp --syn -j TCPMSS --set-mss 1400', 'iptables -t mangle -S', 'iptables -t mangle -L', 'iptables -t mangle -L -n'] },
  { name: 'tcpmss without tcp', steps: ['iptables -A FORWARD -j TCPMSS --clamp-mss-to-pmtu'] },
  { name: 'tcpmss clamp in prerouting', steps: ['iptables -t mangle -A PREROUTING -p tcp -j TCPMSS --clamp-mss-to-pmtu'] },
  { name: 'tcpmss no option', steps: ['iptables -t mangle -A FORWARD -p tcp -j TCPMSS'] },
  { name: 'mac match', steps: ['iptables -A INPUT -m mac --mac-source 02:42:AC:11:00:02 -j ACCEPT', 'iptables -A INPUT -m mac ! --mac-source 2:42:ac:11:0:3 -j DROP', 'iptables -S INPUT', 'iptables -L INPUT', 'iptables -L INPUT -n'] },
  { name: 'mac match bad address', steps: ['iptables -A INPUT -m mac --mac-source 02:42:ac:11:00 -j ACCEPT'] },
  { name: 'mac match in output', steps: ['iptables -A OUTPUT -m mac --mac-source 02:42:ac:11:00:02 -j ACCEPT'] },
  { name: 'owner match', steps: ['iptables -A OUTPUT -m owner --uid-owner 33 -j ACCEPT', 'iptables -A OUTPUT -m owner --uid-owner 5000-6000 --gid-owner 100 -j ACCEPT', 'iptables -A OUTPUT -m owner ! --uid-owner root -j ACCEPT', 'iptables -A OUTPUT -m owner --gid-owner nogroup -j DROP', 'iptables -A OUTPUT -m owner --uid-owner www-data -j DROP', 'iptables -S OUTPUT', 'iptables -L OUTPUT', 'iptables -L OUTPUT -n'] },
  { name: 'owner match in input', steps: ['iptables -A INPUT -m owner --uid-owner 0 -j ACCEPT'] },
  { name: 'owner unknown user', steps: ['iptables -A OUTPUT -m owner --uid-owner nosuchuser -j ACCEPT'] },
  { name: 'length match', steps: ['iptables -A INPUT -m length --length 0:100 -j ACCEPT', 'iptables -A INPUT -m length ! --length 1500 -j ACCEPT', 'iptables -A INPUT -m length --length 1000: -j DROP', 'iptables -S INPUT', 'iptables -L INPUT -n'] },
  { name: 'pkttype match', steps: ['iptables -A INPUT -m pkttype --pkt-type broadcast -j DROP', 'iptables -A INPUT -m pkttype ! --pkt-type unicast -j DROP', 'iptables -A INPUT -m pkttype --pkt-type multicast -j DROP', 'iptables -S INPUT', 'iptables -L INPUT -n'] },
  { name: 'pkttype bad', steps: ['iptables -A INPUT -m pkttype --pkt-type anycast -j DROP'] },
  { name: 'ttl match', steps: ['iptables -A INPUT -m ttl --ttl-eq 64 -j ACCEPT', 'iptables -A INPUT -m ttl --ttl-lt 10 -j DROP', 'iptables -A INPUT -m ttl ! --ttl-eq 1 -j ACCEPT', 'iptables -A INPUT -m ttl --ttl-gt 200 -j DROP', 'iptables -S INPUT', 'iptables -L INPUT -n'] },
  { name: 'ttl match errors', steps: ['iptables -A INPUT -m ttl ! --ttl-lt 3 -j DROP', 'iptables -A INPUT -m ttl --ttl-eq 300 -j DROP', 'iptables -A INPUT -m ttl -j DROP', 'iptables -A INPUT -m ttl --ttl-eq 3 --ttl-gt 4 -j DROP'] },
  { name: 'tcp flags listed by name', steps: ['iptables -A INPUT -p tcp --syn -j ACCEPT', 'iptables -A INPUT -p tcp ! --tcp-flags ALL NONE -j ACCEPT', 'iptables -A INPUT -p tcp --tcp-flags SYN,FIN SYN,FIN -j DROP', 'iptables -L INPUT'] },

  { name: 'inversion where not allowed', steps: ['iptables -A INPUT -j LOG ! --log-prefix x', 'iptables -A INPUT -m statistic ! --mode random --probability 0.5 -j ACCEPT', 'iptables -A INPUT -m conntrack ! --ctdir REPLY -j ACCEPT', 'iptables -A INPUT -m recent ! --name x --set -j ACCEPT', 'iptables -A INPUT -m addrtype --dst-type LOCAL ! --limit-iface-in -j ACCEPT', 'iptables -t nat -A PREROUTING -p tcp -j DNAT ! --to-destination 1.2.3.4', 'iptables -A INPUT -m ttl ! --ttl-lt 4 -j ACCEPT', 'iptables -A INPUT -j REJECT ! --reject-with tcp-reset', 'iptables -A INPUT -m limit ! --limit-burst 3 -j ACCEPT'] },
  { name: 'inversion where allowed', steps: ['iptables -A INPUT -m statistic --mode random ! --probability 0.5 -j ACCEPT', 'iptables -A INPUT -p tcp --dport 1 ! --syn -j ACCEPT', 'iptables -A INPUT -m multiport -p tcp ! --dports 1 -j ACCEPT', 'iptables -A INPUT -m recent ! --rcheck --name x -j ACCEPT', 'iptables -A INPUT -m conntrack ! --ctstatus ASSURED ! --ctorigdst 10.0.0.1 -j ACCEPT', 'iptables -S INPUT', 'iptables -L INPUT -n'] },

  // ---- which error wins when several apply
  { name: 'missing chain and missing jump', steps: ['iptables -A NOPE -j NOPE2'] },
  { name: 'bad table and missing jump', steps: ['iptables -t foo -A INPUT -j NOPE'] },
  { name: 'bad address and target in wrong table', steps: ['iptables -A INPUT -j DNAT --to-destination 1.2.3.4 -s 300.1.1.1'] },
  { name: 'rule number commands on missing chain', steps: ['iptables -A INPUT -j ACCEPT', 'iptables -D NOPE 1', 'iptables -R NOPE 1 -j ACCEPT', 'iptables -I NOPE 2 -j ACCEPT', 'iptables -L NOPE 1', 'iptables -S NOPE 1', 'iptables -Z NOPE 1'] },
  { name: 'rename to builtin name', steps: ['iptables -N A', 'iptables -E A INPUT', 'iptables -E A nat'] },
  { name: 'new chain in nat named like filter builtin', steps: ['iptables -t nat -N FORWARD', 'iptables -t nat -S'] },
  { name: 'delete self-referencing chain', steps: ['iptables -N A', 'iptables -A A -j A', 'iptables -X A', 'iptables -F A', 'iptables -X A', 'iptables -S'] },
  { name: 'policy on chain of other table', steps: ['iptables -P PREROUTING DROP', 'iptables -t raw -P INPUT DROP'] },
  { name: 'list with rule number but no chain', steps: ['iptables -A INPUT -j ACCEPT', 'iptables -L -n 1'] },

  { name: 'sctp ports', steps: ['iptables -A INPUT -p sctp --dport 53 -j ACCEPT', 'iptables -A INPUT -p sctp -m sctp --sport 1000:2000 ! --dport 80 -j ACCEPT', 'iptables -t nat -N KUBE-SVC-S', 'iptables -t nat -A PREROUTING -d 10.96.0.10/32 -p sctp -m comment --comment "ns/dns:dns-sctp cluster IP" -m sctp --dport 53 -j KUBE-SVC-S', 'iptables -S INPUT', 'iptables -L INPUT', 'iptables -L INPUT -n', 'iptables -t nat -S'] },
  { name: 'sctp errors', steps: ['iptables -A INPUT -m sctp --dport 1 -j ACCEPT', 'iptables -A INPUT -p sctp --dport http -j ACCEPT', 'iptables -A INPUT -p sctp --dport 70000 -j ACCEPT', 'iptables -A INPUT -p sctp --dport 5:3 -j ACCEPT'] },

  { name: 'odd chain names', steps: ['iptables -N "a!b"', 'iptables -N a/b', 'iptables -N ""', 'iptables -N "tab\there"', 'iptables -N -', 'iptables -N KUBE-SVC-ABCDEFGHIJKLMNOP', 'iptables -S'] },
  { name: 'empty jump target', steps: ['iptables -A INPUT -j ""'] },
  { name: 'rename to empty', steps: ['iptables -N A', 'iptables -E A ""'] },

  { name: 'negated protocol with its match', steps: ['iptables -A INPUT ! -p tcp --dport 80 -j ACCEPT', 'iptables -A INPUT ! -p udp --dport 53 -j ACCEPT', 'iptables -A INPUT ! -p icmp --icmp-type 8 -j ACCEPT', 'iptables -A INPUT ! -p tcp -m multiport --dports 80 -j ACCEPT', 'iptables -A INPUT -p icmp -m multiport --dports 80 -j ACCEPT', 'iptables -S INPUT'] },
  { name: 'inverted port ranges as nf_tables stores them', steps: ['iptables -A INPUT -p tcp ! --dport :1023 -j ACCEPT', 'iptables -A INPUT -p tcp ! --dport 1024: -j ACCEPT', 'iptables -A INPUT -p tcp ! --dport 100:200 -j ACCEPT', 'iptables -A INPUT -p udp ! --sport 0:99 -j ACCEPT', 'iptables -A INPUT -p tcp ! --dport 0 -j ACCEPT', 'iptables -A INPUT -p sctp ! --dport :100 -j ACCEPT', 'iptables -S INPUT', 'iptables -L INPUT -n'] },
  { name: 'service names for any protocol', steps: ['iptables -A INPUT -p udp --dport https -j ACCEPT', 'iptables -A INPUT -p udp --dport www -j ACCEPT', 'iptables -A INPUT -p udp --dport ssh -j ACCEPT', 'iptables -A INPUT -p tcp --dport domain-s -j ACCEPT', 'iptables -S INPUT', 'iptables -L INPUT'] },
  { name: 'dnat with icmp protocol and port', steps: ['iptables -t nat -A PREROUTING -p icmp -j DNAT --to-destination 10.0.0.1:5', 'iptables -t nat -S PREROUTING'] },

  // ---- chains
  { name: 'user chain lifecycle', steps: ['iptables -N KUBE-SERVICES', 'iptables -N KUBE-FORWARD', 'iptables -A INPUT -j KUBE-SERVICES', 'iptables -A FORWARD -j KUBE-SERVICES', 'iptables -A KUBE-SERVICES -g KUBE-FORWARD', 'iptables -L -n', 'iptables -S', 'iptables -X KUBE-SERVICES', 'iptables -F INPUT', 'iptables -X KUBE-SERVICES', 'iptables -F FORWARD', 'iptables -X KUBE-SERVICES', 'iptables -F KUBE-SERVICES', 'iptables -X KUBE-SERVICES', 'iptables -S'] },
  { name: 'new chain exists', steps: ['iptables -N FOO', 'iptables -N FOO'] },
  { name: 'new chain builtin name', steps: ['iptables -N INPUT'] },
  { name: 'new chain long name', steps: ['iptables -N ' + 'C'.repeat(29), 'iptables -N ' + 'D'.repeat(28), 'iptables -S'] },
  { name: 'new chain bad names', steps: ['iptables -N -foo', 'iptables -N "a b"', 'iptables -N ACCEPT', 'iptables -N 1abc', 'iptables -S'] },
  { name: 'delete builtin chain', steps: ['iptables -X INPUT'] },
  { name: 'delete missing chain', steps: ['iptables -X NOPE'] },
  { name: 'delete all user chains', steps: ['iptables -N A', 'iptables -N B', 'iptables -X', 'iptables -S'] },
  { name: 'delete all user chains with reference', steps: ['iptables -N A', 'iptables -N B', 'iptables -A A -j B', 'iptables -X', 'iptables -S'] },
  { name: 'delete non-empty unreferenced chain', steps: ['iptables -N A', 'iptables -A A -j ACCEPT', 'iptables -X A', 'iptables -S'] },
  { name: 'rename chain', steps: ['iptables -N OLD', 'iptables -A INPUT -j OLD', 'iptables -E OLD NEW', 'iptables -S'] },
  { name: 'rename to existing', steps: ['iptables -N A', 'iptables -N B', 'iptables -E A B'] },
  { name: 'rename builtin', steps: ['iptables -E INPUT FOO'] },
  { name: 'rename missing', steps: ['iptables -E NOPE FOO'] },
  { name: 'policy', steps: ['iptables -P INPUT DROP', 'iptables -P FORWARD DROP', 'iptables --policy OUTPUT ACCEPT', 'iptables -S', 'iptables -L -n'] },
  { name: 'policy user chain', steps: ['iptables -N FOO', 'iptables -P FOO DROP'] },
  { name: 'policy bad target', steps: ['iptables -P INPUT REJECT'] },
  { name: 'policy lowercase', steps: ['iptables -P INPUT drop', 'iptables -S INPUT'] },
  { name: 'policy missing chain', steps: ['iptables -P NOPE DROP'] },
  { name: 'policy nat', steps: ['iptables -t nat -P PREROUTING DROP', 'iptables -t nat -S'] },
  { name: 'loop direct', steps: ['iptables -N A', 'iptables -A A -j A'] },
  { name: 'loop two chains', steps: ['iptables -N A', 'iptables -N B', 'iptables -A A -j B', 'iptables -A B -j A', 'iptables -S'] },
  { name: 'loop via goto', steps: ['iptables -N A', 'iptables -N B', 'iptables -N C', 'iptables -A A -j B', 'iptables -A B -g C', 'iptables -A C -j A', 'iptables -S'] },
  { name: 'jump to builtin chain', steps: ['iptables -A INPUT -j OUTPUT'] },
  { name: 'jump to missing chain', steps: ['iptables -A INPUT -j NOPE'] },
  { name: 'goto missing chain', steps: ['iptables -A INPUT -g NOPE'] },
  { name: 'goto target module', steps: ['iptables -A INPUT -g ACCEPT'] },
  { name: 'append to missing chain', steps: ['iptables -A FOO -j ACCEPT'] },
  { name: 'append to chain in other table', steps: ['iptables -A PREROUTING -j ACCEPT'] },

  // ---- insert, delete, replace, check, flush, zero
  { name: 'insert positions', steps: ['iptables -A INPUT -s 1.1.1.1 -j ACCEPT', 'iptables -I INPUT -s 2.2.2.2 -j ACCEPT', 'iptables -I INPUT 2 -s 3.3.3.3 -j ACCEPT', 'iptables -I INPUT 4 -s 4.4.4.4 -j ACCEPT', 'iptables -S INPUT', 'iptables -L INPUT -n --line-numbers'] },
  { name: 'insert out of range', steps: ['iptables -A INPUT -j ACCEPT', 'iptables -I INPUT 3 -j DROP'] },
  { name: 'insert zero', steps: ['iptables -I INPUT 0 -j DROP'] },
  { name: 'delete by number', steps: ['iptables -A INPUT -s 1.1.1.1 -j ACCEPT', 'iptables -A INPUT -s 2.2.2.2 -j ACCEPT', 'iptables -D INPUT 1', 'iptables -S INPUT'] },
  { name: 'delete by number out of range', steps: ['iptables -A INPUT -j ACCEPT', 'iptables -D INPUT 2'] },
  { name: 'delete by spec', steps: ['iptables -A INPUT -p tcp --dport 80 -j ACCEPT', 'iptables -A INPUT -p tcp --dport 80 -j ACCEPT', 'iptables -D INPUT -p tcp -m tcp --dport 80 -j ACCEPT', 'iptables -S INPUT', 'iptables -D INPUT -p tcp --dport 80 -j ACCEPT', 'iptables -S INPUT'] },
  { name: 'delete by spec missing', steps: ['iptables -A INPUT -p tcp --dport 80 -j ACCEPT', 'iptables -D INPUT -p tcp --dport 81 -j ACCEPT'] },
  { name: 'delete by spec different comment', steps: ['iptables -A INPUT -m comment --comment a -j ACCEPT', 'iptables -D INPUT -m comment --comment b -j ACCEPT'] },
  { name: 'replace', steps: ['iptables -A INPUT -s 1.1.1.1 -j ACCEPT', 'iptables -A INPUT -s 2.2.2.2 -j ACCEPT', 'iptables -R INPUT 2 -s 9.9.9.9 -j DROP', 'iptables -S INPUT'] },
  { name: 'replace out of range', steps: ['iptables -R INPUT 1 -j DROP'] },
  { name: 'replace without number', steps: ['iptables -R INPUT -j DROP'] },
  { name: 'check', steps: ['iptables -A INPUT -p tcp --dport 22 -j ACCEPT', 'iptables -C INPUT -p tcp --dport 22 -j ACCEPT', 'iptables -C INPUT -p tcp --dport 23 -j ACCEPT', 'iptables -C INPUT -p tcp --dport 22 -j DROP'] },
  { name: 'check missing chain', steps: ['iptables -C NOPE -j ACCEPT'] },
  { name: 'flush', steps: ['iptables -A INPUT -j ACCEPT', 'iptables -A OUTPUT -j ACCEPT', 'iptables -F', 'iptables -S'] },
  { name: 'flush one chain', steps: ['iptables -A INPUT -j ACCEPT', 'iptables -A OUTPUT -j ACCEPT', 'iptables -F OUTPUT', 'iptables -S'] },
  { name: 'flush missing chain', steps: ['iptables -F NOPE'] },
  { name: 'zero', steps: ['iptables -A INPUT -j ACCEPT', 'iptables -Z', 'iptables -Z INPUT', 'iptables -Z NOPE', 'iptables -L -n -v'] },
  { name: 'list with zero', steps: ['iptables -A INPUT -j ACCEPT', 'iptables -L -Z -n -v'] },
  { name: 'no command', steps: ['iptables -s 1.2.3.4'] },
  { name: 'no arguments', steps: ['iptables'] },
  { name: 'two commands', steps: ['iptables -A INPUT -j ACCEPT -L'] },
  { name: 'missing chain argument', steps: ['iptables -A'] },
  { name: 'missing option argument', steps: ['iptables -A INPUT -s'] },
  { name: 'missing jump argument', steps: ['iptables -A INPUT -j'] },
  { name: 'wait option', steps: ['iptables -w -A INPUT -j ACCEPT', 'iptables --wait 5 -A INPUT -j DROP', 'iptables -S INPUT'] },
  { name: 'stray argument', steps: ['iptables -A INPUT extra -j ACCEPT'] },
  { name: 'version', steps: ['iptables --version', 'iptables -V'] },
  { name: 'help', steps: ['iptables -h', 'iptables --help', { line: 'iptables-restore -h', stdin: '' }, 'iptables-save -h'] },
  { name: 'list with numeric long forms', steps: ['iptables -A INPUT -p tcp --dport 443 -j ACCEPT', 'iptables --list INPUT --numeric --verbose --exact --line-numbers'] },
  { name: 'list verbose names', steps: ['iptables -A INPUT -p tcp -s 127.0.0.1 --dport 443 -j ACCEPT', 'iptables -A INPUT -p udp -d 10.0.0.0/8 --sport 53 -j ACCEPT', 'iptables -L INPUT -v'] },
  { name: 'list references', steps: ['iptables -N A', 'iptables -N B', 'iptables -A INPUT -j A', 'iptables -A OUTPUT -j A', 'iptables -A A -j B', 'iptables -L -n', 'iptables -L A -n'] },
  { name: 'list-rules with counters', steps: ['iptables -A INPUT -j ACCEPT', 'iptables -S -v', 'iptables -S INPUT 1', 'iptables -S INPUT 2'] },
  { name: 'list rule number', steps: ['iptables -A INPUT -s 1.1.1.1 -j ACCEPT', 'iptables -A INPUT -s 2.2.2.2 -j ACCEPT', 'iptables -L INPUT 2 -n', 'iptables -L INPUT 3 -n'] },
  { name: 'rule with no target', steps: ['iptables -A INPUT -s 1.2.3.4', 'iptables -S INPUT', 'iptables -L INPUT -n -v'] },

  // ---- iptables-save and iptables-restore
  { name: 'save tables', steps: ['iptables -A INPUT -j ACCEPT', 'iptables -t nat -A POSTROUTING -j MASQUERADE', 'iptables -t raw -A PREROUTING -j ACCEPT', 'iptables-save', 'iptables-save -t nat', 'iptables-save -t filter -c'] },
  { name: 'save bad table', steps: ['iptables-save -t foo'] },
  { name: 'restore kube-proxy rules', steps: [{ line: 'iptables-restore --noflush', stdin: KUBE_RESTORE_FIXED }, 'iptables -t nat -S', 'iptables -t nat -L -n', 'iptables -L -n', 'iptables-save -t nat'] },
  { name: 'restore missing chain fails whole', steps: [{ line: 'iptables-restore', stdin: KUBE_RESTORE }, 'iptables-save'] },
  { name: 'restore simple', steps: [{ line: 'iptables-restore', stdin: '*filter\n:INPUT DROP [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -i lo -j ACCEPT\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\n' }, 'iptables -S'] },
  { name: 'restore with counters', steps: [{ line: 'iptables-restore -c', stdin: '*filter\n:INPUT ACCEPT [10:600]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [3:180]\n[5:300] -A INPUT -p tcp --dport 22 -j ACCEPT\n-A INPUT -j DROP\nCOMMIT\n' }, 'iptables-save -c', 'iptables -L -n -v', 'iptables -L -n -v -x'] },
  { name: 'restore counters without -c', steps: [{ line: 'iptables-restore', stdin: '*filter\n:INPUT ACCEPT [10:600]\n[5:300] -A INPUT -j ACCEPT\nCOMMIT\n' }, 'iptables-save -c'] },
  { name: 'restore flushes table', steps: ['iptables -A INPUT -s 1.1.1.1 -j ACCEPT', 'iptables -N OLD', 'iptables -t nat -A OUTPUT -j ACCEPT', { line: 'iptables-restore', stdin: '*filter\n-A INPUT -s 2.2.2.2 -j ACCEPT\nCOMMIT\n' }, 'iptables-save'] },
  { name: 'restore noflush appends', steps: ['iptables -A INPUT -s 1.1.1.1 -j ACCEPT', { line: 'iptables-restore --noflush', stdin: '*filter\n-A INPUT -s 2.2.2.2 -j ACCEPT\nCOMMIT\n' }, 'iptables -S'] },
  { name: 'restore noflush declared chain flushed', steps: ['iptables -N K', 'iptables -A K -s 1.1.1.1 -j ACCEPT', 'iptables -A INPUT -s 9.9.9.9 -j ACCEPT', { line: 'iptables-restore --noflush', stdin: '*filter\n:K - [0:0]\n:INPUT ACCEPT [0:0]\n-A K -s 2.2.2.2 -j ACCEPT\nCOMMIT\n' }, 'iptables -S'] },
  { name: 'restore test mode', steps: [{ line: 'iptables-restore --test', stdin: '*filter\n-A INPUT -j ACCEPT\nCOMMIT\n' }, 'iptables-save'] },
  { name: 'restore test mode bad', steps: [{ line: 'iptables-restore --test', stdin: '*filter\n-A INPUT -j NOPE\nCOMMIT\n' }] },
  { name: 'restore bad rule line', steps: ['iptables -A INPUT -s 1.1.1.1 -j ACCEPT', { line: 'iptables-restore', stdin: '*filter\n-A INPUT -j ACCEPT\n-A INPUT --bogus\nCOMMIT\n' }, 'iptables -S'] },
  { name: 'restore missing commit', steps: [{ line: 'iptables-restore', stdin: '*filter\n-A INPUT -j ACCEPT\n' }, 'iptables -S'] },
  { name: 'restore bad table', steps: [{ line: 'iptables-restore', stdin: '*foo\nCOMMIT\n' }] },
  { name: 'restore comments and blank lines', steps: [{ line: 'iptables-restore', stdin: '# a comment\n\n*filter\n# another\n-A INPUT -m comment --comment "x y" -j ACCEPT\nCOMMIT\n# end\n' }, 'iptables -S'] },
  { name: 'restore bad policy', steps: [{ line: 'iptables-restore', stdin: '*filter\n:INPUT REJECT [0:0]\nCOMMIT\n' }] },
  { name: 'restore policy on user chain line', steps: [{ line: 'iptables-restore', stdin: '*filter\n:FOO ACCEPT [0:0]\nCOMMIT\n' }, 'iptables -S'] },
  { name: 'restore rule outside table', steps: [{ line: 'iptables-restore', stdin: '-A INPUT -j ACCEPT\n' }] },
  { name: 'restore second table fails', steps: [{ line: 'iptables-restore', stdin: '*filter\n-A INPUT -j ACCEPT\nCOMMIT\n*nat\n-A PREROUTING -j NOPE\nCOMMIT\n' }, 'iptables-save'] },
  { name: 'restore loop', steps: [{ line: 'iptables-restore', stdin: '*filter\n:A - [0:0]\n:B - [0:0]\n-A A -j B\n-A B -j A\nCOMMIT\n' }, 'iptables-save'] },
  { name: 'restore table option', steps: [{ line: 'iptables-restore -T nat', stdin: '*filter\n-A INPUT -j ACCEPT\nCOMMIT\n*nat\n-A OUTPUT -j ACCEPT\nCOMMIT\n' }, 'iptables-save'] },
  { name: 'restore delete chain', steps: ['iptables -N OLD', { line: 'iptables-restore --noflush', stdin: '*filter\n-X OLD\nCOMMIT\n' }, 'iptables -S'] },
  { name: 'restore quoted comment', steps: [{ line: 'iptables-restore', stdin: `*filter\n-A INPUT -m comment --comment "it's \\"quoted\\"" -j ACCEPT\nCOMMIT\n` }, 'iptables -S', 'iptables-save'] },
  { name: 'restore reject in wrong chain', steps: [{ line: 'iptables-restore', stdin: '*nat\n-A PREROUTING -j REJECT\nCOMMIT\n' }] },
  { name: 'restore dnat in filter', steps: [{ line: 'iptables-restore', stdin: '*filter\n-A INPUT -j DNAT --to-destination 1.2.3.4\nCOMMIT\n' }] },
]

/** scenarios/firewall-examples.sh, line by line (read from the file, so new lines are picked up). */
export const FIREWALL_EXAMPLE_LINES = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../../scenarios/firewall-examples.sh'), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '' && !line.trim().startsWith('#'))

CASES.push(
  ...FIREWALL_EXAMPLE_LINES.map((line, i) => ({ name: `firewall example ${i + 1}`, steps: [line, 'iptables -S'] })),
  { name: 'firewall examples all', steps: [...FIREWALL_EXAMPLE_LINES, 'iptables -L -n -v --line-numbers', 'iptables -L'] },
)

// ---- kube-proxy: every expected rule dump of the upstream proxier tests (kube-proxy's own spelling, not
// canonical), loaded with iptables-restore and printed back by iptables-save, -S and -L -n -v. `-m nfacct`
// is dropped because the test kernel has no nfacct objects (the real tool fails with ENOENT without them).
function upstreamDumps(): { name: string; dump: string }[] {
  const dir = join(dirname(fileURLToPath(import.meta.url)), '../../src/engine/kube-proxy/modes/iptables/upstream-scenarios')
  const out: { name: string; dump: string }[] = []
  let files: string[] = []
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()
  } catch {
    return out
  }
  for (const file of files) {
    const doc = parse(readFileSync(join(dir, file), 'utf8')) as { cases?: { name: string; steps?: { expected?: string }[] }[] }
    for (const c of doc.cases ?? []) {
      ;(c.steps ?? []).forEach((s, i) => {
        if (typeof s.expected !== 'string' || !s.expected.includes('*nat')) return
        const dump = s.expected.replace(/ -m nfacct --nfacct-name \S+/g, '')
        out.push({ name: `kube-proxy ${file.replace('.yaml', '')} ${c.name} step ${i + 1}`, dump })
      })
    }
  }
  return out
}

const seenDumps = new Set<string>()
for (const { name, dump } of upstreamDumps()) {
  if (seenDumps.has(dump)) continue
  seenDumps.add(dump)
  CASES.push({ name, steps: [{ line: 'iptables-restore', stdin: dump }, 'iptables -t nat -S', 'iptables -t nat -L -n -v', 'iptables -t nat -L', 'iptables -L -n', 'iptables -L -v'] })
}

// ---- seeded random rules: plausible command lines built from a grammar, each checked against the real
// tool (accepted or refused, -S and -L output), to catch corners no hand-written case thought of.
function randomRuleCases(seed: number, count: number): ConformanceCase[] {
  const rng = createRng(seed)
  const pick = <T>(xs: readonly T[]): T => rng.pick(xs)
  const maybe = (p: number) => rng.next() < p
  const out: ConformanceCase[] = []
  for (let i = 0; i < count; i++) {
    const table = pick(['filter', 'filter', 'nat', 'mangle', 'raw'] as const)
    const chains: Record<string, string[]> = {
      filter: ['INPUT', 'FORWARD', 'OUTPUT'], nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
      mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'], raw: ['PREROUTING', 'OUTPUT'],
    }
    const chain = pick(chains[table])
    const parts: string[] = []
    const neg = () => (maybe(0.15) ? '! ' : '')
    if (maybe(0.4)) parts.push(`${neg()}-s ${pick(['10.0.0.1', '10.1.2.3/16', '192.168.0.0/24', '0.0.0.0/0', '172.16.5.4/255.255.0.0', '10.244.1.0/24'])}`)
    if (maybe(0.4)) parts.push(`${neg()}-d ${pick(['10.96.0.10', '10.96.0.0/12', '127.0.0.1', '8.8.8.8/32'])}`)
    if (maybe(0.2)) parts.push(`${neg()}-i ${pick(['eth0', 'cni+', 'lo', 'veth1234'])}`)
    if (maybe(0.2)) parts.push(`${neg()}-o ${pick(['eth0', 'cni0', 'flannel.1'])}`)
    const proto = pick(['tcp', 'udp', 'icmp', 'sctp', undefined, undefined, 'all', '6'])
    if (proto) parts.push(`${maybe(0.05) ? '! ' : ''}-p ${proto}`)
    const isTcp = proto === 'tcp' || proto === '6'
    if ((isTcp || proto === 'udp' || proto === 'sctp') && maybe(0.6)) parts.push(`${neg()}--dport ${pick(['80', '443', '1024:65535', ':1023', '53', 'ssh', 'http', '8080:8090'])}`)
    if ((isTcp || proto === 'udp') && maybe(0.3)) parts.push(`${neg()}--sport ${pick(['53', '1000:2000', '68'])}`)
    if (isTcp && maybe(0.2)) parts.push(pick(['--syn', '! --syn', '--tcp-flags SYN,ACK SYN', '--tcp-flags ALL FIN,URG,PSH']))
    if (proto === 'icmp' && maybe(0.6)) parts.push(`${neg()}--icmp-type ${pick(['echo-request', 'echo-reply', '3/4', 'any', 'time-exceeded', '11', 'destination-unreachable'])}`)
    if (maybe(0.3)) parts.push(`-m comment --comment ${pick(['kube', '"a b"', '"ns/svc:http cluster IP"', 'x-y_z'])}`)
    if (maybe(0.2)) parts.push(`-m conntrack ${neg()}--ctstate ${pick(['NEW', 'ESTABLISHED,RELATED', 'INVALID', 'DNAT', 'NEW,UNTRACKED'])}`)
    if (maybe(0.1)) parts.push(`-m state ${neg()}--state ${pick(['NEW', 'ESTABLISHED,RELATED'])}`)
    if (maybe(0.15)) parts.push(`-m mark ${neg()}--mark ${pick(['0x4000/0x4000', '1', '0x10/0xf0'])}`)
    if (maybe(0.15)) parts.push(`-m statistic --mode ${pick(['random --probability 0.25', 'random --probability 0.33333333349', 'nth --every 4 --packet 2'])}`)
    if (maybe(0.1)) parts.push(`-m addrtype ${neg()}--${pick(['src', 'dst'])}-type ${pick(['LOCAL', 'UNICAST', 'BROADCAST,MULTICAST'])}`)
    if (maybe(0.08)) parts.push(`-m limit --limit ${pick(['3/min', '10/s', '1/hour', '500/day'])}${maybe(0.5) ? ' --limit-burst 7' : ''}`)
    if (maybe(0.08)) parts.push(`-m iprange ${neg()}--src-range ${pick(['10.0.0.1-10.0.0.9', '192.168.1.100-192.168.1.200'])}`)
    if ((isTcp || proto === 'udp') && maybe(0.1)) parts.push(`-m multiport ${neg()}--${pick(['dports', 'sports', 'ports'])} ${pick(['80,443', '22,80:90,8080', 'http,https'])}`)
    if (maybe(0.05)) parts.push(`-m recent --name ${pick(['ssh', 'x'])} ${pick(['--set', '--rcheck --seconds 60', '--update --seconds 30 --hitcount 3', '--remove'])}`)
    if (maybe(0.05)) parts.push(`-m ttl ${pick(['--ttl-eq 64', '--ttl-lt 5', '! --ttl-eq 1'])}`)
    if (maybe(0.05)) parts.push(`-m length ${neg()}--length ${pick(['0:128', '1500', '60:'])}`)
    const targets = ['ACCEPT', 'DROP', 'RETURN', 'REJECT', 'REJECT --reject-with icmp-host-prohibited', 'REJECT --reject-with tcp-reset',
      'LOG', 'LOG --log-prefix "fw: " --log-level 6', 'MARK --set-mark 0x1', 'MARK --or-mark 0x4000', 'MARK --xor-mark 0x4000',
      'CONNMARK --save-mark', 'DNAT --to-destination 10.244.1.2:8080', 'DNAT --to-destination 10.244.1.2', 'SNAT --to-source 192.168.0.10',
      'MASQUERADE', 'MASQUERADE --random-fully', 'REDIRECT --to-ports 8080', 'NOTRACK', 'CT --notrack', 'TRACE']
    if (maybe(0.9)) parts.push(`-j ${pick(targets)}`)
    const cmd = pick(['-A', '-A', '-A', '-I'])
    const line = `iptables -t ${table} ${cmd} ${chain} ${parts.join(' ')}`.trimEnd()
    out.push({ name: `random rule ${seed}-${i}`, steps: [line, `iptables -t ${table} -S ${chain}`, `iptables -t ${table} -L ${chain} ${pick(['-n', '-n -v', '', '-v --line-numbers', '-n -x -v'])}`.trimEnd()] })
  }
  return out
}

CASES.push(...randomRuleCases(20261124, 120), ...randomRuleCases(7, 120))

// ---- seeded random command sequences on chains: new/rename/delete chains, jumps, inserts, deletes,
// replaces, flushes, policies, then -S, -L and iptables-save (the final save is compared too).
function randomSequenceCases(seed: number, count: number): ConformanceCase[] {
  const rng = createRng(seed)
  const pick = <T>(xs: readonly T[]): T => rng.pick(xs)
  const out: ConformanceCase[] = []
  for (let i = 0; i < count; i++) {
    const table = pick(['filter', 'nat', 'mangle'] as const)
    const builtins = table === 'filter' ? ['INPUT', 'FORWARD', 'OUTPUT'] : table === 'nat' ? ['PREROUTING', 'OUTPUT', 'POSTROUTING'] : ['PREROUTING', 'FORWARD', 'POSTROUTING']
    const users = ['A', 'B', 'KUBE-SVC-X']
    const chain = () => pick([...builtins, ...users, ...users])
    const rule = () => pick(['-s 10.0.0.1', '-p tcp --dport 80', '-d 10.96.0.0/12', '-m comment --comment c', '', '-p udp ! --sport 53'])
    const target = () => pick(['-j ACCEPT', '-j RETURN', `-j ${pick(users)}`, `-g ${pick(users)}`, '-j MARK --or-mark 0x4000', '', table === 'nat' ? '-j MASQUERADE' : '-j DROP'])
    const steps: string[] = []
    const n = 4 + rng.int(6)
    for (let k = 0; k < n; k++) {
      const t = `iptables -t ${table}`
      steps.push(pick([
        `${t} -N ${pick(users)}`, `${t} -N ${pick(users)}`, `${t} -A ${chain()} ${rule()} ${target()}`, `${t} -A ${chain()} ${rule()} ${target()}`,
        `${t} -A ${chain()} ${rule()} ${target()}`, `${t} -I ${chain()} ${1 + rng.int(3)} ${rule()} ${target()}`,
        `${t} -D ${chain()} ${1 + rng.int(2)}`, `${t} -D ${chain()} ${rule()} ${target()}`, `${t} -R ${chain()} ${1 + rng.int(2)} ${rule()} ${target()}`,
        `${t} -X ${pick(users)}`, `${t} -X`, `${t} -F ${chain()}`, `${t} -E ${pick(users)} ${pick(users)}2`, `${t} -P ${chain()} ${pick(['ACCEPT', 'DROP'])}`,
        `${t} -Z ${chain()}`, `${t} -C ${chain()} ${rule()} ${target()}`,
      ]).replace(/ +/g, ' ').trim())
    }
    steps.push(`iptables -t ${table} -S`, `iptables -t ${table} -L -n -v --line-numbers`)
    out.push({ name: `random sequence ${seed}-${i}`, steps })
  }
  return out
}

CASES.push(...randomSequenceCases(11, 100), ...randomSequenceCases(12, 100))

// ---- seeded random iptables-restore inputs (kube-proxy style syncs, partial syncs, mistakes)
function randomRestoreCases(seed: number, count: number): ConformanceCase[] {
  const rng = createRng(seed)
  const pick = <T>(xs: readonly T[]): T => rng.pick(xs)
  const out: ConformanceCase[] = []
  for (let i = 0; i < count; i++) {
    const table = pick(['filter', 'nat'] as const)
    const chains = ['KUBE-SERVICES', 'KUBE-SVC-A', 'KUBE-SEP-1', 'KUBE-MARK-MASQ']
    const builtin = table === 'nat' ? ['PREROUTING', 'OUTPUT', 'POSTROUTING'] : ['INPUT', 'FORWARD', 'OUTPUT']
    const lines = [`*${table}`]
    for (const c of chains) if (rng.next() < 0.8) lines.push(`:${c} - [0:0]`)
    if (rng.next() < 0.3) lines.push(`:${pick(builtin)} ${pick(['ACCEPT', 'DROP', 'ACCEPT'])} [${rng.int(9)}:${rng.int(999)}]`)
    const n = 2 + rng.int(6)
    for (let k = 0; k < n; k++) {
      const chain = pick([...chains, ...builtin])
      const body = pick([
        `-d 10.96.0.${rng.int(255)}/32 -p tcp -m comment --comment "ns/svc:http cluster IP" -m tcp --dport 80 -j ${pick(chains)}`,
        `-m comment --comment "ns/svc:http -> 10.244.1.2:80" -m statistic --mode random --probability 0.${rng.int(99999)} -j ${pick(chains)}`,
        '-j MARK --or-mark 0x4000', '-p tcp -m comment --comment ns/svc:http -m tcp -j DNAT --to-destination 10.244.1.2:80',
        '-m mark ! --mark 0x4000/0x4000 -j RETURN', '-j MASQUERADE --random-fully', '-m conntrack --ctstate INVALID -j DROP',
        '-j REJECT', '-j NOPE', '--bogus', '-p tcp --dport 99999 -j ACCEPT', '-m addrtype --dst-type LOCAL -j KUBE-SERVICES',
      ])
      lines.push(rng.next() < 0.1 ? `-X ${pick(chains)}` : `-A ${chain} ${body}`)
    }
    if (rng.next() < 0.9) lines.push('COMMIT')
    const args = pick(['', '--noflush', '--noflush', '-c', '--test'])
    const setup = rng.next() < 0.5 ? [`iptables -t ${table} -N KUBE-SVC-A`, `iptables -t ${table} -A ${pick(builtin)} -j KUBE-SVC-A`] : []
    out.push({ name: `random restore ${seed}-${i}`, steps: [...setup, { line: `iptables-restore ${args}`.trim(), stdin: `${lines.join('\n')}\n` }, `iptables-save -c -t ${table}`] })
  }
  return out
}

CASES.push(...randomRestoreCases(21, 80), ...randomRestoreCases(22, 80))
// More seeds of the three generators (each found mismatches that are fixed now).
CASES.push(...randomRuleCases(99, 200), ...randomSequenceCases(33, 100), ...randomRestoreCases(44, 100))

// ---- refused restore batches: the jump stack (NFT_JUMP_STACK_SIZE 16), the rules after the first refused
// one, and iptables-nft's 1024-byte error buffer (a long list ends with a cut-off copy of its last line).
function jumpChain(depth: number, table: 'filter' | 'nat', extra: string[] = []): string {
  const from = table === 'nat' ? 'OUTPUT' : 'INPUT'
  const chains = Array.from({ length: depth }, (_, i) => `C${i}`)
  return [`*${table}`, ...chains.map((c) => `:${c} - [0:0]`), `-A ${from} -j C0`,
    ...chains.slice(0, -1).map((c, i) => `-A ${c} -j C${i + 1}`), ...extra, 'COMMIT', ''].join('\n')
}
CASES.push(
  ...[15, 16, 17, 31, 100].map((depth) => ({ name: `restore jump chain ${depth} deep`, steps: [{ line: 'iptables-restore', stdin: jumpChain(depth, 'filter') }, 'iptables-save'] })),
  { name: 'restore jump chain too deep, then unrelated rules', steps: [{ line: 'iptables-restore', stdin: jumpChain(17, 'filter', ['-A OUTPUT -j ACCEPT', '-A FORWARD -j DROP']) }, 'iptables -S'] },
  { name: 'restore jump chain too deep with --noflush', steps: ['iptables -A INPUT -j ACCEPT', { line: 'iptables-restore --noflush', stdin: jumpChain(20, 'filter') }, 'iptables -S'] },
  { name: 'restore hook refused in a user chain, then more rules', steps: [{ line: 'iptables-restore', stdin: '*nat\n:X - [0:0]\n-A X -p tcp -j DNAT --to-destination 10.0.0.1\n-A POSTROUTING -j X\n-A OUTPUT -j ACCEPT\n-A PREROUTING -j X\nCOMMIT\n' }, 'iptables-save'] },
  { name: 'restore hook refused, then a jump chain too deep', steps: [{ line: 'iptables-restore', stdin: `*nat\n:Y - [0:0]\n-A Y -p tcp -j DNAT --to-destination 10.0.0.1\n-A POSTROUTING -j Y\n${jumpChain(18, 'nat').slice('*nat\n'.length)}` }, 'iptables-save'] },
  ...[14, 15, 16, 40].map((n) => ({ name: `restore ${n} refused targets`, steps: [{ line: 'iptables-restore', stdin: `*nat\n:PREROUTING ACCEPT [0:0]\n${'-A PREROUTING -j REJECT\n'.repeat(n)}COMMIT\n` }] })),
  { name: 'restore refused targets with long chain names', steps: [{ line: 'iptables-restore', stdin: `*nat\n${Array.from({ length: 12 }, (_, i) => `:KUBE-SVC-LONGCHAINNAME-${String(i).padStart(4, '0')} - [0:0]\n-A KUBE-SVC-LONGCHAINNAME-${String(i).padStart(4, '0')} -j REJECT\n`).join('')}COMMIT\n` }] },
)

// ---- listings inside a restore batch run at COMMIT, in order with the batch's other commands.
CASES.push(
  { name: 'restore listing a missing chain after a jump to a missing chain', steps: [{ line: 'iptables-restore', stdin: '*nat\n:KUBE-SERVICES - [0:0]\n-A KUBE-SERVICES -j KUBE\n-SVC-TCOU7JCQXEZGVUNU\nCOMMIT\n' }] },
  { name: 'restore listing a missing chain before a jump to a missing chain', steps: [{ line: 'iptables-restore', stdin: '*nat\n:KUBE-SERVICES - [0:0]\n-SVC-X\n-A KUBE-SERVICES -j NOPE\nCOMMIT\n' }] },
  { name: 'restore listing a missing chain', steps: [{ line: 'iptables-restore', stdin: '*nat\n:KUBE-SERVICES - [0:0]\n-A KUBE-SERVICES -j ACCEPT\n-S NOPE\nCOMMIT\n' }, 'iptables-save -t nat'] },
  { name: 'restore listing a missing chain without COMMIT', steps: [{ line: 'iptables-restore', stdin: '*nat\n-S NOPE\n' }] },
)
