/**
 * The real kernel side of the parity suite: three network namespaces joined by veth pairs,
 *
 *   client (eth0 10.10.1.2/24) ── (eth0 10.10.1.1/24) router (eth1 10.10.2.1/24) ── (eth0 10.10.2.2/24) server
 *
 * The router forwards (ip_forward=1) and carries the rules under test. Client and server drop everything
 * that reaches their INPUT, so their own stacks never answer: every packet of a case, replies included,
 * is written by hand and sent through a raw socket (send.py), so the kernel and the engine see exactly the
 * same packets. The router's stack does answer (RST, ICMP errors, echo replies), as the engine's host does.
 *
 * An nftables table `observe` in the router, at priority 1000 (after every iptables table), counts what
 * reached the local socket layer (input) and what left (postrouting), by conntrack state, so a packet's
 * fate can be read without touching the iptables counters under test: delivered when it reached input or
 * postrouting as NEW/ESTABLISHED/UNTRACKED/INVALID; rejected when instead a RELATED answer (REJECT's reset
 * or ICMP error) left; dropped otherwise. (Answers of the router's own stack are ESTABLISHED or RELATED to a
 * delivered packet, so they never turn a drop into a delivery.) It also makes the kernel track connections
 * in the namespace at all: iptables-nft alone registers conntrack only for rules that need it.
 */
import { execFileSync } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export type Origin = 'client' | 'server' | 'router'

export interface WirePacket {
  src: string
  dst: string
  proto: 'tcp' | 'udp' | 'icmp'
  sport?: number
  dport?: number
  /** TCP flags as letters: S, A, R, F, P, U, E (ECE), C (CWR) — e.g. `SA` for SYN-ACK. */
  flags?: string
  seq?: number
  ack?: number
  /** A TCP MSS option (the header grows by 4 bytes). */
  mss?: number
  /** The IP TOS byte (DSCP and ECN). */
  tos?: number
  icmpType?: number
  icmpCode?: number
  icmpId?: number
  icmpSeq?: number
  payload?: number
  ttl?: number
  /** ICMP errors: the packet the error is about (its IP header and first 8 bytes are quoted). */
  quoted?: WirePacket
}

export interface Counters {
  /** `table/CHAIN#N` → packets, bytes; `table/CHAIN` → the policy counters. */
  rules: Map<string, [number, number]>
  policies: Map<string, [number, number]>
  tables: Set<string>
}

export interface Observed {
  inOrig: number
  postOrig: number
  postRelatedTcp: number
  postRelatedIcmp: number
}

const here = dirname(fileURLToPath(import.meta.url))
const SENDER = join(here, 'send.py')

export const ROUTER_IFACES = [
  { name: 'eth0', addresses: ['10.10.1.1/24'] },
  { name: 'eth1', addresses: ['10.10.2.1/24'] },
]

function sh(args: string[], input?: string): string {
  return execFileSync(args[0], args.slice(1), { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] })
}

/** Whether this machine can run the lab (root, ip, iptables-nft, nft, python3, conntrack, ipset). */
/** What the lab runs (the kernel suites' gate checks each is on PATH). */
export const KERNEL_LAB_TOOLS = ['ip', 'iptables-restore', 'iptables-save', 'nft', 'python3', 'conntrack', 'ipset'] as const

/**
 * The python3 binary itself: a version manager's shim (pyenv) costs over half a second per start, and the
 * suite starts python for every packet.
 */
let python: string | undefined
function pythonBinary(): string {
  python ??= sh(['python3', '-c', 'import sys; print(sys.executable)']).trim() || 'python3'
  return python
}

export class KernelLab {
  readonly ns: Record<Origin, string>

  constructor(tag = String(process.pid)) {
    this.ns = { client: `kpv-c-${tag}`, router: `kpv-r-${tag}`, server: `kpv-s-${tag}` }
  }

  setup(): void {
    this.teardown()
    const { client: c, router: r, server: s } = this.ns
    const script = `
set -e
ip netns add ${c}; ip netns add ${r}; ip netns add ${s}
for n in ${c} ${r} ${s}; do ip -n $n link set lo up; done
ip link add eth0 netns ${c} type veth peer name eth0 netns ${r}
ip link add eth1 netns ${r} type veth peer name eth0 netns ${s}
ip -n ${c} addr add 10.10.1.2/24 dev eth0; ip -n ${c} link set eth0 up; ip -n ${c} route add default via 10.10.1.1
ip -n ${s} addr add 10.10.2.2/24 dev eth0; ip -n ${s} link set eth0 up; ip -n ${s} route add default via 10.10.2.1
ip -n ${r} addr add 10.10.1.1/24 dev eth0; ip -n ${r} addr add 10.10.2.1/24 dev eth1
ip -n ${r} link set eth0 up; ip -n ${r} link set eth1 up
ip netns exec ${r} sysctl -qw net.ipv4.ip_forward=1 net.ipv4.icmp_ratelimit=0 net.ipv4.icmp_msgs_per_sec=100000 \
  net.ipv4.conf.all.send_redirects=0 net.ipv4.conf.eth0.send_redirects=0 net.ipv4.conf.eth1.send_redirects=0 \
  net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.eth0.rp_filter=0 net.ipv4.conf.eth1.rp_filter=0
ip -n ${r} route add default via 10.10.2.2
ip netns exec ${r} nft -f - <<'NFT'
table ip observe {
  chain in { type filter hook input priority 1000; policy accept;
    ct state new,established counter
    ct state untracked,invalid counter
    ct state related iifname != "lo" counter
  }
  chain forwarded { type filter hook forward priority 1000; policy accept;
    ct state related meta l4proto tcp counter
    ct state related meta l4proto icmp counter
  }
  chain post { type filter hook postrouting priority 1000; policy accept;
    ct state new,established counter
    ct state untracked,invalid counter
    ct state related meta l4proto tcp counter
    ct state related meta l4proto icmp counter
  }
}
NFT
ip netns exec ${r} sysctl -qw net.netfilter.nf_conntrack_tcp_be_liberal=1
for n in ${c} ${s}; do ip netns exec $n iptables -P INPUT DROP; done
# Resolve neighbours once so no case waits for ARP.
ip netns exec ${c} ping -c1 -W1 10.10.1.1 >/dev/null 2>&1 || true
`
    sh(['bash', '-c', script])
  }

  teardown(): void {
    for (const n of Object.values(this.ns)) {
      try { sh(['ip', 'netns', 'del', n]) } catch { /* not there */ }
    }
  }

  private forwarding = true

  setForwarding(on: boolean): void {
    if (on === this.forwarding) return
    sh(['ip', 'netns', 'exec', this.ns.router, 'sysctl', '-qw', `net.ipv4.ip_forward=${on ? 1 : 0}`])
    this.forwarding = on
  }

  /** Counters, the observe table and the conntrack listing in one exec (the suite runs hundreds). */
  snapshot(): { counters: Counters; observed: Observed; conntrack: string } {
    const text = sh(['ip', 'netns', 'exec', this.ns.router, 'sh', '-c',
      'iptables-save -c; echo @@@; nft list table ip observe; echo @@@; conntrack -L 2>/dev/null'])
    const [save, observe, conntrack] = text.split('@@@\n')
    return { counters: parseSaveCounters(save), observed: parseObserve(observe), conntrack }
  }

  /** Replace the router's iptables tables with `saveText` (counters zero) and empty its conntrack table. */
  load(saveText: string, prepare: string[] = []): void {
    // One exec: drop the iptables tables, conntrack entries and ipsets, run the preparation, restore.
    const script = [
      'for t in raw mangle filter security nat; do nft delete table ip $t 2>/dev/null || true; done',
      'conntrack -F 2>/dev/null || true', 'ipset destroy 2>/dev/null || true',
      // A case with -m connbytes switches accounting on for good (xt_connbytes): each case starts without.
      'sysctl -qw net.netfilter.nf_conntrack_acct=0', 'set -e', ...prepare, 'iptables-restore',
    ].join('\n')
    sh(['ip', 'netns', 'exec', this.ns.router, 'sh', '-c', script], saveText)
  }

  /** Run shell commands in the router before its rules are loaded (e.g. `ipset create ...`). */
  prepare(commands: string[]): void {
    for (const c of commands) sh(['ip', 'netns', 'exec', this.ns.router, 'sh', '-c', c])
  }

  send(from: Origin, packets: WirePacket[]): void {
    sh(['ip', 'netns', 'exec', this.ns[from], pythonBinary(), '-S', SENDER, JSON.stringify(packets)])
  }

  counters(): Counters {
    const text = sh(['ip', 'netns', 'exec', this.ns.router, 'iptables-save', '-c'])
    return parseSaveCounters(text)
  }

  observe(): Observed {
    return parseObserve(sh(['ip', 'netns', 'exec', this.ns.router, 'nft', 'list', 'table', 'ip', 'observe']))
  }

  conntrackList(): string {
    return sh(['ip', 'netns', 'exec', this.ns.router, 'conntrack', '-L'])
  }
}

/** The observe table's counters: what reached input, was forwarded, or left, by conntrack state. */
function parseObserve(text: string): Observed {
  if (!/chain in[\s\S]*chain forwarded[\s\S]*chain post/.test(text)) throw new Error(`unexpected observe table:\n${text}`)
  const n = [...text.matchAll(/counter packets (\d+) bytes \d+/g)].map((m) => Number(m[1]))
  // in: tracked, untracked/invalid, related from outside; forwarded: related tcp, icmp;
  // post: tracked, untracked/invalid, related tcp, related icmp. Related packets leaving that were not
  // forwarded are the router's own answers (REJECT).
  return {
    inOrig: n[0] + n[1] + n[2], postOrig: n[5] + n[6] + n[3] + n[4],
    postRelatedTcp: n[7] - n[3], postRelatedIcmp: n[8] - n[4],
  }
}

/** Counters from `iptables-save -c` text, keyed like the engine's hits. */
export function parseSaveCounters(text: string): Counters {
  const rules = new Map<string, [number, number]>()
  const policies = new Map<string, [number, number]>()
  const tables = new Set<string>()
  let table = ''
  const perChain = new Map<string, number>()
  for (const line of text.split('\n')) {
    if (line.startsWith('*')) { table = line.slice(1); tables.add(table); perChain.clear(); continue }
    const pol = /^:(\S+) (ACCEPT|DROP) \[(\d+):(\d+)\]/.exec(line)
    if (pol) { policies.set(`${table}/${pol[1]}`, [Number(pol[3]), Number(pol[4])]); continue }
    const rule = /^\[(\d+):(\d+)\] -A (\S+)/.exec(line)
    if (rule) {
      const n = (perChain.get(rule[3]) ?? 0) + 1
      perChain.set(rule[3], n)
      rules.set(`${table}/${rule[3]}#${n}`, [Number(rule[1]), Number(rule[2])])
    }
  }
  return { rules, policies, tables }
}

/** What rose between two counter snapshots: `key` repeated once per packet, sorted; bytes summed. */
export function counterDelta(before: Map<string, [number, number]>, after: Map<string, [number, number]>): Record<string, [number, number]> {
  const out: Record<string, [number, number]> = {}
  for (const [k, [p, b]] of after) {
    const [p0, b0] = before.get(k) ?? [0, 0]
    if (p !== p0 || b !== b0) out[k] = [p - p0, b - b0]
  }
  return out
}
