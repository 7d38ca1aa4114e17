/**
 * The simulated cluster rebuilt from real network namespaces, so the kernel can decide the same journeys:
 *
 *   bridge ns "docker": br0 172.18.0.1/16 (the kind network's gateway; also the outside client)
 *   one ns per Node:   eth0 <InternalIP>/16 enslaved to br0 on the other side, default via 172.18.0.1,
 *                      a route to every other Node's podCIDR via its InternalIP, ip_forward=1, and the
 *                      Node's rules exactly as the simulation's `iptables-save` prints them;
 *   one ns per Pod:    eth0 <podIP>/24 with the ptp plugin's routes (<.1> scope link, the /24 and default
 *                      via <.1>), peer of the Node's vethXXXXXXXX (the name the simulation uses), which
 *                      carries <.1>/32 and the host route to the Pod.
 *
 * Pods, Nodes and the outside client drop everything reaching their INPUT (so no stack answers on its
 * own) after an nftables set records the source address and ports of every packet that arrived: that
 * says which Pod was reached and as whom. The answer is then written by hand (a SYN-ACK from the Pod that
 * got the SYN, to the address and port it came from), so it takes the same way back as the simulation's.
 *
 * ICMP redirects are off on the Nodes (send_redirects=0 on every interface). A real kind Node leaves them on,
 * and then a NodePort packet that arrives on eth0 and is forwarded out of eth0 to another Node makes the
 * kernel send the client an ICMP redirect (measured here: an extra mangle OUTPUT count). The simulation
 * does not model redirects, so the lab turns them off.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Simulation } from '../../src/engine/simulation/simulation.ts'
import { NFACCT_CT_INVALID_DROPPED, NFACCT_LOCALHOST_NODEPORTS } from '../../src/engine/kube-proxy/modes/iptables/compile.ts'

const SENDER = join(dirname(fileURLToPath(import.meta.url)), '..', 'parity', 'send.py')

function sh(args: string[], input?: string): string {
  return execFileSync(args[0], args.slice(1), { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] })
}

/** What the lab runs (the kernel suite's gate checks each is on PATH). */
export const CLUSTER_LAB_TOOLS = ['ip', 'iptables-restore', 'iptables-save', 'nft', 'python3'] as const

/** nfacct objects as kube-proxy creates them at start (nfnetlink; there is no nfacct tool here). */
const NFACCT_SCRIPT = `
import socket, struct, sys
for name in sys.argv[1:]:
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 12)
    s.bind((0, 0))
    nm = name.encode() + b'\\0'
    attr = struct.pack('HH', 4 + len(nm), 1) + nm
    attr += b'\\0' * ((4 - len(attr) % 4) % 4)
    payload = struct.pack('BBH', 0, 0, 0) + attr
    s.send(struct.pack('IHHII', 16 + len(payload), (7 << 8) | 0, 1 | 4 | 0x400, 1, 0) + payload)
    err = struct.unpack('i', s.recv(4096)[16:20])[0]
    if err not in (0, -17): sys.exit('nfacct add %s failed: %d' % (name, err))
`

/**
 * Background multicast (IGMP reports of interfaces coming up) would raise a Node's counters at random
 * moments; it is dropped before any iptables table sees it (priority -400 runs before raw at -300).
 */
const QUIET_TABLE = `table ip quiet {
  chain pre { type filter hook prerouting priority -400; policy accept; ip daddr 224.0.0.0/4 drop; meta l4proto igmp drop; }
  chain out { type filter hook output priority -400; policy accept; ip daddr 224.0.0.0/4 drop; meta l4proto igmp drop; }
}
`

const SEEN_TABLE = `table ip seen {
  set arrivals { type ipv4_addr . inet_proto . inet_service . inet_service; flags dynamic; }
  chain in { type filter hook input priority 0; policy drop;
    meta l4proto { tcp, udp } update @arrivals { ip saddr . meta l4proto . th sport . th dport }
    meta l4proto icmp update @arrivals { ip saddr . meta l4proto . 0 . 0 }
  }
}
`

export interface WireSyn {
  src: string
  dst: string
  sport: number
  dport: number
}

/** One arrival recorded in a namespace: who sent it, from which port, to which port. */
export interface Arrival {
  src: string
  proto: string
  sport: number
  dport: number
}

export class ClusterLab {
  private readonly tag: string
  readonly bridge: string
  readonly nodeNs = new Map<string, string>()
  readonly podNs = new Map<string, string>()

  constructor(tag = String(process.pid)) {
    this.tag = tag
    this.bridge = `kpj-br-${tag}`
  }

  private all(): string[] {
    return [this.bridge, ...this.nodeNs.values(), ...this.podNs.values()]
  }

  /** Build the namespaces for every Node and Pod of the simulation and load each Node's rules. */
  setup(sim: Simulation): void {
    this.teardown()
    const lines: string[] = ['set -e', `ip netns add ${this.bridge}`, `ip -n ${this.bridge} link set lo up`,
      `ip -n ${this.bridge} link add br0 type bridge`, `ip -n ${this.bridge} addr add 172.18.0.1/16 dev br0`, `ip -n ${this.bridge} link set br0 up`]
    sim.nodeNames().forEach((node, i) => {
      const ns = `kpj-n${i}-${this.tag}`
      this.nodeNs.set(node, ns)
      const w = sim.wiring(node)
      lines.push(`ip netns add ${ns}`, `ip -n ${ns} link set lo up`,
        `ip link add eth0 netns ${ns} type veth peer name n${i} netns ${this.bridge}`,
        `ip -n ${this.bridge} link set n${i} master br0 up`,
        `ip -n ${ns} addr add ${w.ip}/16 dev eth0`, `ip -n ${ns} link set eth0 up`,
        `ip -n ${ns} route add default via 172.18.0.1`,
        ...w.podRoutes.map((r) => `ip -n ${ns} route add ${r.cidr} via ${r.via} dev eth0`),
        `ip netns exec ${ns} sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.send_redirects=0 net.ipv4.conf.default.send_redirects=0 net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0 net.ipv4.conf.eth0.send_redirects=0 net.ipv4.conf.eth0.rp_filter=0`)
      w.pods.forEach((p, k) => {
        const pns = `kpj-p${i}x${k}-${this.tag}`
        this.podNs.set(p.pod, pns)
        lines.push(`ip netns add ${pns}`, `ip -n ${pns} link set lo up`,
          `ip link add eth0 netns ${pns} type veth peer name ${p.veth} netns ${ns}`,
          `ip netns exec ${ns} sysctl -qw net.ipv4.conf.${p.veth}.send_redirects=0 net.ipv4.conf.${p.veth}.rp_filter=0 2>/dev/null || true`,
          `ip -n ${ns} addr add ${w.gatewayIP}/32 dev ${p.veth}`, `ip -n ${ns} link set ${p.veth} up`,
          `ip -n ${ns} route add ${p.ip} dev ${p.veth} scope host`,
          // As the ptp plugin leaves a Pod: the connected /24 route replaced by one via the gateway, so
          // even Pods of the same Node are reached through the Node (and its netfilter).
          `ip -n ${pns} addr add ${p.ip}/24 dev eth0 noprefixroute`, `ip -n ${pns} link set eth0 up`,
          `ip -n ${pns} route add ${w.gatewayIP} dev eth0 scope link src ${p.ip}`,
          `ip -n ${pns} route add ${podNet(p.ip)} via ${w.gatewayIP} dev eth0 src ${p.ip}`,
          `ip -n ${pns} route add default via ${w.gatewayIP}`)
      })
    })
    sh(['bash', '-c', lines.join('\n')])
    for (const ns of [this.bridge, ...this.podNs.values()]) sh(['ip', 'netns', 'exec', ns, 'nft', '-f', '-'], SEEN_TABLE)
    // On Nodes, after filter INPUT (0) and nat INPUT (100, where an answer's source is translated back)
    // have run: the Node's own stack never answers either.
    for (const ns of this.nodeNs.values()) sh(['ip', 'netns', 'exec', ns, 'nft', '-f', '-'], SEEN_TABLE.replace('priority 0;', 'priority 200;'))
    for (const node of sim.nodeNames()) {
      const ns = this.nodeNs.get(node)!
      sh(['ip', 'netns', 'exec', ns, 'nft', '-f', '-'], QUIET_TABLE)
      sh(['ip', 'netns', 'exec', ns, 'python3', '-c', NFACCT_SCRIPT, NFACCT_CT_INVALID_DROPPED, NFACCT_LOCALHOST_NODEPORTS])
      sh(['ip', 'netns', 'exec', ns, 'iptables-restore'], sim.iptablesSave(node))
    }
  }

  teardown(): void {
    for (const ns of this.all()) spawnSync('ip', ['netns', 'del', ns])
    // Leftovers of an earlier run with the same tag.
    const list = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout ?? ''
    for (const l of list.split('\n')) {
      const name = l.split(' ')[0]
      if (name.startsWith('kpj-') && name.endsWith(`-${this.tag}`)) spawnSync('ip', ['netns', 'del', name])
    }
  }

  /** Send a TCP SYN from a Pod (`namespace/name`), a Node (its name) or the outside client (the bridge). */
  sendSyn(from: string | 'outside', p: WireSyn): void {
    const ns = from === 'outside' ? this.bridge : this.podNs.get(from) ?? this.nodeNs.get(from)
    if (!ns) throw new Error(`no namespace for ${from}`)
    sh(['ip', 'netns', 'exec', ns, 'python3', SENDER, JSON.stringify([{ ...p, proto: 'tcp', flags: 'S', seq: 1000 }])])
  }

  /** The client's next packet of the connection: the handshake's ACK (after the SYN-ACK it got). */
  sendAck(from: string | 'outside', p: WireSyn): void {
    const ns = from === 'outside' ? this.bridge : this.podNs.get(from) ?? this.nodeNs.get(from)
    if (!ns) throw new Error(`no namespace for ${from}`)
    sh(['ip', 'netns', 'exec', ns, 'python3', SENDER, JSON.stringify([{ ...p, proto: 'tcp', flags: 'A', seq: 1001, ack: 5001 }])])
  }

  /** The SYN-ACK a Pod's stack would send to a SYN that arrived as `syn` (its SYN was sent with seq 1000). */
  answerSyn(pod: string, podIP: string, syn: Arrival): void {
    const ns = this.podNs.get(pod)
    if (!ns) throw new Error(`no namespace for ${pod}`)
    const packet = { src: podIP, dst: syn.src, sport: syn.dport, dport: syn.sport, proto: 'tcp', flags: 'SA', seq: 5000, ack: 1001 }
    sh(['ip', 'netns', 'exec', ns, 'python3', SENDER, JSON.stringify([packet])])
  }

  /**
   * What MetalLB's layer-2 answer to ARP does for the outside world: packets for `ip` go to `node`'s MAC
   * (a host route on the bridge side via the Node's address has the same effect).
   */
  announce(ip: string, nodeIP: string): void {
    sh(['ip', '-n', this.bridge, 'route', 'replace', `${ip}/32`, 'via', nodeIP])
  }

  /** An outside client beyond the bridge's gateway: the bridge namespace takes the address too. */
  addOutsideAddress(ip: string): void {
    sh(['ip', '-n', this.bridge, 'addr', 'add', `${ip}/32`, 'dev', 'lo'])
  }

  /** Run iptables in a Node's namespace (a rule typed into its console). */
  iptables(node: string, args: string[]): void {
    sh(['ip', 'netns', 'exec', this.nodeNs.get(node)!, 'iptables', ...args])
  }

  /** Per-rule packet counters of a Node (`table/CHAIN#N` and `table/CHAIN` for policies). */
  counters(node: string): Map<string, number> {
    return parseCounters(sh(['ip', 'netns', 'exec', this.nodeNs.get(node)!, 'iptables-save', '-c']))
  }

  /** What arrived at a Pod, a Node's own stack is not covered (or the outside client): one entry per flow. */
  arrivals(where: string | 'outside'): Arrival[] {
    const ns = where === 'outside' ? this.bridge : this.podNs.get(where) ?? this.nodeNs.get(where)
    if (!ns) throw new Error(`no namespace for ${where}`)
    const text = sh(['ip', 'netns', 'exec', ns, 'nft', 'list', 'set', 'ip', 'seen', 'arrivals'])
    return [...text.matchAll(/(\d+\.\d+\.\d+\.\d+) \. (\w+) \. (\d+) \. (\d+)/g)].map((m) => ({ src: m[1], proto: m[2], sport: Number(m[3]), dport: Number(m[4]) }))
  }

  clearArrivals(): void {
    for (const ns of this.all()) sh(['ip', 'netns', 'exec', ns, 'nft', 'flush', 'set', 'ip', 'seen', 'arrivals'])
  }
}

function podNet(ip: string): string {
  return `${ip.split('.').slice(0, 3).join('.')}.0/24`
}

export function parseCounters(text: string): Map<string, number> {
  const out = new Map<string, number>()
  let table = ''
  const perChain = new Map<string, number>()
  for (const line of text.split('\n')) {
    if (line.startsWith('*')) { table = line.slice(1); perChain.clear(); continue }
    const pol = /^:(\S+) (ACCEPT|DROP) \[(\d+):\d+\]/.exec(line)
    if (pol) { out.set(`${table}/${pol[1]}`, Number(pol[3])); continue }
    const rule = /^\[(\d+):\d+\] -A (\S+)/.exec(line)
    if (rule) {
      const n = (perChain.get(rule[2]) ?? 0) + 1
      perChain.set(rule[2], n)
      out.set(`${table}/${rule[2]}#${n}`, Number(rule[1]))
    }
  }
  return out
}

/** Keys whose counters rose, `key×N` sorted. */
export function delta(before: Map<string, number>, after: Map<string, number>): string[] {
  const out: string[] = []
  for (const [k, v] of after) {
    const d = v - (before.get(k) ?? 0)
    if (d > 0) out.push(d === 1 ? k : `${k}×${d}`)
  }
  return out.sort()
}
