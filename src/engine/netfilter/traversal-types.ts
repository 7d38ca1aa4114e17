/**
 * What the traversal engine needs from a host (rules, routing, conntrack, clock, kernel log) and what it
 * returns: a trace of every rule a packet met, the counters it raised and its fate.
 */
import type { ConntrackTable, CtLookup } from './conntrack.ts'
import type {
  Chain, ClauseResult, ConntrackEntry, ConntrackState, EvalContext, Hook, NodeNetView, Packet, RejectKind, Rng,
  Rule, TableName, TargetEffects, TraceStep,
} from './types.ts'

/** The rule model as traversal reads it (implemented over the Ruleset by the host). */
export interface RuleEngine {
  chain(table: TableName, name: string): Chain | undefined
  evaluateRule(rule: Rule, ctx: EvalContext): { matched: boolean; clauses: ClauseResult[] }
  applyTarget(rule: Rule, ctx: EvalContext): TargetEffects
  /** The rule as iptables-save prints it, with `-A CHAIN`. */
  ruleText(rule: Rule, chain: string): string
  /** nf_tables rule handle (what `xtables-monitor --trace` prints as `rule:0x5`). */
  ruleHandle(table: TableName, chain: string, index: number): number
}

export interface RouteResult {
  dev: string
  /** Preferred source address on that route. */
  src?: string
  local: boolean
}

/** The host a packet traverses. */
export interface TraversalHost {
  readonly rules: RuleEngine
  /** The rule set behind `rules`, for what its commits switched on (conntrack accounting). */
  readonly ruleset?: { readonly conntrackAccounting: boolean }
  readonly node: NodeNetView
  readonly conntrack: ConntrackTable
  readonly rng: Rng
  readonly matchState: Map<string, unknown>
  /** Simulated time in ms. */
  now(): number
  /** Advance the clock by a tick so each packet has its own timestamp. */
  tick(): void
  readonly ipForward: boolean
  isLocalAddress(addr: string): boolean
  /** Route lookup (main table, after the local table). */
  route(dst: string): RouteResult | undefined
  /** Append a line to the kernel log; the host prefixes the `[  123.456789] ` timestamp. */
  kernelLog(line: string): void
  /** What the host's own network stack answers to a packet delivered to it (RST, ICMP error, echo reply). */
  localAnswer(p: Packet): Packet | undefined
  interfaceMac(name: string): string | undefined
  nextTraceId(): string
  /** The packet processors besides iptables' tables this host runs at a hook (none on a plain host). */
  hookStages(hook: Hook): readonly HookStage[]
}


export type TraversalPath = 'input' | 'forward' | 'output'
export type Verdict = 'delivered' | 'dropped' | 'rejected'

/** A narrative event between rule steps: conntrack, routing, NAT from a binding, confirm, delivery. */
export interface TraversalEvent {
  kind: 'conntrack' | 'routing' | 'nat' | 'confirm' | 'skip-table' | 'deliver' | 'drop' | 'loopback' | 'answer'
  hook?: Hook
  table?: TableName
  text: string
  /** Index into `steps` of the next rule step (so a UI can interleave events and steps). */
  beforeStep: number
}

export interface TraverseOptions {
  /** Optional: `output` is the same as `local: true`; `input`/`forward` follow from routing (inIface needed). */
  path?: TraversalPath
  /** Arriving on this interface. */
  inIface?: string
  /** Generated on this host. */
  local?: boolean
  /** Let the host's stack answer delivered packets (RST / port unreachable / echo reply). Default true. */
  localAnswers?: boolean
}

export interface TraversalResult {
  path: TraversalPath
  steps: TraceStep[]
  events: TraversalEvent[]
  /** `table/CHAIN#N` for each rule whose counters rose, in order (repeats when hit twice). */
  hits: string[]
  /** `table/CHAIN` for each built-in chain whose policy applied. */
  policyHits: string[]
  verdict: Verdict
  rejectKind: RejectKind | null
  /** Why the packet ended as it did. */
  reason: string
  /** The packet as it left (or as it was when dropped). */
  packet: Packet
  ctState: ConntrackState
  conntrack?: ConntrackEntry
  /** `xtables-monitor --trace` lines for the whole traversal. */
  kernelTrace: string[]
  /**
   * Packets this one caused the host to send, traversed in turn: REJECT's answer, the reply of its own
   * stack to a delivered packet, ICMP time exceeded for a forwarded packet whose TTL ran out, the copy
   * TEE sends towards its gateway, or SYNPROXY's SYN-ACK.
   */
  answers: { role: 'reject' | 'local-stack' | 'time-exceeded' | 'tee' | 'synproxy'; result: TraversalResult }[]
}

// ---------------------------------------------------------------------------------------------- hook stages
//
// Packet processors other than iptables' tables that sit at a host's netfilter hooks: the base chains of
// nftables tables (kube-proxy's `ip kube-proxy` in nftables mode, nftables/hook-stages.ts) and the kernel's
// IPVS hooks (IPVS mode, ipvs/hook-stages.ts). Whoever programs them (the node's kube-proxy) puts them on the
// host; the traversal runs them at their priorities between iptables-nft's tables (traversal.ts runHook).

export interface HookStageContext {
  readonly hook: Hook
  /** The packet as it reaches the stage. */
  readonly packet: Packet
  /** What conntrack found for the packet (absent before the conntrack hook or for untracked packets). */
  readonly ct: CtLookup | undefined
  readonly traceId: string
  readonly host: TraversalHost
  /** The packet was re-sent by IPVS (skb->ipvs_property): IPVS's own hooks let it pass. */
  readonly resent: boolean
  /** Record a step (a rule, a policy, a scheduling decision) in the trace; `hook` is filled in. */
  step(step: Omit<TraceStep, 'hook'>): void
  /** Append a kernel trace line (`nft monitor trace` text for nftables chains). */
  kernelTrace(line: string): void
  event(kind: TraversalEvent['kind'], text: string): void
}

export type HookStageOutcome =
  | { verdict: 'ACCEPT'; packet?: Packet }
  | { verdict: 'DROP'; why: string; packet?: Packet }
  | { verdict: 'REJECT'; kind: RejectKind; why: string; packet?: Packet }
  /**
   * The stage rewrote the packet and sends it on itself through LOCAL_OUT and POSTROUTING (IPVS at
   * LOCAL_IN: ip_vs_nat_xmit re-injects the packet at NF_INET_LOCAL_OUT).
   */
  | { verdict: 'XMIT'; packet: Packet }

export interface HookStage {
  /** Netfilter priority: iptables-nft's raw -300, mangle -150, nat -100 / 100, filter 0, security 150. */
  priority: number
  /** `ip kube-proxy nat-prerouting`, `ip_vs_remote_request4`. */
  name: string
  run(ctx: HookStageContext): HookStageOutcome
}

export type HookStageSource = (hook: Hook) => readonly HookStage[]
