/**
 * A packet journey: one connection followed across the cluster, hop by hop.
 *
 * request: the client's packet enters its first Node (from a Pod's veth: forward path; generated on the
 *          Node: output path; from outside: arriving on eth0 from the Docker bridge), goes through that
 *          Node's netfilter, is routed (pod-CIDR routes between Nodes over the bridge), goes through the
 *          next Node's netfilter, and so on until it is delivered to a Pod (out of its veth), to a Node's
 *          own stack, leaves the cluster, or is dropped / rejected somewhere.
 * reply:   the answer (a Pod answers a SYN with a SYN-ACK, a datagram with a datagram; a Node's stack
 *          answers as its sockets do; REJECT answers with an ICMP error or a TCP reset) travels back the
 *          same way, conntrack translating it (reverse DNAT / SNAT), until it reaches the client.
 *
 * Every hop is a netfilter trace step (rule, policy, chain return) or a traversal event (conntrack,
 * routing decision, NAT from a binding) on a named Node, or a move between machines, or the delivery.
 * All state lives in the hosts (counters, conntrack, `recent` lists), so a second journey of the same
 * connection finds it ESTABLISHED and later journeys see the affinity that earlier ones recorded.
 */
import type { ClusterSnapshot } from '../cluster/types.ts'
import type { Host } from '../host/host.ts'
import { answerTo, firstPacket, nextPacket } from '../host/flow.ts'
import { lookupMain } from '../host/routes.ts'
import { describePacket, traverse } from '../netfilter/traversal.ts'
import type { TraversalResult, TraverseOptions } from '../netfilter/traversal-types.ts'
import type { ClauseResult, ConntrackEntry, Hook, Packet, RejectKind, TableName } from '../netfilter/types.ts'
import type { Rng } from '../netfilter/types.ts'
import type { NodeWiring } from '../simulation/wiring.ts'
import { JourneyError, resolveJourney } from './resolve.ts'
import type { JourneySpec, Place, ResolvedJourney } from './resolve.ts'

export type { JourneySpec, Place, ResolvedJourney, SourceRef, DestRef } from './resolve.ts'
export { JourneyError, resolveJourney, resolveSource, metallbAnnouncer } from './resolve.ts'
export { MAX_SEND_COUNT } from './send-limit.ts'

/** What a journey needs from the simulation. */
export interface JourneyWorld {
  snapshot(): ClusterSnapshot
  host(node: string): Host
  wiring(node: string): NodeWiring
  nodeNames(): string[]
  readonly packetRng: Rng
  /** Source ports each client address has used. */
  readonly usedPorts: Map<string, Set<number>>
}

export type Leg = 'request' | 'reply'

/** Header fields a hop changed (what the UI calls out). */
export type HeaderField = 'src' | 'dst' | 'sport' | 'dport' | 'mark'

export type HopKind =
  /** A rule was evaluated (matched or not). */
  | 'rule'
  /** A built-in chain's policy applied. */
  | 'policy'
  /** A user chain ran out of rules (or RETURN) and evaluation went back to the caller. */
  | 'return'
  /** Conntrack, routing decision, NAT from a binding, confirm, loopback: between rule steps. */
  | 'event'
  /** The packet moves between machines. */
  | 'move'
  /** Delivered to a Pod, a Node's own stack, or the client (the end of a leg). */
  | 'deliver'
  | 'drop'
  | 'reject'

export interface JourneyHop {
  /** Position in the journey (0-based). */
  index: number
  leg: Leg
  kind: HopKind
  /** The Node where this happens (for a move: the Node the packet leaves or enters; null between a Pod/client and nothing). */
  node: string | null
  table: TableName | null
  chain: string | null
  /** 1-based rule number; null for a policy, a chain return, an event or a move. */
  rule: number | null
  /** The rule as iptables-save prints it (`-A CHAIN ...`), `policy ACCEPT`, or what happened in words. */
  text: string
  hook: Hook | null
  /** For rules: whether it matched; each clause says why or why not. */
  matched?: boolean
  clauses?: ClauseResult[]
  /** What the step did: `ACCEPT`, `jump KUBE-SERVICES`, `DNAT → 10.244.1.2:80 (...)`, `DROP`. */
  verdict?: string
  /** Event kind for `event` hops (conntrack, routing, nat, confirm, skip-table, loopback, answer). */
  event?: string
  /** Moves: where from and to, and by which link (`veth1a2b3c4d`, `eth0 (kind bridge)`). */
  from?: Place
  to?: Place
  via?: string
  packetBefore: Packet
  packetAfter: Packet
  /** Header fields this hop changed. */
  changed: HeaderField[]
  /** `xtables-monitor --trace` line for rule/policy steps. */
  kernelTrace?: string
  /** The conntrack entry after this Node's traversal, on the last hop of each traversal. */
  conntrack?: ConntrackEntry
}

export type JourneyVerdict = 'delivered' | 'dropped' | 'rejected'

export interface Journey {
  resolved: ResolvedJourney
  /** The source port used (send `{ ...spec, sport, packet: 'next' }` for the connection's next packet). */
  sport: number
  packet: 'first' | 'next'
  hops: JourneyHop[]
  verdict: JourneyVerdict
  /** Where the request ended: a Pod, a Node's own stack, or an address outside the cluster; null when dropped or rejected. */
  reached: Place | null
  /** The Pod reached (`name`), or null. */
  reachedPod: string | null
  /** The hop that dropped or rejected the request (node, table, chain, rule, text). */
  stoppedAt?: JourneyHop
  rejectKind: RejectKind | null
  /** The answer's fate: what the client finally sees. Absent when nothing answers (dropped, left the cluster, a `next` packet). */
  reply?: {
    verdict: JourneyVerdict | 'lost'
    /** The answer as the client receives it (after conntrack's reverse translation). */
    packet: Packet
    /** e.g. `SYN-ACK from 10.96.12.34:80`, `ICMP port unreachable from 172.18.0.3`, `TCP reset`. */
    summary: string
    stoppedAt?: JourneyHop
  }
  /** One line: what happened. */
  summary: string
}

/** Bound on machine-to-machine moves (a routing loop would otherwise run forever; the kernel has TTL). */
const MAX_MOVES = 16
/** Linux's default ephemeral port range (net.ipv4.ip_local_port_range). */
const PORT_LOW = 32768
const PORT_HIGH = 60999

// ---------------------------------------------------------------------------------------------- hops

function changedFields(a: Packet, b: Packet): HeaderField[] {
  // Interfaces are not header fields: only addresses, ports and the mark count.
  const out: HeaderField[] = []
  for (const f of ['src', 'dst', 'sport', 'dport', 'mark'] as const) if (a[f] !== b[f]) out.push(f)
  return out
}

class HopLog {
  readonly hops: JourneyHop[] = []
  leg: Leg = 'request'

  push(h: Omit<JourneyHop, 'index' | 'leg' | 'changed'>): JourneyHop {
    const hop: JourneyHop = { index: this.hops.length, leg: this.leg, changed: changedFields(h.packetBefore, h.packetAfter), ...h }
    this.hops.push(hop)
    return hop
  }

  /** A traversal's steps and events, interleaved in the order they happened. */
  traversal(node: string, r: TraversalResult, start: Packet): JourneyHop | undefined {
    let ev = 0
    let current = start
    let last: JourneyHop | undefined
    // An event changes the packet when conntrack rewrites it from a binding: what it looks like after the
    // event is what the next rule step (or the traversal's end) sees.
    const flushEvents = (upTo: number) => {
      while (ev < r.events.length && r.events[ev].beforeStep <= upTo) {
        const e = r.events[ev++]
        if (e.kind === 'deliver' || e.kind === 'drop') continue
        const after = e.kind === 'nat' || e.kind === 'skip-table' ? (r.steps[e.beforeStep]?.packetBefore ?? r.packet) : current
        this.push({ kind: 'event', node, table: e.table ?? null, chain: null, rule: null, hook: e.hook ?? null, text: e.text, event: e.kind, packetBefore: current, packetAfter: after })
        current = after
      }
    }
    r.steps.forEach((s, i) => {
      flushEvents(i)
      const kind: HopKind = s.rule !== null ? 'rule' : s.text.startsWith('policy ') ? 'policy' : 'return'
      const hop: JourneyHop = this.push({
        kind, node, table: s.table, chain: s.chain, rule: s.rule, hook: s.hook, text: s.text, matched: s.matched,
        clauses: s.clauses, packetBefore: s.packetBefore, packetAfter: s.packetAfter, kernelTrace: s.kernelTrace,
        ...(s.verdict !== undefined ? { verdict: s.verdict } : {}),
      })
      current = s.packetAfter
      last = hop
    })
    flushEvents(Number.MAX_SAFE_INTEGER)
    const end = this.hops[this.hops.length - 1]
    if (end && r.conntrack) end.conntrack = structuredCopy(r.conntrack)
    return last
  }
}

function structuredCopy(e: ConntrackEntry): ConntrackEntry {
  return JSON.parse(JSON.stringify(e)) as ConntrackEntry
}

// ---------------------------------------------------------------------------------------------- carrying

type Arrival = { node: string; opts: TraverseOptions; packet: Packet }

type LegEnd =
  | { kind: 'pod'; place: Place & { kind: 'pod' }; packet: Packet; node: string; veth: string }
  | { kind: 'host'; node: string; packet: Packet }
  | { kind: 'outside'; node: string; packet: Packet }
  | { kind: 'dropped'; node: string; hop?: JourneyHop; reason: string; packet: Packet }
  | { kind: 'rejected'; node: string; hop?: JourneyHop; rejectKind: RejectKind; packet: Packet; answer?: TraversalResult }

function podOnVeth(world: JourneyWorld, node: string, veth: string): (Place & { kind: 'pod' }) | undefined {
  const link = world.wiring(node).pods.find((p) => p.veth === veth)
  return link ? { kind: 'pod', namespace: link.namespace, name: link.name, node, ip: link.ip } : undefined
}

function nodeByIP(world: JourneyWorld, ip: string): string | undefined {
  return world.nodeNames().find((n) => world.wiring(n).ip === ip)
}

/** What became of a packet after one Node's traversal: delivered here, out of a veth, on to another machine. */
function afterTraversal(world: JourneyWorld, log: HopLog, node: string, r: TraversalResult, last: JourneyHop | undefined): LegEnd | Arrival {
  const p = r.packet
  if (r.verdict === 'dropped') {
    const hop = log.push({ kind: 'drop', node, table: last?.table ?? null, chain: last?.chain ?? null, rule: last?.rule ?? null, hook: last?.hook ?? null, text: `dropped on ${node}: ${r.reason}`, packetBefore: p, packetAfter: p })
    return { kind: 'dropped', node, hop: last && r.steps.length > 0 && /DROP/.test(last.verdict ?? '') ? last : hop, reason: r.reason, packet: p }
  }
  if (r.verdict === 'rejected') {
    log.push({ kind: 'reject', node, table: last?.table ?? null, chain: last?.chain ?? null, rule: last?.rule ?? null, hook: last?.hook ?? null, text: `rejected on ${node}: ${r.reason}`, packetBefore: p, packetAfter: p })
    const answer = r.answers.find((a) => a.role === 'reject')?.result
    return { kind: 'rejected', node, hop: last, rejectKind: r.rejectKind ?? 'icmp-port-unreachable', packet: p, ...(answer ? { answer } : {}) }
  }
  if (p.outIface === undefined) return { kind: 'host', node, packet: p }
  const out = p.outIface
  const pod = podOnVeth(world, node, out)
  if (pod) {
    log.push({ kind: 'move', node, table: null, chain: null, rule: null, hook: null, text: `${node} → Pod ${pod.namespace}/${pod.name} via ${out}`, from: { kind: 'node', name: node, ip: world.wiring(node).ip }, to: pod, via: out, packetBefore: p, packetAfter: p })
    return { kind: 'pod', place: pod, packet: p, node, veth: out }
  }
  const host = world.host(node)
  const route = lookupMain(host.mainRoutes(), p.dst)
  const nextHop = route?.via ?? p.dst
  const next = nodeByIP(world, nextHop)
  const from: Place = { kind: 'node', name: node, ip: world.wiring(node).ip }
  const clean: Packet = { ...p }
  delete clean.inIface
  delete clean.outIface
  if (next) {
    const why = route?.via ? `route ${route.network}/${route.prefix} via ${route.via}` : `${p.dst} is on the bridge`
    log.push({ kind: 'move', node, table: null, chain: null, rule: null, hook: null, text: `${node} → ${next} over the kind bridge (${why})`, from, to: { kind: 'node', name: next, ip: nextHop }, via: `${out} (kind bridge)`, packetBefore: p, packetAfter: clean })
    return { node: next, opts: { inIface: 'eth0' }, packet: clean }
  }
  log.push({ kind: 'move', node, table: null, chain: null, rule: null, hook: null, text: `${node} → ${p.dst} outside the cluster via ${out}${route?.via ? ` (gateway ${route.via})` : ''}`, from, to: { kind: 'client', ip: p.dst }, via: `${out} (kind bridge)`, packetBefore: p, packetAfter: clean })
  return { kind: 'outside', node, packet: clean }
}

/** Carry a packet from its arrival at a Node until the leg ends. */
function carry(world: JourneyWorld, log: HopLog, arrival: Arrival): LegEnd {
  let at = arrival
  for (let moves = 0; moves < MAX_MOVES; moves++) {
    const r = traverse(world.host(at.node), at.packet, { ...at.opts, localAnswers: false })
    const last = log.traversal(at.node, r, at.packet)
    const next = afterTraversal(world, log, at.node, r, last)
    if ('kind' in next) return next
    at = next
  }
  const p = at.packet
  log.push({ kind: 'drop', node: at.node, table: null, chain: null, rule: null, hook: null, text: `dropped: more than ${MAX_MOVES} moves between machines (routing loop; the TTL would run out)`, packetBefore: p, packetAfter: p })
  return { kind: 'dropped', node: at.node, reason: 'routing loop', packet: p }
}

/** Continue a packet a Node has already traversed (a REJECT answer, traversed where it was written). */
function carryFrom(world: JourneyWorld, log: HopLog, node: string, r: TraversalResult, start: Packet): LegEnd {
  const last = log.traversal(node, r, start)
  const next = afterTraversal(world, log, node, r, last)
  return 'kind' in next ? next : carry(world, log, next)
}

// ---------------------------------------------------------------------------------------------- journeys

function pickSport(world: JourneyWorld, client: string): number {
  let used = world.usedPorts.get(client)
  if (!used) world.usedPorts.set(client, used = new Set())
  const span = PORT_HIGH - PORT_LOW + 1
  if (used.size >= span) used.clear()
  let port = PORT_LOW + Math.floor(world.packetRng.next() * span)
  while (used.has(port)) port = port === PORT_HIGH ? PORT_LOW : port + 1
  used.add(port)
  return port
}

function describeEnd(e: LegEnd): string {
  switch (e.kind) {
    case 'pod': return `Pod ${e.place.namespace}/${e.place.name} on ${e.node}`
    case 'host': return `${e.node} itself`
    case 'outside': return `${e.packet.dst} outside the cluster`
    case 'dropped': return `dropped on ${e.node}`
    case 'rejected': return `rejected on ${e.node}`
  }
}

function answerSummary(p: Packet): string {
  if (p.proto === 'icmp') {
    const kinds: Record<number, string> = { 0: 'net unreachable', 1: 'host unreachable', 2: 'protocol unreachable', 3: 'port unreachable', 9: 'net prohibited', 10: 'host prohibited', 13: 'administratively prohibited' }
    return p.icmpType === 3 ? `ICMP ${kinds[p.icmpCode ?? 3] ?? `unreachable code ${p.icmpCode}`} from ${p.src}` : `ICMP type ${p.icmpType} from ${p.src}`
  }
  if (p.proto === 'tcp') {
    const f = p.tcpFlags
    const what = f?.RST ? 'TCP reset (RST)' : f?.SYN && f.ACK ? 'SYN-ACK' : 'TCP segment'
    return `${what} from ${p.src}:${p.sport}`
  }
  return `${String(p.proto)} reply from ${p.src}:${p.sport}`
}

/** Run one journey (the world's hosts change as they would: counters, conntrack, recent lists). */
export function runJourney(world: JourneyWorld, spec: JourneySpec): Journey {
  const snapshot = world.snapshot()
  const resolved = resolveJourney(snapshot, spec)
  const kind = spec.packet ?? 'first'
  const entryHost = world.host(resolved.entry.node)
  // A Node's own packets take the source address of their route (as the kernel's source selection does).
  const src = resolved.source.kind === 'node' ? entryHost.route(resolved.dst)?.src ?? resolved.src : resolved.src
  resolved.src = src
  if (spec.sport !== undefined && (!Number.isInteger(spec.sport) || spec.sport < 1 || spec.sport > 65535)) throw new JourneyError(`invalid source port ${spec.sport}`)
  const source = resolved.source
  const sourceVeth = source.kind === 'pod' ? world.wiring(source.node).pods.find((p) => p.namespace === source.namespace && p.name === source.name)?.veth : undefined
  if (source.kind === 'pod' && !sourceVeth) throw new JourneyError(`Pod ${source.namespace}/${source.name} has no veth on ${source.node}`)
  // Nothing has changed up to here: a journey that cannot start leaves the world as it was.
  const sport = spec.sport ?? pickSport(world, src)
  if (spec.sport !== undefined) {
    let used = world.usedPorts.get(src)
    if (!used) world.usedPorts.set(src, used = new Set())
    used.add(sport)
  }
  const flow = { proto: resolved.proto, src, sport, dst: resolved.dst, dport: resolved.dport }
  const packet = kind === 'next' ? nextPacket(flow) : firstPacket(flow)
  const log = new HopLog()

  // The packet reaches its first Node.
  let arrival: Arrival
  if (source.kind === 'pod') {
    const veth = sourceVeth!
    log.push({ kind: 'move', node: source.node, table: null, chain: null, rule: null, hook: null, text: `Pod ${source.namespace}/${source.name} → ${source.node} via ${veth}`, from: source, to: { kind: 'node', name: source.node, ip: world.wiring(source.node).ip }, via: veth, packetBefore: packet, packetAfter: packet })
    arrival = { node: source.node, opts: { inIface: veth }, packet }
  } else if (source.kind === 'node') {
    arrival = { node: source.name, opts: { local: true }, packet }
  } else {
    const node = resolved.entry.node
    log.push({ kind: 'move', node, table: null, chain: null, rule: null, hook: null, text: `client ${source.ip} → ${node} via eth0 (${resolved.entry.why})`, from: source, to: { kind: 'node', name: node, ip: world.wiring(node).ip }, via: 'eth0 (kind bridge)', packetBefore: packet, packetAfter: packet })
    arrival = { node, opts: { inIface: 'eth0' }, packet }
  }

  const end = carry(world, log, arrival)
  const journey: Journey = {
    resolved, sport, packet: kind, hops: log.hops, verdict: 'delivered', reached: null, reachedPod: null, rejectKind: null, summary: '',
  }
  let answerFrom: { arrival?: Arrival; traversed?: { node: string; result: TraversalResult; start: Packet } } | undefined
  switch (end.kind) {
    case 'pod': {
      journey.reached = end.place
      journey.reachedPod = end.place.name
      log.push({ kind: 'deliver', node: end.node, table: null, chain: null, rule: null, hook: null, text: `delivered to Pod ${end.place.namespace}/${end.place.name} (${end.place.ip})`, to: end.place, packetBefore: end.packet, packetAfter: end.packet })
      if (kind === 'first') {
        const answer = answerTo(end.packet)
        log.leg = 'reply'
        log.push({ kind: 'move', node: end.node, table: null, chain: null, rule: null, hook: null, text: `Pod ${end.place.namespace}/${end.place.name} answers: ${describePacket(answer)} → ${end.node} via ${end.veth}`, from: end.place, to: { kind: 'node', name: end.node, ip: world.wiring(end.node).ip }, via: end.veth, packetBefore: answer, packetAfter: answer })
        answerFrom = { arrival: { node: end.node, opts: { inIface: end.veth }, packet: answer } }
      }
      break
    }
    case 'host': {
      const host = world.host(end.node)
      journey.reached = { kind: 'node', name: end.node, ip: world.wiring(end.node).ip }
      log.push({ kind: 'deliver', node: end.node, table: null, chain: null, rule: null, hook: null, text: `delivered to ${end.node}'s own network stack (${end.packet.dst}:${end.packet.dport ?? ''})`, to: journey.reached, packetBefore: end.packet, packetAfter: end.packet })
      const answer = kind === 'first' ? host.localAnswer(end.packet) : undefined
      if (answer) {
        log.leg = 'reply'
        answerFrom = { arrival: { node: end.node, opts: { local: true }, packet: answer } }
      }
      break
    }
    case 'outside': {
      journey.reached = { kind: 'client', ip: end.packet.dst }
      log.push({ kind: 'deliver', node: null, table: null, chain: null, rule: null, hook: null, text: `left the cluster towards ${end.packet.dst} (nothing in the simulation answers)`, to: journey.reached, packetBefore: end.packet, packetAfter: end.packet })
      break
    }
    case 'dropped':
      journey.verdict = 'dropped'
      if (end.hop) journey.stoppedAt = end.hop
      break
    case 'rejected':
      journey.verdict = 'rejected'
      journey.rejectKind = end.rejectKind
      if (end.hop) journey.stoppedAt = end.hop
      if (end.answer) {
        log.leg = 'reply'
        answerFrom = { traversed: { node: end.node, result: end.answer, start: end.answer.steps[0]?.packetBefore ?? end.answer.packet } }
      }
      break
  }

  if (answerFrom) {
    const back = answerFrom.arrival ? carry(world, log, answerFrom.arrival) : carryFrom(world, log, answerFrom.traversed!.node, answerFrom.traversed!.result, answerFrom.traversed!.start)
    journey.reply = replyOutcome(log, source, back)
  }
  journey.summary = summarize(journey, end)
  return journey
}

/** Did the answer get back to the client? */
function replyOutcome(log: HopLog, client: Place, back: LegEnd): NonNullable<Journey['reply']> {
  const p = back.packet
  const reachedClient =
    (client.kind === 'pod' && back.kind === 'pod' && back.place.namespace === client.namespace && back.place.name === client.name) ||
    (client.kind === 'node' && back.kind === 'host' && back.node === client.name) ||
    (client.kind === 'client' && back.kind === 'outside' && p.dst === client.ip)
  if (reachedClient) {
    const summary = answerSummary(p)
    const who = client.kind === 'client' ? `client ${client.ip}` : client.kind === 'pod' ? `Pod ${client.namespace}/${client.name}` : client.name
    log.push({ kind: 'deliver', node: back.kind === 'outside' ? null : back.node, table: null, chain: null, rule: null, hook: null, text: `${who} receives ${summary}`, to: client, packetBefore: p, packetAfter: p })
    return { verdict: 'delivered', packet: p, summary }
  }
  if (back.kind === 'dropped' || back.kind === 'rejected') {
    const r: NonNullable<Journey['reply']> = { verdict: back.kind, packet: p, summary: `the answer was ${back.kind} on ${back.node}` }
    if (back.hop) r.stoppedAt = back.hop
    return r
  }
  log.push({ kind: 'deliver', node: null, table: null, chain: null, rule: null, hook: null, text: `the answer went to ${describeEnd(back)}, not to the client`, packetBefore: p, packetAfter: p })
  return { verdict: 'lost', packet: p, summary: `the answer went to ${describeEnd(back)}` }
}

function summarize(j: Journey, end: LegEnd): string {
  const r = j.resolved
  const head = `${r.proto} ${r.src}:${j.sport} → ${r.dst}:${r.dport}${j.packet === 'next' ? ' (next packet)' : ''}`
  if (j.verdict === 'dropped') {
    const at = j.stoppedAt
    return `${head}: dropped on ${end.node}${at?.table ? ` (${at.table} ${at.chain}${at.rule !== null ? ` rule ${at.rule}` : ' policy'})` : ''}`
  }
  if (j.verdict === 'rejected') return `${head}: rejected on ${end.node} (${j.rejectKind}); ${j.reply ? j.reply.summary : 'no answer reached the client'}`
  const reply = j.reply ? `; ${j.reply.verdict === 'delivered' ? `the client receives ${j.reply.summary}` : j.reply.summary}` : ''
  return `${head}: reached ${describeEnd(end)}${reply}`
}
