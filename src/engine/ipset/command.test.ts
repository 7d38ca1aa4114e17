/**
 * `ipset` as the real v7.17 answers on kernel 6.x. Every expected text below was printed by the real tool in
 * a network namespace (`ip netns exec t ipset ...`); the sets are created with the initval the kernel had
 * drawn, so member order (jhash buckets) and "Size in memory" must come out the same.
 */
import { describe, expect, it } from 'vitest'
import { runIpset } from './command.ts'
import { IpsetStore, ipsetTest } from './store.ts'
import type { Packet } from '../netfilter/types.ts'

function run(store: IpsetStore, line: string, stdin?: string) {
  const words = line.match(/"[^"]*"|\S+/g)!.map((w) => w.replace(/^"|"$/g, ''))
  return runIpset(store, words, stdin)
}

describe('ipset list (measured output)', () => {
  it('prints a hash:ip,port set with comments in kernel bucket order and memory size', () => {
    const s = new IpsetStore()
    run(s, 'create KUBE-CLUSTER-IP hash:ip,port comment initval 0x454a628a')
    run(s, 'add KUBE-CLUSTER-IP 10.96.0.1,tcp:443 comment "test"')
    run(s, 'add KUBE-CLUSTER-IP 10.96.0.10,udp:53')
    expect(run(s, 'list KUBE-CLUSTER-IP').out).toBe(`Name: KUBE-CLUSTER-IP
Type: hash:ip,port
Revision: 7
Header: family inet hashsize 1024 maxelem 65536 comment bucketsize 12 initval 0x454a628a
Size in memory: 365
References: 0
Number of entries: 2
Members:
10.96.0.10,udp:53
10.96.0.1,tcp:443 comment "test"
`)
  })

  it('keeps skbinfo fields on elements of a set created with skbinfo, and refuses them elsewhere', () => {
    const s = new IpsetStore()
    run(s, 'create y hash:ip skbinfo initval 0x1b7ee98d')
    run(s, 'add y 10.0.0.1 skbmark 0x10/0xff skbprio 1:a skbqueue 3')
    run(s, 'add y 10.0.0.2 skbmark 0x5')
    expect(run(s, 'list y').out).toBe(`Name: y
Type: hash:ip
Revision: 6
Header: family inet hashsize 1024 maxelem 65536 skbinfo bucketsize 12 initval 0x1b7ee98d
Size in memory: 360
References: 0
Number of entries: 2
Members:
10.0.0.2 skbmark 0x5
10.0.0.1 skbmark 0x10/0xff skbprio 1:a skbqueue 3
`)
    expect(run(s, 'add y 10.0.0.3 skbmark 5')).toMatchObject({ rc: 1, err: 'ipset v7.17: Syntax error: Invalid skbmark format, it should be:  MARK/MASK or MARK (see manpage)\n' })
    run(s, 'create x hash:ip')
    expect(run(s, 'add x 10.0.0.1 skbmark 0x1')).toMatchObject({ rc: 1, err: 'ipset v7.17: Skbinfo mapping cannot be used: set was created without skbinfo support\n' })
  })

  it('prints hash:ip,port,ip members in bucket order (tcp before udp here), port without protocol meaning tcp', () => {
    const s = new IpsetStore()
    run(s, 'create LL hash:ip,port,ip initval 0x35ead8bd')
    run(s, 'add LL 1.2.3.4,udp:53,5.6.7.8')
    run(s, 'add LL 1.2.3.4,53,5.6.7.8')
    expect(run(s, 'list LL').out).toBe(`Name: LL
Type: hash:ip,port,ip
Revision: 6
Header: family inet hashsize 1024 maxelem 65536 bucketsize 12 initval 0x35ead8bd
Size in memory: 320
References: 0
Number of entries: 2
Members:
1.2.3.4,tcp:53,5.6.7.8
1.2.3.4,udp:53,5.6.7.8
`)
  })

  it('prints several sets separated by a blank line, and save as create/add lines', () => {
    const s = new IpsetStore()
    run(s, 'create N hash:ip,port,net initval 0x7f4628c7')
    run(s, 'add N 1.2.3.4,tcp:80,10.0.0.0/8')
    run(s, 'create P bitmap:port range 0-65535')
    run(s, 'add P 30080')
    expect(run(s, 'list').out).toBe(`Name: N
Type: hash:ip,port,net
Revision: 8
Header: family inet hashsize 1024 maxelem 65536 bucketsize 12 initval 0x7f4628c7
Size in memory: 520
References: 0
Number of entries: 1
Members:
1.2.3.4,tcp:80,10.0.0.0/8

Name: P
Type: bitmap:port
Revision: 3
Header: range 0-65535
Size in memory: 8264
References: 0
Number of entries: 1
Members:
30080
`)
    expect(run(s, 'save').out).toBe(`create N hash:ip,port,net family inet hashsize 1024 maxelem 65536 bucketsize 12 initval 0x7f4628c7
add N 1.2.3.4,tcp:80,10.0.0.0/8
create P bitmap:port range 0-65535
add P 30080
`)
    expect(run(s, 'list -n').out).toBe('N\nP\n')
  })

  it('a bucket whose remaining positions are all deleted is freed (measured: 296, 296, 256)', () => {
    const s = new IpsetStore()
    // 10.0.0.36 and 10.0.0.49 share bucket 545 under this initval; 10.0.0.1 sits elsewhere.
    run(s, 'create C hash:ip initval 0x1badb002')
    for (const ip of ['10.0.0.36', '10.0.0.49', '10.0.0.1']) run(s, `add C ${ip}`)
    const size = () => /Size in memory: (\d+)/.exec(run(s, 'list C -t').out)![1]
    expect(run(s, 'list C').out.split('Members:\n')[1]).toBe('10.0.0.36\n10.0.0.49\n10.0.0.1\n')
    expect(size()).toBe('296')
    run(s, 'del C 10.0.0.36')
    expect(size()).toBe('296')
    run(s, 'del C 10.0.0.49')
    expect(size()).toBe('256')
  })

  it('list -s sorts members by address, protocol, port, second address, longer prefix first (measured)', () => {
    const s = new IpsetStore()
    run(s, 'create A hash:ip,port,ip initval 0x1')
    for (const e of ['10.0.0.9,udp:1,1.1.1.1', '10.0.0.9,tcp:2,1.1.1.1', '10.0.0.9,tcp:2,0.1.1.1', '10.0.0.9,sctp:1,1.1.1.1', '2.0.0.0,tcp:9,1.1.1.1']) run(s, `add A ${e}`)
    expect(run(s, 'list -s A').out.split('Members:\n')[1]).toBe('2.0.0.0,tcp:9,1.1.1.1\n10.0.0.9,tcp:2,0.1.1.1\n10.0.0.9,tcp:2,1.1.1.1\n10.0.0.9,udp:1,1.1.1.1\n10.0.0.9,sctp:1,1.1.1.1\n')
    run(s, 'create N hash:net initval 0x2')
    for (const e of ['10.0.0.0/8', '10.0.0.0/16', '9.0.0.0/8', '10.1.0.0/16']) run(s, `add N ${e}`)
    expect(run(s, 'list -s N').out.split('Members:\n')[1]).toBe('9.0.0.0/8\n10.0.0.0/16\n10.0.0.0/8\n10.1.0.0/16\n')
  })

  it('sizes follow the kernel: empty hash:ip 216, each new bucket +40, a bitmap over 101 ports 88', () => {
    const s = new IpsetStore()
    run(s, 'create a hash:ip')
    run(s, 'create d bitmap:port range 1000-1100')
    const size = (n: string) => /Size in memory: (\d+)/.exec(run(s, `list ${n} -t`).out)![1]
    expect(size('a')).toBe('216')
    run(s, 'add a 1.1.1.1')
    run(s, 'add a 1.1.1.2')
    expect(size('a')).toBe('296')
    expect(size('d')).toBe('88')
  })
})

describe('ipset errors (measured texts and exit codes)', () => {
  const s = new IpsetStore()
  run(s, 'create A hash:ip,port')
  run(s, 'create P bitmap:port range 0-65535')
  const cases: [string, number, string][] = [
    ['create A hash:ip,port', 1, 'ipset v7.17: Set cannot be created: set with the same name already exists\n'],
    ['create B hash:foo', 1, "ipset v7.17: Syntax error: typename 'hash:foo' is unknown\n"],
    ['create', 2, "ipset v7.17: Missing mandatory argument to command create\nTry `ipset help' for more information.\n"],
    ['create Q bitmap:port', 2, "ipset v7.17: Mandatory option `range' is missing\nTry `ipset help' for more information.\n"],
    ['add A 1.2.3.4', 1, 'ipset v7.17: Syntax error: Second element is missing from 1.2.3.4.\n'],
    ['add A foo,tcp:80', 1, 'ipset v7.17: Syntax error: cannot parse foo: resolving to IPv4 address failed\n'],
    ['add A 1.1.1.1,foo:1', 1, "ipset v7.17: Syntax error: cannot parse 'foo' as a protocol\n"],
    ['add Z 1.2.3.4,tcp:80', 1, 'ipset v7.17: The set with the given name does not exist\n'],
    ['del A 1.2.3.5,tcp:80', 1, "ipset v7.17: Element cannot be deleted from the set: it's not added\n"],
    ['add A 1.2.3.4,tcp:80 comment x', 1, 'ipset v7.17: Comment cannot be used: set was created without comment support\n'],
    ['add P 70000', 1, "ipset v7.17: Syntax error: '70000' is out of range 0-65535\nSyntax error: 'tcp' is invalid as number\ncannot parse '70000' as a tcp port\n"],
    ['bogus', 2, "ipset v7.17: No command specified: unknown argument bogus\nTry `ipset help' for more information.\n"],
    ['list Z', 1, 'ipset v7.17: The set with the given name does not exist\n'],
  ]
  for (const [line, rc, err] of cases) {
    it(`ipset ${line}`, () => {
      expect(run(s, line)).toEqual({ rc, out: '', err })
    })
  }

  it('add twice fails unless -exist; test answers on stderr', () => {
    const t = new IpsetStore()
    run(t, 'create A hash:ip,port')
    expect(run(t, 'add A 1.2.3.4,tcp:80').rc).toBe(0)
    expect(run(t, 'add A 1.2.3.4,80')).toEqual({ rc: 1, out: '', err: "ipset v7.17: Element cannot be added to the set: it's already added\n" })
    expect(run(t, 'add -exist A 1.2.3.4,tcp:80').rc).toBe(0)
    expect(run(t, 'test A 1.2.3.4,tcp:80')).toEqual({ rc: 0, out: '', err: 'Warning: 1.2.3.4,tcp:80 is in set A.\n' })
    expect(run(t, 'test A 1.2.3.5,tcp:80')).toEqual({ rc: 1, out: '', err: '1.2.3.5,tcp:80 is NOT in set A.\n' })
  })

  it('restore reports the failing line', () => {
    const t = new IpsetStore()
    expect(run(t, 'restore', 'create B hash:ip\nadd B 1.1.1.1\nadd B 1.1.1.1\n'))
      .toEqual({ rc: 1, out: '', err: "ipset v7.17: Error in line 3: Element cannot be added to the set: it's already added\n" })
    expect(run(t, 'restore', 'create B hash:ip\n').err).toBe('ipset v7.17: Error in line 1: Set cannot be created: set with the same name already exists\n')
    expect(run(t, 'restore -exist', 'create B hash:ip\n').rc).toBe(0)
  })

  it('a set used by an iptables rule cannot be destroyed or renamed', () => {
    const t = new IpsetStore()
    run(t, 'create S hash:ip')
    t.references = (name) => (name === 'S' ? 1 : 0)
    expect(run(t, 'destroy S').err).toBe('ipset v7.17: Set cannot be destroyed: it is in use by a kernel component\n')
    expect(run(t, 'rename S X').err).toBe('ipset v7.17: Set cannot be renamed: it is in use by another system\n')
    expect(run(t, 'swap S Z').err).toBe('ipset v7.17: Sets cannot be swapped: the second set does not exist\n')
  })

  it('a new set takes the slot of a destroyed one, as the kernel list shows (measured: A D C)', () => {
    const t = new IpsetStore()
    for (const n of ['A', 'B', 'C']) run(t, `create ${n} hash:ip`)
    run(t, 'destroy B')
    run(t, 'create D hash:ip')
    expect(run(t, 'list -n').out).toBe('A\nD\nC\n')
    run(t, 'rename A E')
    run(t, 'swap E C')
    expect(run(t, 'list -n').out).toBe('E\nD\nC\n')
  })

  it('swap needs the same type; rename keeps the position', () => {
    const t = new IpsetStore()
    run(t, 'create A hash:ip,port')
    run(t, 'create L hash:ip,port,ip')
    expect(run(t, 'swap A L').err).toBe('ipset v7.17: The sets cannot be swapped: their type does not match\n')
    run(t, 'rename A AA')
    expect(run(t, 'list -n').out).toBe('AA\nL\n')
  })
})

describe('membership for -m set', () => {
  const s = new IpsetStore()
  run(s, 'create CIP hash:ip,port')
  run(s, 'add CIP 10.96.0.10,udp:53')
  run(s, 'create LB hash:ip,port,ip')
  run(s, 'add LB 10.244.1.2,tcp:80,10.244.1.2')
  run(s, 'create SRC hash:ip,port,net')
  run(s, 'add SRC 1.2.3.4,tcp:80,10.0.0.0/8')
  run(s, 'create NP bitmap:port range 0-65535')
  run(s, 'add NP 30080')
  const pkt = (p: Partial<Packet>): Packet => ({ src: '10.244.1.2', dst: '10.96.0.10', proto: 'udp', sport: 40000, dport: 53, length: 60, ttl: 64, mark: 0, ...p })

  it('hash:ip,port dst,dst takes the destination address and port with the protocol', () => {
    expect(ipsetTest(s, 'CIP', pkt({}), ['dst', 'dst'])).toBe(true)
    expect(ipsetTest(s, 'CIP', pkt({ proto: 'tcp' }), ['dst', 'dst'])).toBe(false)
    expect(ipsetTest(s, 'CIP', pkt({}), ['src', 'dst'])).toBe(false)
  })
  it('hash:ip,port,ip dst,dst,src is the hairpin test', () => {
    expect(ipsetTest(s, 'LB', pkt({ dst: '10.244.1.2', proto: 'tcp', dport: 80 }), ['dst', 'dst', 'src'])).toBe(true)
    expect(ipsetTest(s, 'LB', pkt({ src: '10.244.2.2', dst: '10.244.1.2', proto: 'tcp', dport: 80 }), ['dst', 'dst', 'src'])).toBe(false)
  })
  it('hash:ip,port,net matches a source inside the stored network', () => {
    expect(ipsetTest(s, 'SRC', pkt({ src: '10.9.9.9', dst: '1.2.3.4', proto: 'tcp', dport: 80 }), ['dst', 'dst', 'src'])).toBe(true)
    expect(ipsetTest(s, 'SRC', pkt({ src: '11.9.9.9', dst: '1.2.3.4', proto: 'tcp', dport: 80 }), ['dst', 'dst', 'src'])).toBe(false)
  })
  it('bitmap:port matches the port of any protocol with ports, never ICMP; unknown sets are undefined', () => {
    expect(ipsetTest(s, 'NP', pkt({ dport: 30080 }), ['dst'])).toBe(true)
    expect(ipsetTest(s, 'NP', pkt({ proto: 'icmp', dport: undefined, icmpType: 8 }), ['dst'])).toBe(false)
    expect(ipsetTest(s, 'NOPE', pkt({}), ['dst'])).toBeUndefined()
  })
})
