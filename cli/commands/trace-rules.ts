/**
 * `trace-rules`: load an iptables-save file into a node with the given interfaces and routes, send one
 * packet through it and print the trace.
 *
 *   trace-rules --rules SAVEFILE --iface NAME=ADDR/PREFIX... [--route CIDR=GATEWAY...]
 *               --packet "PROTO SRC[:PORT] -> DST[:PORT]" [--in IFACE | --local] [--nth 2] [--json]
 *               [--assume MODULE=true|false]...
 *
 * The node has lo plus the given interfaces, connected routes for their subnets, the given routes
 * (`default=GATEWAY` for a default route) and ip_forward=1. PROTO tcp sends a SYN (60 bytes), udp a
 * 40-byte datagram, icmp an echo request (84 bytes); the source port defaults to 40000. With --nth 2 the
 * first packet traverses, is answered (the answer traverses too), and the flow's next packet (TCP: the
 * handshake's ACK) is the one traced. The destination port counts as listening when the destination is the
 * node itself (a SYN is answered with a SYN-ACK, not a reset). Exit status 0 when the packet was traced, 1 when --nth 2 could not
 * build the flow, 2 for bad arguments or rules.
 *
 * Some matches and targets depend on what a simulated node cannot know (a local socket, a cgroup, the wall
 * clock…): the trace says which value it assumed and why. `--assume MODULE=VALUE` sets that value for the
 * module (repeatable; the modules and their defaults are listed in assumptions.ts).
 */
import { FlowError, parsePacketSpec, sendNth } from '../../src/engine/host/flow.ts'
import { Host } from '../../src/engine/host/host.ts'
import { runCommandLine } from '../../src/engine/netfilter/command-line.ts'
import { formatTraversal } from '../../src/engine/netfilter/traversal-text.ts'
import { ASSUMPTION_DEFAULTS, setAssumption } from '../../src/engine/netfilter/assumptions.ts'
import type { TraversalResult, TraverseOptions } from '../../src/engine/netfilter/traversal-types.ts'
import type { CliIO } from '../io.ts'
import { readFlags, wantsHelp } from '../args.ts'

const USAGE = `usage: trace-rules --rules SAVEFILE --iface NAME=ADDR/PREFIX... [--route CIDR=GATEWAY...]
                   --packet "PROTO SRC[:PORT] -> DST[:PORT]" [--in IFACE | --local] [--nth 2] [--json]
                   [--assume MODULE=true|false]...
`

export const HELP = `usage: kpv trace-rules --rules SAVEFILE --iface NAME=ADDR/PREFIX... [--route CIDR=GATEWAY...]
                       --packet "PROTO SRC[:PORT] -> DST[:PORT]" [--in IFACE | --local] [--nth 2] [--json]
                       [--assume MODULE=true|false]...

Load an iptables-save file into a node with those interfaces and routes (and ip_forward=1) and trace one
packet through its tables and chains.

  --rules SAVEFILE           the iptables-save rule set (required)
  --iface NAME=ADDR/PREFIX   one or more interfaces, e.g. eth0=10.0.0.1/24 eth1=10.1.0.1/24 (required)
  --route CIDR=GATEWAY       one or more routes; default=GATEWAY for the default route
  --packet SPEC              "tcp|udp|icmp SRC[:PORT] -> DST[:PORT]": a TCP SYN, a UDP datagram or an echo request
  --in IFACE | --local       the packet arrives on IFACE, or is sent by the node itself
  --nth 2                    trace the flow's second packet, after the first was answered
  --seed N                   the seed for the statistic match and random ports (default 1)
  --json                     path, hits (table/CHAIN#N), policy_hits, verdict, reject_kind, packet, ...
  --assume MODULE=true|false what a match the simulation cannot know answers (socket, cgroup, time, cpu,
                             rateest, TPROXY, SYNPROXY, CHECKSUM); the trace names each assumption it used

Exit status 0 when the packet was traced, 1 when --nth 2 could not build the flow, 2 for bad arguments,
an unreadable file or rules iptables-restore refuses.
`

interface Args {
  rules?: string
  ifaces: { name: string; cidr: string }[]
  routes: { dst: string; via: string }[]
  packet?: string
  inIface?: string
  local: boolean
  nth: 1 | 2
  json: boolean
  seed: number
  assume: [string, boolean][]
}

const FLAGS = {
  rules: { type: 'string' }, packet: { type: 'string' }, in: { type: 'string' }, local: { type: 'boolean' }, json: { type: 'boolean' },
  seed: { type: 'string' }, nth: { type: 'string' }, iface: { type: 'string' }, route: { type: 'string' }, assume: { type: 'string' },
} as const

function parseOptions(args: string[]): Args {
  const a: Args = { ifaces: [], routes: [], local: false, nth: 1, json: false, seed: 1, assume: [] }
  const { tokens, problem } = readFlags(args, FLAGS)
  // --iface and --route take one or more words: the positionals after them are theirs.
  let list: 'iface' | 'route' | undefined
  const addWord = (w: string) => {
    if (list === 'iface') {
      const m = /^([^=]+)=(\d+\.\d+\.\d+\.\d+\/\d+)$/.exec(w)
      if (!m) throw new Error(`invalid --iface "${w}": expected NAME=ADDR/PREFIX`)
      a.ifaces.push({ name: m[1], cidr: m[2] })
    } else if (list === 'route') {
      const m = /^([^=]+)=(\d+\.\d+\.\d+\.\d+)$/.exec(w)
      if (!m) throw new Error(`invalid --route "${w}": expected CIDR=GATEWAY or default=GATEWAY`)
      a.routes.push({ dst: m[1], via: m[2] })
    } else {
      throw new Error(`unknown argument "${w}"`)
    }
  }
  for (const t of tokens) {
    if (t.kind === 'positional') { addWord(t.value); continue }
    const v = t.value!
    list = undefined
    switch (t.name) {
      case 'rules': a.rules = v; break
      case 'packet': a.packet = v; break
      case 'in': a.inIface = v; break
      case 'local': a.local = true; break
      case 'json': a.json = true; break
      case 'seed':
        if (!/^-?\d+$/.test(v)) throw new Error(`--seed needs an integer, got ${JSON.stringify(v)}`)
        a.seed = Number(v)
        break
      case 'nth':
        if (v !== '1' && v !== '2') throw new Error(`--nth takes 1 or 2, not "${v}"`)
        a.nth = v === '2' ? 2 : 1
        break
      case 'iface':
      case 'route':
        list = t.name
        addWord(v)
        break
      case 'assume': {
        const m = /^([^=]+)=(true|false)$/.exec(v)
        if (!m) throw new Error(`invalid --assume "${v}": expected MODULE=true or MODULE=false`)
        if (!(m[1] in ASSUMPTION_DEFAULTS)) throw new Error(`--assume ${m[1]}: no assumption for that module; modules: ${Object.keys(ASSUMPTION_DEFAULTS).join(', ')}`)
        a.assume.push([m[1], m[2] === 'true'])
        break
      }
    }
  }
  if (problem?.kind === 'unknown') throw new Error(`unknown argument "${problem.word}"`)
  if (problem?.kind === 'missing') throw new Error(`--${problem.name} needs a value`)
  return a
}

/** The JSON document: the traced packet's path, hits, policy hits, verdict and the packet as it leaves. */
export function traceJson(r: TraversalResult): Record<string, unknown> {
  return {
    path: r.path,
    hits: r.hits,
    policy_hits: r.policyHits,
    verdict: r.verdict,
    reject_kind: r.rejectKind,
    packet: r.packet,
    conntrack: { state: r.ctState, entry: r.conntrack ?? null },
    steps: r.steps,
    events: r.events,
    kernel_trace: r.kernelTrace,
    answers: r.answers.map((x) => ({ role: x.role, path: x.result.path, hits: x.result.hits, policy_hits: x.result.policyHits, verdict: x.result.verdict, packet: x.result.packet })),
  }
}

export async function run(args: string[], io: CliIO): Promise<number> {
  if (wantsHelp(args)) { io.out(HELP); return 0 }
  let a: Args
  try {
    a = parseOptions(args)
    if (!a.rules) throw new Error('--rules SAVEFILE is required')
    if (!a.packet) throw new Error('--packet "PROTO SRC[:PORT] -> DST[:PORT]" is required')
    if (a.ifaces.length === 0) throw new Error('at least one --iface NAME=ADDR/PREFIX is required')
    if (a.local === (a.inIface !== undefined)) throw new Error('give exactly one of --in IFACE or --local')
  } catch (e) {
    io.err(`trace-rules: ${(e as Error).message}\n${USAGE}`)
    return 2
  }
  let host: Host
  let spec
  try {
    host = new Host({ interfaces: a.ifaces.map((i) => ({ name: i.name, addresses: [i.cidr] })), ipForward: true, seed: a.seed })
    for (const r of a.routes) host.addRoute(r.dst, r.via)
    for (const [module, value] of a.assume) setAssumption(host.matchState, module, value)
    if (a.inIface && !host.interfaces.some((i) => i.name === a.inIface)) throw new Error(`--in ${a.inIface}: no such interface`)
    spec = parsePacketSpec(a.packet!)
    // The traced flow is one that works: something listens on its destination port when that is this node.
    if (spec.dport !== undefined) host.listeners.add(`${spec.proto}/${spec.dport}`)
  } catch (e) {
    io.err(`trace-rules: ${(e as Error).message}\n`)
    return 2
  }
  let text: string
  try {
    text = io.readFile(a.rules!)
  } catch (e) {
    io.err(`trace-rules: the path "${a.rules}" cannot be read: ${(e as Error).message}\n`)
    return 2
  }
  const restored = runCommandLine(host.ruleset, 'iptables-restore', text)
  if (restored.rc !== 0) {
    io.err(`trace-rules: ${a.rules}: iptables-restore failed (exit ${restored.rc})\n${restored.err}`)
    return 2
  }
  const opts: TraverseOptions = a.local ? { local: true } : { inIface: a.inIface! }
  let flow
  try {
    flow = sendNth(host, spec, opts, a.nth)
  } catch (e) {
    if (e instanceof FlowError) {
      io.err(`trace-rules: ${e.message}\n`)
      if (!a.json) for (const b of e.before) io.out(`${b.role} packet:\n${formatTraversal(b.result, '  ')}\n`)
      return 1
    }
    throw e
  }
  if (a.json) {
    io.out(JSON.stringify(traceJson(flow.result), null, 2) + '\n')
    return 0
  }
  for (const b of flow.before) io.out(`${b.role === 'first' ? 'first packet' : 'its answer'} (traversed before the traced packet):\n${formatTraversal(b.result, '  ')}\n\n`)
  io.out(`path: ${flow.result.path}\n${formatTraversal(flow.result)}\n`)
  return 0
}
