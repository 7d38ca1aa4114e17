/**
 * The kernel's IPVS hooks as stages of a host's netfilter hooks (ipvs/hooks.ts IPVS_HOOKS: LOCAL_IN 98/99,
 * LOCAL_OUT -99/-98, FORWARD 100), calling the node's IpvsTable:
 *
 * - requests (ip_vs_remote_request4 at INPUT 99, after the filter table): a packet to a virtual service is
 *   scheduled (the scheduler's choice is a trace step) and rewritten to the real server; at INPUT the packet
 *   is then re-sent through LOCAL_OUT and POSTROUTING (the traversal's XMIT path), at OUTPUT it continues;
 * - replies (ip_vs_reply4 at INPUT 98 / FORWARD 100, ip_vs_local_reply4 at OUTPUT -99): the real server's
 *   source is rewritten back to the virtual address.
 *
 * kube-proxy runs IPVS with net.ipv4.vs.conntrack=1: ip_vs_update_conntrack changes the connection's reply
 * tuple to the real server, so conntrack recognises the real server's answers as replies (the translation
 * itself stays IPVS's: the conntrack entry gets no DNAT status).
 */
import { invertTuple } from '../netfilter/conntrack.ts'
import type { Hook, Packet, TraceStep } from '../netfilter/types.ts'
import { ipvsHooksAt } from './hooks.ts'
import type { IpvsHookPoint } from './hooks.ts'
import type { IpvsTable } from './table.ts'
import type { HookStage, HookStageContext, HookStageOutcome } from '../netfilter/traversal-types.ts'

export function ipvsHookStages(table: () => IpvsTable, hook: Hook): HookStage[] {
  return ipvsHooksAt(hook)
    .filter((point) => point.role !== 'icmp')
    .map((point) => ({ priority: point.priority, name: point.name, run: (ctx) => runPoint(table(), point, ctx) }))
}

function step(ctx: HookStageContext, point: IpvsHookPoint, text: string, verdict: string, after: Packet): void {
  const s: Omit<TraceStep, 'hook'> = {
    table: 'nat', chain: point.name, rule: 1, text, matched: true, clauses: [], verdict,
    packetBefore: ctx.packet, packetAfter: after, kernelTrace: '', engine: 'ipvs',
  }
  ctx.step(s)
}

function runPoint(table: IpvsTable, point: IpvsHookPoint, ctx: HookStageContext): HookStageOutcome {
  // Packets IPVS itself re-sent (skb->ipvs_property) pass its hooks untouched.
  if (ctx.resent) return { verdict: 'ACCEPT' }
  const now = ctx.host.now()
  if (point.role === 'reply') {
    const r = table.reply(ctx.packet, now)
    if (r.action === 'pass') return { verdict: 'ACCEPT' }
    step(ctx, point, r.step, `un-NAT → source ${r.packet.src}:${r.packet.sport ?? ''}`, r.packet)
    return { verdict: 'ACCEPT', packet: r.packet }
  }
  const r = table.localIn(ctx.packet, now)
  if (r.action === 'pass') return { verdict: 'ACCEPT' }
  if (r.action === 'reject') {
    step(ctx, point, r.step, 'REJECT (icmp-port-unreachable)', ctx.packet)
    return { verdict: 'REJECT', kind: 'icmp-port-unreachable', why: `IPVS: ${r.service} has no real server` }
  }
  step(ctx, point, r.step, `schedule → ${r.realServer.address}:${r.realServer.port}`, r.packet)
  const rec = ctx.ct?.record
  if (rec && r.newConnection && ctx.ct?.unconfirmed) {
    // ip_vs_update_conntrack: the expected reply now comes from the real server.
    const original = invertTuple(rec.entry.reply)
    rec.entry.reply = invertTuple({ ...original, dst: r.realServer.address, dport: r.realServer.port })
  }
  return point.hook === 'INPUT' ? { verdict: 'XMIT', packet: r.packet } : { verdict: 'ACCEPT', packet: r.packet }
}
