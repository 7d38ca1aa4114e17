/**
 * Packet processors other than iptables' tables that sit at a host's netfilter hooks: the base chains of
 * nftables tables (kube-proxy's `ip kube-proxy` in nftables mode) and the kernel's IPVS hooks (IPVS mode).
 * Whoever programs them (the node's kube-proxy backend) registers them for the host; the traversal runs them
 * at their priorities between iptables-nft's tables (see netfilter/traversal.ts runHook).
 *
 * A registry rather than a field of Host so that hosts without kube-proxy (tests, the firewall lab) carry
 * nothing, and so that a backend can be swapped (mode change) without touching the host.
 */
import type { CtLookup } from '../netfilter/conntrack.ts'
import type { TraversalEvent, TraversalHost } from '../netfilter/traversal-types.ts'
import type { Hook, Packet, RejectKind, TraceStep } from '../netfilter/types.ts'

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

const registry = new WeakMap<object, HookStageSource>()

/** Register (or with undefined, remove) the stages a host runs at its hooks. */
export function setHookStages(host: object, source: HookStageSource | undefined): void {
  if (source) registry.set(host, source)
  else registry.delete(host)
}

/** The extra stages at one hook of a host (none when nothing registered). */
export function hookStagesOf(host: object, hook: Hook): readonly HookStage[] {
  return registry.get(host)?.(hook) ?? []
}
