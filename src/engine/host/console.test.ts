import { describe, expect, it } from 'vitest'
import { traverse } from '../netfilter/traversal.ts'
import { firstPacket, parsePacketSpec, sendNth } from './flow.ts'
import { freshNode } from './host.ts'
import { rerunConsoleWatch, runConsoleLine, shellWords } from './console.ts'

describe('node console', () => {
  it('ip route prints the main table as iproute2 6.1 does (trailing space included)', () => {
    const host = freshNode()
    expect(runConsoleLine(host, 'ip route')).toEqual({
      rc: 0, err: '',
      out: 'default via 172.18.0.1 dev eth0 \n172.18.0.0/16 dev eth0 proto kernel scope link src 172.18.0.2 \n',
    })
    expect(runConsoleLine(host, 'ip route show table local').out).toBe(
      'local 127.0.0.0/8 dev lo proto kernel scope host src 127.0.0.1 \n' +
      'local 127.0.0.1 dev lo proto kernel scope host src 127.0.0.1 \n' +
      'broadcast 127.255.255.255 dev lo proto kernel scope link src 127.0.0.1 \n' +
      'local 172.18.0.2 dev eth0 proto kernel scope host src 172.18.0.2 \n' +
      'broadcast 172.18.255.255 dev eth0 proto kernel scope link src 172.18.0.2 \n')
  })

  it('ip addr and ip a list lo and eth0', () => {
    const host = freshNode()
    const out = runConsoleLine(host, 'ip a').out
    expect(out).toBe(runConsoleLine(host, 'ip addr').out)
    expect(out).toBe(`1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000
    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
    inet 127.0.0.1/8 scope host lo
       valid_lft forever preferred_lft forever
    inet6 ::1/128 scope host 
       valid_lft forever preferred_lft forever
2: eth0@if5: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default qlen 1000
    link/ether 02:42:ac:12:00:02 brd ff:ff:ff:ff:ff:ff link-netnsid 0
    inet 172.18.0.2/16 brd 172.18.255.255 scope global eth0
       valid_lft forever preferred_lft forever
    inet6 fe80::42:acff:fe12:2/64 scope link 
       valid_lft forever preferred_lft forever
`)
  })

  it('conntrack -L lists connections in the real format, the count on stderr', () => {
    const host = freshNode()
    const empty = runConsoleLine(host, 'conntrack -L')
    expect(empty).toEqual({ rc: 0, out: '', err: 'conntrack v1.4.7 (conntrack-tools): 0 flow entries have been shown.\n' })
    traverse(host, firstPacket(parsePacketSpec('udp 172.18.0.2:34077 -> 172.18.0.5:9999')), { local: true })
    host.listeners.add('tcp/80')
    sendNth(host, parsePacketSpec('tcp 172.18.0.9:40000 -> 172.18.0.2:80'), { inIface: 'eth0' }, 2)
    const r = runConsoleLine(host, 'sudo conntrack -L')
    expect(r.out).toBe(
      'udp      17 29 src=172.18.0.2 dst=172.18.0.5 sport=34077 dport=9999 [UNREPLIED] src=172.18.0.5 dst=172.18.0.2 sport=9999 dport=34077 mark=0 use=1\n' +
      'tcp      6 431999 ESTABLISHED src=172.18.0.9 dst=172.18.0.2 sport=40000 dport=80 src=172.18.0.2 dst=172.18.0.9 sport=80 dport=40000 [ASSURED] mark=0 use=1\n')
    expect(r.err).toBe('conntrack v1.4.7 (conntrack-tools): 2 flow entries have been shown.\n')
    expect(runConsoleLine(host, 'conntrack -F').err).toBe('conntrack v1.4.7 (conntrack-tools): connection tracking table has been emptied.\n')
    expect(runConsoleLine(host, 'conntrack -L').out).toBe('')
  })

  it('iptables commands change the rule set; a leading sudo is accepted', () => {
    const host = freshNode()
    expect(runConsoleLine(host, 'sudo iptables -A INPUT -p tcp --dport 22 -j ACCEPT').rc).toBe(0)
    expect(runConsoleLine(host, 'iptables -S INPUT').out).toBe('-P INPUT ACCEPT\n-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT\n')
  })

  it('iptables-restore reads pasted text', () => {
    const host = freshNode()
    const r = runConsoleLine(host, 'iptables-restore', '*filter\n:INPUT DROP [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n')
    expect(r.rc).toBe(0)
    expect(runConsoleLine(host, 'iptables -S INPUT').out).toBe('-P INPUT DROP\n')
  })

  it('an ACK to a port nobody listens on is answered with a reset, which closes the connection', () => {
    const host = freshNode()
    sendNth(host, parsePacketSpec('tcp 172.18.0.9:40000 -> 172.18.0.2:80'), { inIface: 'eth0' }, 2)
    expect(runConsoleLine(host, 'conntrack -L').out).toMatch(/^tcp {6}6 9 CLOSE src=172\.18\.0\.9 /)
  })

  it('dmesg shows LOG lines with timestamps', () => {
    const host = freshNode()
    runConsoleLine(host, 'iptables -A INPUT -j LOG --log-prefix "hello: "')
    traverse(host, firstPacket(parsePacketSpec('tcp 172.18.0.9:40000 -> 172.18.0.2:22')), { inIface: 'eth0', localAnswers: false })
    expect(runConsoleLine(host, 'dmesg').out).toMatch(/^\[ {2}100\.\d{6}\] hello: IN=eth0 OUT= /)
  })

  it('an unknown command is not found, as bash says, with status 127; history keeps lines', () => {
    const host = freshNode()
    expect(runConsoleLine(host, 'kubectl get pods')).toEqual({ rc: 127, out: '', err: 'bash: kubectl: command not found\n' })
    runConsoleLine(host, 'ip r')
    expect(runConsoleLine(host, 'history').out).toBe('    1  kubectl get pods\n    2  ip r\n    3  history\n')
  })

  it('sysctl shows and sets ip_forward', () => {
    const host = freshNode()
    expect(runConsoleLine(host, 'sysctl net.ipv4.ip_forward').out).toBe('net.ipv4.ip_forward = 1\n')
    runConsoleLine(host, 'sysctl -w net.ipv4.ip_forward=0')
    expect(host.ipForward).toBe(false)
  })

  it('splits words as a shell does', () => {
    expect(shellWords(`iptables -m comment --comment "a b" -j LOG --log-prefix 'x: ' # note`)).toEqual(
      ['iptables', '-m', 'comment', '--comment', 'a b', '-j', 'LOG', '--log-prefix', 'x: '])
  })
})

describe('ipset membership for -m set', () => {
  it('an address set and a net set', () => {
    const host = freshNode()
    for (const c of ['ipset create ips hash:ip', 'ipset add ips 10.0.0.5', 'ipset create nets hash:net', 'ipset add nets 10.1.0.0/16']) {
      expect(runConsoleLine(host, c).rc).toBe(0)
    }
    const p = firstPacket(parsePacketSpec('tcp 10.0.0.5:40000 -> 10.1.2.3:80'))
    expect(host.node.ipsetTest?.('ips', p, ['src'])).toBe(true)
    expect(host.node.ipsetTest?.('ips', p, ['dst'])).toBe(false)
    expect(host.node.ipsetTest?.('nets', p, ['dst'])).toBe(true)
    expect(host.node.ipsetTest?.('missing', p, ['dst'])).toBeUndefined()
  })
})

describe('node console: more of what learners type', () => {
  it('ip route get shows the route a packet takes, as iproute2 prints it', () => {
    const host = freshNode()
    expect(runConsoleLine(host, 'ip route get 10.96.0.1').out).toBe('10.96.0.1 via 172.18.0.1 dev eth0 src 172.18.0.2 uid 0 \n    cache \n')
    expect(runConsoleLine(host, 'ip route get 172.18.0.5').out).toBe('172.18.0.5 dev eth0 src 172.18.0.2 uid 0 \n    cache \n')
    expect(runConsoleLine(host, 'ip route get 172.18.0.2').out).toBe('local 172.18.0.2 dev lo src 172.18.0.2 uid 0 \n    cache <local> \n')
  })

  it('conntrack -L filters by protocol and ports; an unknown protocol is refused', () => {
    const host = freshNode()
    traverse(host, firstPacket(parsePacketSpec('udp 172.18.0.2:5000 -> 172.18.0.5:53')), { local: true })
    traverse(host, firstPacket(parsePacketSpec('tcp 172.18.0.2:5001 -> 172.18.0.5:80')), { local: true })
    const r = runConsoleLine(host, 'conntrack -L -p tcp --dport 80')
    expect(r.out).toMatch(/^tcp {6}6 119 SYN_SENT src=172\.18\.0\.2 dst=172\.18\.0\.5 sport=5001 dport=80 /)
    expect(r.out.split('\n').filter(Boolean)).toHaveLength(1)
    expect(r.err).toBe('conntrack v1.4.7 (conntrack-tools): 1 flow entries have been shown.\n')
    expect(runConsoleLine(host, 'conntrack -L -p foo')).toEqual({
      rc: 2, out: '', err: "conntrack v1.4.7 (conntrack-tools): `foo' unsupported protocol\nTry `conntrack -h' or 'conntrack --help' for more information.\n",
    })
  })
})

describe('node console: a shell around the node tools', () => {
  const kubeRules = '*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n:KUBE-SERVICES - [0:0]\n' +
    '-A PREROUTING -j KUBE-SERVICES\n-A OUTPUT -j KUBE-SERVICES\nCOMMIT\n'

  it('pipes iptables-save and iptables -S into the text tools (the issue\'s examples)', () => {
    const host = freshNode()
    expect(runConsoleLine(host, 'iptables-restore', kubeRules).rc).toBe(0)
    expect(runConsoleLine(host, 'iptables-save | grep -c KUBE')).toEqual({ rc: 0, out: '3\n', err: '' })
    expect(runConsoleLine(host, 'sudo iptables -t nat -S | head -3')).toEqual({
      rc: 0, out: '-P PREROUTING ACCEPT\n-P INPUT ACCEPT\n-P OUTPUT ACCEPT\n', err: '',
    })
    expect(runConsoleLine(host, 'iptables -t nat -S | grep -- "-j KUBE" | awk \'{print $2}\' | sort -u').out).toBe('OUTPUT\nPREROUTING\n')
  })

  it('iptables-restore reads a pipe, a redirect from the node\'s files and a here-document', () => {
    const host = freshNode()
    runConsoleLine(host, 'iptables -A INPUT -p tcp --dport 22 -j ACCEPT')
    expect(runConsoleLine(host, 'iptables-save > /tmp/rules').rc).toBe(0)
    runConsoleLine(host, 'iptables -F')
    expect(runConsoleLine(host, 'iptables -S INPUT').out).toBe('-P INPUT ACCEPT\n')
    expect(runConsoleLine(host, 'iptables-restore < /tmp/rules').rc).toBe(0)
    expect(runConsoleLine(host, 'iptables -S INPUT').out).toBe('-P INPUT ACCEPT\n-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT\n')
    runConsoleLine(host, 'sed "s/--dport 22/--dport 80/" /tmp/rules > rules.txt')
    expect(runConsoleLine(host, 'cat rules.txt | iptables-restore').rc).toBe(0)
    expect(runConsoleLine(host, 'iptables -S INPUT').out).toBe('-P INPUT ACCEPT\n-A INPUT -p tcp -m tcp --dport 80 -j ACCEPT\n')
    expect(runConsoleLine(host, 'iptables-restore <<EOF\n*filter\n:INPUT DROP [0:0]\nCOMMIT\nEOF').rc).toBe(0)
    expect(runConsoleLine(host, 'iptables -S INPUT').out).toBe('-P INPUT DROP\n')
  })

  it('node tools take part in lists and exit codes', () => {
    const host = freshNode()
    expect(runConsoleLine(host, 'iptables -C INPUT -j DROP 2>/dev/null || echo absent')).toEqual({ rc: 0, out: 'absent\n', err: '' })
    expect(runConsoleLine(host, 'iptables -N X && iptables -L X -n | wc -l').out).toBe('2\n')
    expect(runConsoleLine(host, 'conntrack -L 2>&1 | tail -1').out).toBe('conntrack v1.4.7 (conntrack-tools): 0 flow entries have been shown.\n')
    expect(runConsoleLine(host, 'N=$(ip route | wc -l); echo "$N routes"').out).toBe('2 routes\n')
    expect(runConsoleLine(host, 'sysctl net.ipv4.ip_forward | cut -d" " -f3').out).toBe('1\n')
  })

  it('files belong to the node: they survive between lines and clone with the host', () => {
    const host = freshNode()
    runConsoleLine(host, 'echo before > /root/note')
    const copy = host.clone()
    runConsoleLine(copy, 'echo after > /root/note; cd /tmp')
    expect(runConsoleLine(host, 'cat note; pwd').out).toBe('before\n/root\n')
    expect(runConsoleLine(copy, 'cat /root/note; pwd').out).toBe('after\n/tmp\n')
  })

  it('re-runs the last watch on demand', () => {
    const host = freshNode()
    expect(rerunConsoleWatch(host)).toBeUndefined()
    const first = runConsoleLine(host, 'watch -n 2 "iptables -S INPUT | wc -l"')
    expect(first.out).toMatch(/^Every 2\.0s: iptables -S INPUT \| wc -l +node: Thu Jan {2}1 00:01:40 2026\n\n1\n$/)
    runConsoleLine(host, 'iptables -A INPUT -j ACCEPT')
    expect(rerunConsoleWatch(host)?.out).toMatch(/\n\n2\n$/)
  })

  it('/proc/sys/net/ipv4/ip_forward reads and sets forwarding, as on a node', () => {
    const host = freshNode()
    expect(runConsoleLine(host, 'cat /proc/sys/net/ipv4/ip_forward').out).toBe('1\n')
    expect(runConsoleLine(host, 'echo 0 > /proc/sys/net/ipv4/ip_forward').rc).toBe(0)
    expect(host.ipForward).toBe(false)
    expect(runConsoleLine(host, 'sysctl net.ipv4.ip_forward; cat /proc/sys/net/ipv4/conf/all/forwarding').out).toBe('net.ipv4.ip_forward = 0\n0\n')
    // Measured in a network namespace: bash's echo reports the kernel's EINVAL.
    expect(runConsoleLine(host, 'echo abc > /proc/sys/net/ipv4/ip_forward')).toEqual({ rc: 1, out: '', err: 'bash: echo: write error: Invalid argument\n' })
    const copy = host.clone()
    runConsoleLine(copy, 'echo 1 > /proc/sys/net/ipv4/ip_forward')
    expect([host.ipForward, copy.ipForward]).toEqual([false, true])
  })

  it('which and type know where the node keeps its tools', () => {
    const host = freshNode()
    expect(runConsoleLine(host, 'which iptables dmesg grep').out).toBe('/usr/sbin/iptables\n/usr/bin/dmesg\n/usr/bin/grep\n')
    expect(runConsoleLine(host, 'type conntrack cd').out).toBe('conntrack is /usr/sbin/conntrack\ncd is a shell builtin\n')
    expect(runConsoleLine(host, '/usr/sbin/iptables -S OUTPUT').out).toBe('-P OUTPUT ACCEPT\n')
    expect(runConsoleLine(host, '/usr/sbin/nosuch')).toEqual({ rc: 127, out: '', err: 'bash: /usr/sbin/nosuch: No such file or directory\n' })
  })

  it('help describes the shell and the node tools', () => {
    const out = runConsoleLine(freshNode(), 'help').out
    expect(out).toMatch(/^A root shell on this node/)
    expect(out).toContain('iptables-restore [--noflush]')
    expect(out).toContain('Shell tools: grep head tail wc sort uniq cut awk sed')
  })
})
