/**
 * A packet's way through netfilter, in the kernel's hook and priority order:
 *
 *   arriving for the host: PREROUTING (raw, conntrack, mangle, nat/DNAT) → routing: local →
 *                          INPUT (mangle, filter, nat/SNAT, security) → conntrack confirm → socket
 *   forwarded:             PREROUTING (...) → routing: not local, needs ip_forward=1 →
 *                          FORWARD (mangle, filter, security) → POSTROUTING (mangle, nat/SNAT) → confirm → out
 *   generated locally:     routing → OUTPUT (raw, conntrack, mangle, nat/DNAT, filter, security) → re-route
 *                          when the destination or mark changed → POSTROUTING (mangle, nat) → confirm → out;
 *                          to a local address it then re-enters through `lo`: PREROUTING (raw, mangle; the nat
 *                          table is not consulted again) and INPUT (mangle, filter, security).
 *
 * (The loopback re-entry was measured in a network namespace with a counting rule in every built-in
 * chain: a UDP datagram to the host's own address raised raw/mangle/nat/filter OUTPUT, mangle/nat
 * POSTROUTING, raw/mangle PREROUTING and mangle/filter INPUT, but not nat PREROUTING or nat INPUT.)
 *
 * Within a table: jumps, gotos, RETURN, falling off user chains, and built-in policies, with counters
 * that rise as the kernel's do (rule counters when a rule matches, policy counters when a policy applies,
 * bytes = packet length). The nat table is consulted only while a connection has no binding for the
 * hook's manip type; afterwards conntrack rewrites packets from the binding.
 */
import type { CtLookup, CtRecord } from './conntrack.ts'
import { invertTuple, tupleOf } from './conntrack.ts'
import { applyBinding, chooseBinding, describeBinding, manipTypeOf, natPacket } from './nat.ts'
import { describeReject, rejectAnswer } from './reject.ts'
import { HOOK_TABLES } from './hook-tables.ts'
import { iptablesPriority, NFT_HOOK } from '../nftables/hooks.ts'
import type {
  HookStage, HookStageContext, TraversalEvent, TraversalHost, TraversalPath, TraversalResult, TraverseOptions, Verdict,
} from './traversal-types.ts'
import type {
  ConntrackInfo, ConntrackTemplate, EvalContext, Hook, NatAction, Packet, RejectKind, Rule, TableName, TraceStep,
} from './types.ts'

/** A bound on rule evaluations per table visit: rule sets with loops (which iptables refuses) cannot hang us. */
const MAX_RULE_EVALUATIONS = 500_000
const MAX_CHAIN_DEPTH = 256

type TableOutcome =
  | { verdict: 'ACCEPT' }
  | { verdict: 'DROP'; why: string }
  | { verdict: 'REJECT'; kind: RejectKind; why: string }
  | { verdict: 'NAT'; action: NatAction; step: number }

/** Internal: a packet the host sends as an answer, attached to the connection it answers (nf_ct_attach). */
interface Attach {
  record: CtRecord
  direction: 'ORIGINAL' | 'REPLY'
  state: 'RELATED' | 'ESTABLISHED' | 'NEW'
}

interface Walk {
  host: TraversalHost
  packet: Packet
  path: TraversalPath
  steps: TraceStep[]
  events: TraversalEvent[]
  hits: string[]
  policyHits: string[]
  kernelTrace: string[]
  traceId: string
  ct: CtLookup | undefined
  notrack: boolean
  /** CT in the raw table: the zone and helper the packet's connection is looked up in and created with. */
  ctTemplate?: ConntrackTemplate
  answers: TraversalResult['answers']
  rejectKind: RejectKind | null
  depth: number
  localAnswers: boolean
  /** The hook being traversed (events between rules are attributed to it). */
  hook: Hook | undefined
  /** A hook stage (IPVS at LOCAL_IN) took the packet to send it on through LOCAL_OUT itself. */
  xmit?: boolean
  /** The packet was re-sent by IPVS (skb->ipvs_property): IPVS hooks let it pass. */
  resent?: boolean
  /** A copy TEE sent: routed towards this gateway, and not copied again. */
  duplicate?: { gateway: string; oif?: string }
}

// ---------------------------------------------------------------------------------------------- entry

/**
 * Send one packet through the host. `inIface` for a packet arriving on an interface, `local` for one the
 * host generates. Counters, conntrack, the kernel log and the clock of the host change as they would.
 */
export function traverse(host: TraversalHost, packet: Packet, opts: TraverseOptions): TraversalResult {
  return traverseInternal(host, packet, opts, undefined, 0)
}

function traverseInternal(
  host: TraversalHost, packet: Packet, opts: TraverseOptions, attach: Attach | undefined, depth: number,
  duplicate?: { gateway: string; oif?: string }, untracked = false,
): TraversalResult {
  if (opts.path === 'output' && !opts.local) opts = { ...opts, local: true }
  if (!opts.local && !opts.inIface) throw new Error('traverse: give inIface (arriving packet) or local: true')
  if (opts.local && opts.path && opts.path !== 'output') throw new Error(`traverse: a locally generated packet takes the output path, not ${opts.path}`)
  host.tick()
  const w: Walk = {
    host, packet: { ...packet }, path: opts.local ? 'output' : 'input', steps: [], events: [], hits: [], policyHits: [],
    kernelTrace: [], traceId: host.nextTraceId(), ct: undefined, notrack: false, answers: [], rejectKind: null,
    depth, localAnswers: opts.localAnswers !== false, hook: undefined,
  }
  if (duplicate) {
    // nf_dup_ipv4: the copy is untracked and routed towards the gateway.
    w.duplicate = duplicate
    w.notrack = true
  }
  if (untracked) w.notrack = true
  if (attach) {
    w.ct = { state: attach.state, direction: attach.direction, record: attach.record, unconfirmed: false, why: 'attached to the connection it answers' }
  }
  if (opts.local) {
    delete w.packet.inIface
    return runLocal(w)
  }
  w.packet.inIface = opts.inIface
  delete w.packet.outIface
  if (w.packet.macHeader === undefined) w.packet.macHeader = macHeaderFor(host, w.packet)
  return runArrival(w, false)
}

// ---------------------------------------------------------------------------------------------- paths

function runArrival(w: Walk, loopback: boolean): TraversalResult {
  const pre = runHook(w, 'PREROUTING')
  if (pre) return end(w, pre)
  const { host } = w
  // fib_validate_source: a packet arriving from outside with one of this host's own addresses as its
  // source is a martian (accept_local=0) and is dropped by the routing decision.
  if (!loopback && host.isLocalAddress(w.packet.src)) {
    event(w, 'routing', `routing decision: martian source ${w.packet.src} (an address of this host) arriving on ${w.packet.inIface} → dropped`)
    return end(w, { verdict: 'DROP', why: `martian source ${w.packet.src}` })
  }
  const dstType = host.node.addrType(w.packet.dst)
  if (dstType === 'LOCAL' || (dstType === 'BROADCAST' && !w.packet.dst.startsWith('0.'))) {
    if (!loopback) w.path = 'input'
    event(w, 'routing', `routing decision: ${w.packet.dst} is a ${dstType === 'LOCAL' ? 'local' : 'broadcast'} address → INPUT`)
    return runInput(w)
  }
  if (loopback) {
    event(w, 'drop', `${w.packet.dst} is no longer local after re-entering through lo`)
    return end(w, { verdict: 'DROP', why: 'martian on lo' })
  }
  w.path = 'forward'
  if (!host.ipForward) {
    event(w, 'routing', `routing decision: ${w.packet.dst} is not local and net.ipv4.ip_forward=0 → dropped`)
    return end(w, { verdict: 'DROP', why: 'not for this host and ip_forward is 0' })
  }
  const r = host.route(w.packet.dst)
  if (!r) {
    event(w, 'routing', `routing decision: no route to ${w.packet.dst} → dropped`)
    return end(w, { verdict: 'DROP', why: `no route to ${w.packet.dst}` })
  }
  // ip_forward(): a packet with no hops left is answered with ICMP time exceeded and dropped before
  // FORWARD; otherwise its TTL is decreased before the FORWARD hook (a LOG there shows TTL=63 for 64).
  if (w.packet.ttl <= 1) {
    event(w, 'routing', `routing decision: forward ${w.packet.dst}, but the TTL is ${w.packet.ttl}: ICMP time exceeded`)
    const res = end(w, { verdict: 'DROP', why: 'TTL exceeded in transit' })
    const source = host.route(w.packet.src)?.src
    if (source && w.depth < 2) {
      const answer: Packet = {
        src: source, dst: w.packet.src, proto: 'icmp', icmpType: 11, icmpCode: 0, length: 28 + Math.min(w.packet.length, 548),
        ttl: 64, tos: 0xc0, mark: 0, quoted: tupleOf(w.packet),
      }
      const att: Attach | undefined = w.ct?.record
        ? { record: w.ct.record, direction: w.ct.direction === 'ORIGINAL' ? 'REPLY' : 'ORIGINAL', state: 'RELATED' }
        : undefined
      res.answers.push({ role: 'time-exceeded', result: traverseInternal(host, answer, { local: true }, att, w.depth + 1) })
    }
    return res
  }
  w.packet = { ...w.packet, outIface: r.dev, ttl: w.packet.ttl - 1 }
  event(w, 'routing', `routing decision: forward ${w.packet.dst} out of ${r.dev}`)
  const fwd = runHook(w, 'FORWARD')
  if (fwd) return end(w, fwd)
  const post = runHook(w, 'POSTROUTING')
  if (post) return end(w, post)
  confirm(w)
  return delivered(w, `forwarded out of ${w.packet.outIface}`)
}

function runInput(w: Walk): TraversalResult {
  const input = runHook(w, 'INPUT')
  if (input) return end(w, input)
  if (w.xmit) return runXmit(w)
  confirm(w)
  const result = delivered(w, `delivered to a local socket (${w.packet.dst})`)
  if (w.localAnswers && w.depth === 0) {
    const answer = w.host.localAnswer(result.packet)
    if (answer) {
      event(w, 'answer', `the host's network stack answers: ${describePacket(answer)}`)
      const att = answerAttach(w, answer)
      result.answers.push({ role: 'local-stack', result: traverseInternal(w.host, answer, { local: true }, att, w.depth + 1) })
    }
  }
  return result
}

function runLocal(w: Walk): TraversalResult {
  const { host } = w
  const initial = routeLocal(w)
  if (!initial) {
    event(w, 'routing', `routing decision: no route to ${w.packet.dst} (the sender gets ENETUNREACH)`)
    return end(w, { verdict: 'DROP', why: `no route to ${w.packet.dst}` })
  }
  const before = { dst: w.packet.dst, mark: w.packet.mark }
  const out = runHook(w, 'OUTPUT')
  if (out) return end(w, out)
  if (!w.duplicate && (w.packet.dst !== before.dst || w.packet.mark !== before.mark)) {
    const again = routeLocal(w)
    if (!again) return end(w, { verdict: 'DROP', why: `no route to ${w.packet.dst} after re-routing` })
    event(w, 'routing', `re-route after OUTPUT (destination or mark changed): out of ${w.packet.outIface}`)
  }
  const post = runHook(w, 'POSTROUTING')
  if (post) return end(w, post)
  confirm(w)
  if (!w.duplicate && w.packet.outIface === 'lo' && host.isLocalAddress(w.packet.dst)) {
    event(w, 'loopback', 'to a local address: the packet re-enters through lo')
    w.packet = { ...w.packet, inIface: 'lo', macHeader: '00:00:00:00:00:00:00:00:00:00:00:00:08:00' }
    delete w.packet.outIface
    return runArrival(w, true)
  }
  return delivered(w, `sent out of ${w.packet.outIface}`)
}

function routeLocal(w: Walk): boolean {
  const { host } = w
  if (w.duplicate) {
    // nf_dup_ipv4_route: the route to the gateway (out of --oif when given); the IP header keeps its destination.
    const { gateway, oif } = w.duplicate
    const dev = oif ?? (host.isLocalAddress(gateway) ? 'lo' : host.route(gateway)?.dev)
    if (!dev) return false
    w.packet = { ...w.packet, outIface: dev }
    event(w, 'routing', `routing decision: the copy goes towards gateway ${gateway} out of ${dev}`)
    return true
  }
  if (host.isLocalAddress(w.packet.dst)) {
    w.packet = { ...w.packet, outIface: 'lo' }
    event(w, 'routing', `routing decision: ${w.packet.dst} is local → out of lo`)
    return true
  }
  const r = host.route(w.packet.dst)
  if (!r) return false
  w.packet = { ...w.packet, outIface: r.dev }
  event(w, 'routing', `routing decision: ${w.packet.dst} via ${r.dev}`)
  return true
}

// ---------------------------------------------------------------------------------------------- hooks

/**
 * IPVS re-sent a packet it scheduled at LOCAL_IN (ip_vs_nat_xmit → NF_HOOK(LOCAL_OUT) → dst_output): routed
 * to the real server, through the OUTPUT hook (the connection is tracked already, so nat OUTPUT is not
 * consulted) and POSTROUTING (where KUBE-POSTROUTING masquerades), then out.
 */
function runXmit(w: Walk): TraversalResult {
  w.xmit = false
  w.resent = true
  const r = w.host.route(w.packet.dst)
  if (!r) {
    event(w, 'routing', `IPVS re-sends the packet: no route to ${w.packet.dst} → dropped`)
    return end(w, { verdict: 'DROP', why: `no route to ${w.packet.dst}` })
  }
  if (r.local) {
    confirm(w)
    return delivered(w, `delivered to a local socket (${w.packet.dst}, the real server is this host)`)
  }
  w.packet = { ...w.packet, outIface: r.dev }
  event(w, 'routing', `IPVS re-sends the packet through LOCAL_OUT: routing decision: ${w.packet.dst} via ${r.dev}`)
  const out = runHook(w, 'OUTPUT')
  if (out) return end(w, out)
  const post = runHook(w, 'POSTROUTING')
  if (post) return end(w, post)
  confirm(w)
  return delivered(w, `sent out of ${w.packet.outIface}`)
}

/** Run every table at a hook; returns the terminal outcome when the packet was dropped or rejected. */
function runHook(w: Walk, hook: Hook): TableOutcome | undefined {
  w.hook = hook
  const stages = w.host.hookStages(hook)
  if (stages.length > 0) return runHookWithStages(w, hook, stages)
  for (const table of HOOK_TABLES[hook]) {
    const outcome = table === 'nat' ? runNat(w, hook) : runTable(w, hook, table)
    if (outcome.verdict === 'DROP' || outcome.verdict === 'REJECT') return outcome
    if (table === 'raw' && (hook === 'PREROUTING' || hook === 'OUTPUT')) conntrackIn(w, hook)
  }
  return undefined
}

/**
 * A hook with other stages besides iptables' tables (nftables base chains, IPVS): everything in priority
 * order; at equal priority the stage registered last runs first, and iptables-nft's tables exist before
 * kube-proxy registers its chains (see nftables/hooks.ts hookSchedule).
 */
function runHookWithStages(w: Walk, hook: Hook, stages: readonly HookStage[]): TableOutcome | undefined {
  type Item = { table: TableName; priority: number } | { stage: HookStage; priority: number }
  const items: Item[] = [
    ...HOOK_TABLES[hook].map((table) => ({ table, priority: iptablesPriority(table, NFT_HOOK[hook]) })),
    ...stages.map((stage) => ({ stage, priority: stage.priority })),
  ]
  const order = new Map(items.map((item, i) => [item, i]))
  items.sort((a, b) => a.priority - b.priority || order.get(b)! - order.get(a)!)
  for (const item of items) {
    if ('table' in item) {
      const table = item.table
      const outcome = table === 'nat' ? runNat(w, hook) : runTable(w, hook, table)
      if (outcome.verdict === 'DROP' || outcome.verdict === 'REJECT') return outcome
      if (table === 'raw' && (hook === 'PREROUTING' || hook === 'OUTPUT')) conntrackIn(w, hook)
      continue
    }
    const ctx: HookStageContext = {
      hook, packet: w.packet, ct: w.ct, traceId: w.traceId, host: w.host, resent: w.resent === true,
      step: (s) => { w.steps.push({ hook, ...s }) },
      kernelTrace: (line) => { w.kernelTrace.push(line) },
      event: (kind, text) => event(w, kind, text, hook),
    }
    const o = item.stage.run(ctx)
    if (o.packet) w.packet = o.packet
    if (o.verdict === 'DROP') return { verdict: 'DROP', why: o.why }
    if (o.verdict === 'REJECT') return { verdict: 'REJECT', kind: o.kind, why: o.why }
    if (o.verdict === 'XMIT') {
      w.xmit = true
      return undefined
    }
  }
  return undefined
}

function conntrackIn(w: Walk, hook: Hook): void {
  if (w.ct) {
    event(w, 'conntrack', `conntrack: packet already belongs to a connection (${w.ct.state})`, hook)
    return
  }
  if (w.notrack) {
    w.ct = { state: 'UNTRACKED', direction: 'ORIGINAL', unconfirmed: false, why: 'NOTRACK in the raw table' }
  } else {
    w.ct = w.host.conntrack.classify(w.packet, w.host.now(), w.ctTemplate, w.host.ruleset?.conntrackAccounting === true)
  }
  event(w, 'conntrack', `conntrack: ${w.ct.state} (${w.ct.why})`, hook)
}

function ctInfo(w: Walk): ConntrackInfo | undefined {
  if (!w.ct) return undefined
  const info: ConntrackInfo = { state: w.ct.state, direction: w.ct.direction }
  if (w.ct.record) {
    info.entry = w.ct.record.entry
    // nf_ct_expires: an unconfirmed entry holds its timeout relative, read against the clock as 0.
    info.expiresIn = w.ct.unconfirmed ? 0 : Math.max(0, Math.floor((w.ct.record.expiresAt - w.host.now()) / 1000))
  }
  if (w.ct.unconfirmed) info.unconfirmed = true
  return info
}

function runNat(w: Walk, hook: Hook): TableOutcome {
  const m = manipTypeOf(hook)
  const ct = w.ct
  const rec = ct?.record
  if (!m || !ct || !rec) {
    event(w, 'skip-table', 'nat table not consulted: the packet has no conntrack entry (INVALID or UNTRACKED)', hook, 'nat')
    return { verdict: 'ACCEPT' }
  }
  const consult = !rec.natInitialized[m] && (ct.state === 'NEW' || (ct.state === 'RELATED' && w.packet.proto !== 'icmp'))
  if (consult) {
    const outcome = runTable(w, hook, 'nat')
    if (outcome.verdict === 'DROP' || outcome.verdict === 'REJECT') return outcome
    let action: NatAction | undefined
    if (outcome.verdict === 'NAT') {
      action = resolveNatAddress(w, outcome.action, hook)
      if (!action) {
        event(w, 'drop', `${outcome.action.kind}: interface ${w.packet.outIface} has no address → dropped`, hook, 'nat')
        return { verdict: 'DROP', why: `${outcome.action.kind} found no address on ${w.packet.outIface}` }
      }
    }
    const b = chooseBinding(invertTuple(rec.entry.reply), m, action, w.host.conntrack, w.host.rng, w.host.now(), rec.entry)
    applyBinding(rec, m, b.tuple)
    const before = w.packet
    w.packet = natPacket(rec, ct.direction, m, w.packet)
    if (outcome.verdict === 'NAT') {
      const step = w.steps[outcome.step]
      step.verdict = `${action!.kind} → ${describeBinding(m, b.tuple).replace(/^[SD]NAT /, '')} (${b.why})`
      step.packetAfter = w.packet
      event(w, 'nat', `nat: connection bound, ${describeBinding(m, b.tuple)}`, hook, 'nat')
    } else if (before !== w.packet) {
      event(w, 'nat', `nat: null binding changed the port (${b.why})`, hook, 'nat')
    } else if (w.host.rules.chain('nat', hook)) {
      event(w, 'nat', `nat: no nat rule applied, null binding (${m === 'SRC' ? 'source' : 'destination'} unchanged)`, hook, 'nat')
    }
    return { verdict: 'ACCEPT' }
  }
  const before = w.packet
  w.packet = natPacket(rec, ct.direction, m, w.packet)
  const why = rec.natInitialized[m] ? 'the connection already has its binding' : `state ${ct.state}`
  const changed = before.src !== w.packet.src || before.dst !== w.packet.dst || before.sport !== w.packet.sport || before.dport !== w.packet.dport || before.icmpId !== w.packet.icmpId
  if (!changed && !w.host.rules.chain('nat', hook)) return { verdict: 'ACCEPT' }
  event(w, 'skip-table', `nat table not consulted (${why})${changed ? `: conntrack rewrote ${describePacket(before)} → ${describePacket(w.packet)}` : ''}`, hook, 'nat')
  return { verdict: 'ACCEPT' }
}

function resolveNatAddress(w: Walk, action: NatAction, hook: Hook): NatAction | undefined {
  if (action.address || action.addressRange) return action
  if (action.kind === 'MASQUERADE') {
    const a = w.packet.outIface ? w.host.node.primaryAddress(w.packet.outIface) : undefined
    return a ? { ...action, address: a } : undefined
  }
  if (action.kind === 'REDIRECT') {
    // Locally generated packets are redirected to 127.0.0.1, arriving ones to the incoming interface's address.
    const a = hook === 'OUTPUT' ? '127.0.0.1' : w.packet.inIface ? w.host.node.primaryAddress(w.packet.inIface) : undefined
    return a ? { ...action, address: a } : undefined
  }
  return action
}

// ---------------------------------------------------------------------------------------------- chains

interface Frame { chain: string; index: number; rules: readonly Rule[] }

/** Walk one table's base chain for a hook: rules, jumps, gotos, returns and the policy. */
function runTable(w: Walk, hook: Hook, table: TableName): TableOutcome {
  const { host } = w
  const base = host.rules.chain(table, hook)
  if (!base) return { verdict: 'ACCEPT' }
  w.kernelTrace.push(packetLine(w))
  let firstTraceForTable = true
  const pushTrace = (line: string): string => {
    w.kernelTrace.push(line)
    const text = firstTraceForTable ? `${w.kernelTrace[w.kernelTrace.length - 2]}\n${line}` : line
    firstTraceForTable = false
    return text
  }
  const stack: Frame[] = []
  let frame: Frame = { chain: hook, index: 0, rules: base.rules }
  const ctx = evalContext(w, hook, table, hook)
  let budget = MAX_RULE_EVALUATIONS
  for (;;) {
    if (--budget < 0) {
      return { verdict: 'DROP', why: `more than ${MAX_RULE_EVALUATIONS} rule evaluations in ${table} ${hook}: a loop between chains` }
    }
    const rules = frame.rules
    if (frame.index >= rules.length) {
      if (stack.length === 0) return applyPolicy(w, hook, table, pushTrace)
      // Falling off a user chain raises no trace event (measured with xtables-monitor --trace).
      addStep(w, hook, table, frame.chain, null, `return from ${frame.chain}`, true, [], 'RETURN', '')
      frame = stack.pop()!
      continue
    }
    const ruleIndex = frame.index++
    const rule = rules[ruleIndex]
    // One context per table visit, updated in place: tracing 10,000 rules should not make 10,000 of them.
    ctx.packet = w.packet
    ctx.chain = frame.chain
    const { matched, clauses } = host.rules.evaluateRule(rule, ctx)
    const text = host.rules.ruleText(rule, frame.chain)
    if (!matched) {
      addStep(w, hook, table, frame.chain, ruleIndex + 1, text, false, clauses, undefined, '')
      continue
    }
    rule.counters.packets += 1
    rule.counters.bytes += w.packet.length
    w.hits.push(`${table}/${frame.chain}#${ruleIndex + 1}`)
    const handle = host.rules.ruleHandle(table, frame.chain, ruleIndex)
    const traceRule = (v: string) => pushTrace(` TRACE: 2 ${w.traceId} ${table}:${frame.chain}:rule:0x${handle.toString(16)}:${v}  -4 -t ${table} ${text}`)
    const target = rule.target
    if (!target) {
      addStep(w, hook, table, frame.chain, ruleIndex + 1, text, true, clauses, 'counted (no target)', traceRule('CONTINUE'))
      continue
    }
    if (target.kind === 'jump' || target.kind === 'goto') {
      const kind = target.kind === 'jump' ? 'JUMP' : 'GOTO'
      addStep(w, hook, table, frame.chain, ruleIndex + 1, text, true, clauses, `${target.kind} ${target.chain}`, traceRule(`${kind}:${target.chain}`))
      const next = host.rules.chain(table, target.chain)
      if (!next) continue
      if (target.kind === 'jump') {
        if (stack.length >= MAX_CHAIN_DEPTH) return { verdict: 'DROP', why: `chain nesting deeper than ${MAX_CHAIN_DEPTH}: a loop between chains` }
        stack.push(frame)
      }
      frame = { chain: target.chain, index: 0, rules: next.rules }
      continue
    }
    const before = w.packet
    const effects = host.rules.applyTarget(rule, ctx)
    if (effects.packet) w.packet = { ...w.packet, ...effects.packet }
    if (effects.mark !== undefined) w.packet = { ...w.packet, mark: effects.mark >>> 0 }
    if (effects.ctMark !== undefined && w.ct?.record) w.ct.record.entry.mark = effects.ctMark >>> 0
    if (effects.conn && w.ct?.record) Object.assign(w.ct.record.entry, effects.conn)
    if (effects.notrack && !w.ct) w.notrack = true
    // A later CT rule replaces the template (skb->_nfct holds one); a packet with a connection keeps it.
    if (effects.ctTemplate && !w.ct) w.ctTemplate = effects.ctTemplate
    if (effects.log !== undefined) host.kernelLog(effects.log)
    if (effects.duplicate && !w.duplicate && w.depth < 2) {
      // The copy leaves through LOCAL_OUT before the original goes on; in PREROUTING and INPUT its TTL
      // is lowered first, against loops between two hosts.
      const copy: Packet = { ...w.packet, ttl: hook === 'PREROUTING' || hook === 'INPUT' ? Math.max(0, w.packet.ttl - 1) : w.packet.ttl }
      delete copy.inIface
      event(w, 'answer', `TEE sends a copy towards ${effects.duplicate.gateway}`, hook, table)
      w.answers.push({ role: 'tee', result: traverseInternal(host, copy, { local: true }, undefined, w.depth + 1, effects.duplicate) })
    }
    if (effects.answer && w.depth < 2) {
      // Sent with the packet's connection (nf_ct_set in synproxy_send_tcp): its reply direction, or untracked.
      const att: Attach | undefined = w.ct?.record
        ? { record: w.ct.record, direction: w.ct.direction === 'ORIGINAL' ? 'REPLY' : 'ORIGINAL', state: 'ESTABLISHED' }
        : undefined
      event(w, 'answer', `${target.module} answers ${describePacket(effects.answer)}`, hook, table)
      w.answers.push({ role: 'synproxy', result: traverseInternal(host, effects.answer, { local: true }, att, w.depth + 1, undefined, w.ct?.state === 'UNTRACKED' || w.notrack) })
    }
    const o = effects.outcome
    const stepIndex = w.steps.length
    const verdictText = o.verdict === 'REJECT' ? `REJECT (${o.kind})` : o.verdict === 'NAT' ? o.nat.kind : o.verdict === 'CONTINUE' ? (effects.why ?? target.module) : o.verdict
    // xtables-monitor prints REJECT as DROP, NAT targets as ACCEPT and RETURN as the raw NFT_RETURN (-5).
    const kernelVerdict = o.verdict === 'REJECT' ? 'DROP' : o.verdict === 'NAT' ? 'ACCEPT' : o.verdict === 'RETURN' ? '0xfffffffb' : o.verdict
    addStep(w, hook, table, frame.chain, ruleIndex + 1, text, true, clauses, verdictText, traceRule(kernelVerdict), before)
    switch (o.verdict) {
      case 'CONTINUE': continue
      case 'ACCEPT': return { verdict: 'ACCEPT' }
      case 'DROP': return { verdict: 'DROP', why: `${table} ${frame.chain} rule ${ruleIndex + 1}: DROP` }
      case 'REJECT': return { verdict: 'REJECT', kind: o.kind, why: `${table} ${frame.chain} rule ${ruleIndex + 1}: REJECT` }
      case 'NAT': return table === 'nat' ? { verdict: 'NAT', action: o.nat, step: stepIndex } : { verdict: 'ACCEPT' }
      case 'RETURN':
        // RETURN in the base chain, or in a chain the base chain reached by goto: the policy decides.
        if (stack.length === 0) return applyPolicy(w, hook, table, pushTrace)
        frame = stack.pop()!
        continue
    }
  }
}

function applyPolicy(w: Walk, hook: Hook, table: TableName, pushTrace: (l: string) => string): TableOutcome {
  const chain = w.host.rules.chain(table, hook)!
  const policy = chain.policy ?? 'ACCEPT'
  if (chain.policyCounters) {
    chain.policyCounters.packets += 1
    chain.policyCounters.bytes += w.packet.length
  } else {
    chain.policyCounters = { packets: 1, bytes: w.packet.length }
  }
  w.policyHits.push(`${table}/${hook}`)
  const kt = pushTrace(` TRACE: 2 ${w.traceId} ${table}:${hook}:policy:${policy} `)
  addStep(w, hook, table, hook, null, `policy ${policy}`, true, [], policy, kt)
  return policy === 'ACCEPT' ? { verdict: 'ACCEPT' } : { verdict: 'DROP', why: `${table} ${hook} policy DROP` }
}

function evalContext(w: Walk, hook: Hook, table: TableName, chain: string): EvalContext {
  const { host } = w
  return {
    packet: w.packet, hook, table, chain, ct: ctInfo(w), node: host.node, rng: host.rng,
    now: host.now(), state: host.matchState, duplicated: w.duplicate !== undefined,
    conntrack: { isLive: (id) => host.conntrack.isLive(id, host.now()) },
    route: (dst) => host.route(dst),
  }
}

function addStep(
  w: Walk, hook: Hook, table: TableName, chain: string, rule: number | null, text: string, matched: boolean,
  clauses: TraceStep['clauses'], verdict: string | undefined, kernelTrace: string, before: Packet = w.packet,
): void {
  const step: TraceStep = { hook, table, chain, rule, text, matched, clauses, packetBefore: before, packetAfter: w.packet, kernelTrace }
  if (verdict !== undefined) step.verdict = verdict
  w.steps.push(step)
}

function event(w: Walk, kind: TraversalEvent['kind'], text: string, hook?: Hook, table?: TableName): void {
  const e: TraversalEvent = { kind, text, beforeStep: w.steps.length }
  // Routing, confirm and delivery happen between hooks; everything else belongs to the hook in progress.
  const between = kind === 'routing' || kind === 'confirm' || kind === 'deliver' || kind === 'loopback' || kind === 'answer'
  const h = hook ?? (between ? undefined : w.hook)
  if (h) e.hook = h
  if (table) e.table = table
  w.events.push(e)
}

// ---------------------------------------------------------------------------------------------- endings

function confirm(w: Walk): void {
  const ct = w.ct
  if (ct?.record && ct.unconfirmed) {
    w.host.conntrack.confirm(ct.record)
    ct.unconfirmed = false
    event(w, 'confirm', `conntrack: connection ${ct.record.entry.id} confirmed`)
  }
}

function delivered(w: Walk, why: string): TraversalResult {
  event(w, 'deliver', why)
  return result(w, 'delivered', why)
}

function end(w: Walk, outcome: TableOutcome): TraversalResult {
  if (outcome.verdict === 'REJECT') {
    w.rejectKind = outcome.kind
    const res = result(w, 'rejected', `${outcome.why}: ${describeReject(outcome.kind)}`)
    if (w.depth < 2) {
      const { host } = w
      const source = host.isLocalAddress(w.packet.dst) ? w.packet.dst : host.route(w.packet.src)?.src ?? (w.packet.inIface ? host.node.primaryAddress(w.packet.inIface) : undefined)
      const answer = source ? rejectAnswer(w.packet, outcome.kind, source) : undefined
      if (answer) {
        event(w, 'answer', `REJECT answers ${describePacket(answer)}`)
        const att: Attach | undefined = w.ct?.record
          ? { record: w.ct.record, direction: w.ct.direction === 'ORIGINAL' ? 'REPLY' : 'ORIGINAL', state: 'RELATED' }
          : undefined
        res.answers.push({ role: 'reject', result: traverseInternal(host, answer, { local: true }, att, w.depth + 1) })
      }
    }
    return res
  }
  const why = outcome.verdict === 'DROP' ? outcome.why : 'dropped'
  event(w, 'drop', why)
  return result(w, 'dropped', why)
}

function result(w: Walk, verdict: Verdict, reason: string): TraversalResult {
  const r: TraversalResult = {
    path: w.path, steps: w.steps, events: w.events, hits: w.hits, policyHits: w.policyHits, verdict,
    rejectKind: verdict === 'rejected' ? w.rejectKind : null, reason, packet: w.packet,
    ctState: w.ct?.state ?? 'INVALID', kernelTrace: w.kernelTrace, answers: w.answers,
  }
  if (w.ct?.record) r.conntrack = w.ct.record.entry
  return r
}

/** The connection an answer of the host's stack belongs to: ICMP errors are RELATED, the rest is looked up. */
function answerAttach(w: Walk, answer: Packet): Attach | undefined {
  if (answer.proto === 'icmp' && answer.icmpType === 3 && w.ct?.record) {
    return { record: w.ct.record, direction: w.ct.direction === 'ORIGINAL' ? 'REPLY' : 'ORIGINAL', state: 'RELATED' }
  }
  return undefined
}

// ---------------------------------------------------------------------------------------------- text

const TCP_FLAG_ORDER = ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR'] as const

export function describePacket(p: Packet): string {
  const proto = typeof p.proto === 'number' ? `proto ${p.proto}` : p.proto
  if (p.proto === 'icmp') {
    const q = p.quoted
    const about = q ? ` about ${q.proto} ${q.src}${q.sport !== undefined ? `:${q.sport}` : ''} → ${q.dst}${q.dport !== undefined ? `:${q.dport}` : ''}` : ''
    return `icmp ${p.src} → ${p.dst} type ${p.icmpType ?? 8} code ${p.icmpCode ?? 0}${about}`
  }
  const sp = p.sport !== undefined ? `:${p.sport}` : ''
  const dp = p.dport !== undefined ? `:${p.dport}` : ''
  const flags = p.tcpFlags ? ' ' + TCP_FLAG_ORDER.filter((f) => p.tcpFlags?.[f]).join(',') : ''
  return `${proto} ${p.src}${sp} → ${p.dst}${dp}${flags}`
}

/** The `PACKET:` line `xtables-monitor --trace` prints when a packet enters a table's base chain. */
function packetLine(w: Walk): string {
  const p = w.packet
  let s = `PACKET: 2 ${w.traceId} `
  if (p.inIface) s += `IN=${p.inIface} `
  if (p.outIface) s += `OUT=${p.outIface} `
  if (p.inIface && p.inIface !== 'lo') {
    const dstMac = w.host.interfaceMac(p.inIface) ?? '00:00:00:00:00:00'
    s += `MACSRC=${macFromAddress(p.src)} MACDST=${dstMac.replace(/(^|:)0(?=[0-9a-f])/g, '$1')} MACPROTO=0800 `
  }
  s += `SRC=${p.src} DST=${p.dst} LEN=${p.length} TOS=0x${(p.tos ?? 0).toString(16)} TTL=${p.ttl} ID=${p.ipId ?? 0} `
  if (p.dontFragment) s += 'DF '
  if (p.proto === 'tcp' || p.proto === 'udp' || p.proto === 'sctp') {
    s += `SPORT=${p.sport ?? 0} DPORT=${p.dport ?? 0} `
    if (p.tcpFlags) for (const f of TCP_FLAG_ORDER) if (p.tcpFlags[f]) s += `${f} `
  }
  // ICMP packets show no ICMP fields (measured: an echo request ends after `ID=0 DF `).
  // The mark comes last (measured: `... DPORT=53 MARK=0x4000 `).
  if (p.mark) s += `MARK=0x${p.mark.toString(16)} `
  return s
}

/**
 * The link-layer header the LOG target prints as `MAC=`: destination (the interface's), source (the
 * sender's, made up from its address as Docker makes MACs), EtherType 08:00. On lo every MAC is zero.
 */
function macHeaderFor(host: TraversalHost, p: Packet): string {
  if (p.inIface === 'lo') return '00:00:00:00:00:00:00:00:00:00:00:00:08:00'
  const dst = host.interfaceMac(p.inIface ?? '') ?? '00:00:00:00:00:00'
  const src = ['02', '42', ...p.src.split('.').map((n) => Number(n).toString(16).padStart(2, '0'))].join(':')
  return `${dst}:${src}:08:00`
}

/** xtables-monitor prints MAC bytes without leading zeros (`2:f1:68:...`). */
function macFromAddress(addr: string): string {
  const parts = addr.split('.').map(Number)
  return ['2', '42', ...parts.map((n) => n.toString(16))].join(':')
}

