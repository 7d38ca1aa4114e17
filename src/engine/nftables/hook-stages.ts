/**
 * nftables base chains as stages of a host's netfilter hooks: each base chain of the host's nftables tables
 * (kube-proxy's `ip kube-proxy` in nftables mode) runs at its hook and priority between iptables-nft's
 * tables (netfilter/traversal.ts runs them), through the nftables interpreter (nftables/eval.ts), with
 * trace steps and `nft monitor trace` lines.
 *
 * NAT as the kernel's NAT core does it: a nat-type chain is consulted only for a connection that has no
 * binding yet for its manip type (DNAT at prerouting/output, SNAT at input/postrouting); its `dnat to` or
 * `masquerade` sets up the binding in conntrack (so replies are translated back, and iptables' nat table at
 * the same hook is then skipped, nf_nat_inet_fn), later packets are rewritten from the binding.
 */
import { invertTuple } from '../netfilter/conntrack.ts'
import { applyBinding, chooseBinding, describeBinding, manipTypeOf, natPacket } from '../netfilter/nat.ts'
import type { Hook, NatAction, Packet, TableName, TraceStep } from '../netfilter/types.ts'
import { NFT_HOOK } from './hooks.ts'
import { evaluateBaseChain } from './eval.ts'
import type { NftPacket } from './eval.ts'
import { formatRuleText } from './list-format.ts'
import type { NftChain, NftTable } from './model.ts'
import type { HookStage, HookStageContext, HookStageOutcome } from '../netfilter/traversal-types.ts'

/** Per-host state the nftables interpreter keeps between packets (dynamic sets: session affinity). */
export interface NftHostState {
  dynamicSets: Map<string, Map<string, number>>
  /** Rules looked at (matched or not) in all chains so far: what the compare chart counts. */
  rulesEvaluated: number
}

export function newNftHostState(): NftHostState {
  return { dynamicSets: new Map(), rulesEvaluated: 0 }
}

/** The host's packet as the nftables interpreter reads it; undefined for what kube-proxy's rules never match (ICMP). */
export function toNftPacket(p: Packet, ct: HookStageContext['ct']): NftPacket | undefined {
  if (p.proto !== 'tcp' && p.proto !== 'udp' && p.proto !== 'sctp') return undefined
  const f = p.tcpFlags
  let flags: string | undefined
  if (f) {
    const bits = (f.FIN ? 1 : 0) | (f.SYN ? 2 : 0) | (f.RST ? 4 : 0) | (f.PSH ? 8 : 0) | (f.ACK ? 16 : 0) | (f.URG ? 32 : 0)
    flags = bits === 2 ? 'syn' : `0x${bits.toString(16)}`
  }
  const state = ct?.state === 'ESTABLISHED' ? 'established' : ct?.state === 'RELATED' ? 'related' : 'new'
  const n: NftPacket = {
    saddr: p.src, daddr: p.dst, ttl: p.ttl, id: p.ipId ?? 0, length: p.length, protocol: p.proto,
    sport: p.sport ?? 0, dport: p.dport ?? 0, mark: p.mark, ct: state,
  }
  if (p.inIface) n.iif = p.inIface
  // The link-layer header of a packet that arrived on an Ethernet device (destination, source, type).
  const mac = p.inIface && p.inIface !== 'lo' ? p.macHeader?.split(':') : undefined
  if (mac && mac.length >= 12) {
    n.etherDaddr = mac.slice(0, 6).join(':')
    n.etherSaddr = mac.slice(6, 12).join(':')
  }
  if (p.outIface) n.oif = p.outIface
  if (flags) n.tcpFlags = flags
  return n
}

/** The base chains of `tables` at a traversal hook, as stages. */
export function nftHookStages(tables: () => readonly NftTable[], state: NftHostState, hook: Hook): HookStage[] {
  const nftHook = NFT_HOOK[hook]
  const out: HookStage[] = []
  for (const table of tables()) {
    for (const chain of table.chains) {
      if (chain.base?.hook !== nftHook) continue
      out.push({ priority: chain.base.priority, name: `${table.family} ${table.name} ${chain.name}`, run: (ctx) => runChain(table, chain, state, ctx) })
    }
  }
  return out
}

function ruleNumber(table: NftTable, chainName: string, listed: string): number | null {
  const chain = table.chains.find((c) => c.name === chainName)
  if (!chain) return null
  const i = chain.rules.findIndex((r) => formatRuleText(r.text) + (r.comment !== undefined ? ` comment "${r.comment}"` : '') === listed)
  return i < 0 ? null : i + 1
}

function runChain(table: NftTable, chain: NftChain, state: NftHostState, ctx: HookStageContext): HookStageOutcome {
  const base = chain.base!
  const isNat = base.type === 'nat'
  const m = manipTypeOf(ctx.hook)
  const rec = ctx.ct?.record
  // The NAT core consults nat chains only for the first packet of a connection without a binding.
  if (isNat && (!m || !rec || rec.natInitialized[m] || ctx.ct?.state !== 'NEW')) return { verdict: 'ACCEPT' }
  const packet = toNftPacket(ctx.packet, ctx.ct)
  if (!packet) return { verdict: 'ACCEPT' }
  const host = ctx.host
  const r = evaluateBaseChain(table, chain, packet, {
    isLocal: (ip) => host.isLocalAddress(ip),
    random: () => host.rng.next(),
    now: host.now() / 1000,
    dynamicSets: state.dynamicSets,
  }, ctx.traceId)
  state.rulesEvaluated += r.rulesEvaluated
  const tableName: TableName = isNat ? 'nat' : 'filter'
  let p: Packet = { ...ctx.packet, mark: r.packet.mark >>> 0 }
  // Each step shows the packet as that rule left it: only `meta mark set` changes it inside a chain.
  let current = ctx.packet
  // `nft monitor trace` prints every line (the chain's packet line too) as it happens.
  for (const line of r.trace) ctx.kernelTrace(line.text)
  r.trace.forEach((line, i) => {
    const before = current
    const set = line.kind === 'rule' ? /meta mark set meta mark ([|^]) (0x[0-9a-f]+)/.exec(line.rule ?? '') : null
    if (set) current = { ...current, mark: (set[1] === '|' ? current.mark | Number(set[2]) : current.mark ^ Number(set[2])) >>> 0 }
    if (line.kind === 'packet') return
    // The first step of the chain carries the chain's packet line too, as the iptables steps do.
    const kernelTrace = i === 1 && r.trace[0]?.kind === 'packet' ? `${r.trace[0].text}\n${line.text}` : line.text
    const step: Omit<TraceStep, 'hook'> = {
      table: tableName, chain: line.chain, rule: line.kind === 'rule' ? ruleNumber(table, line.chain, line.rule ?? '') : null,
      text: line.kind === 'rule' ? line.rule ?? '' : 'policy accept', matched: true, clauses: [],
      packetBefore: before, packetAfter: current, kernelTrace, engine: 'nftables', nftTable: `${table.family} ${table.name}`,
    }
    if (line.verdict !== undefined) step.verdict = line.verdict
    ctx.step(step)
  })
  if (r.verdict === 'drop') {
    const why = `${table.family} ${table.name} ${chain.name}: ${r.rejected ? 'reject' : 'drop'}`
    return r.rejected ? { verdict: 'REJECT', kind: 'icmp-port-unreachable', why, packet: p } : { verdict: 'DROP', why, packet: p }
  }
  if (isNat && rec && m && ctx.ct) {
    const n = r.nat[0]
    if (n) {
      let action: NatAction
      if (n.type === 'dnat') action = { kind: 'DNAT', address: n.addr, port: n.port }
      else {
        const address = p.outIface ? host.node.primaryAddress(p.outIface) : undefined
        if (!address) return { verdict: 'DROP', why: `masquerade: ${p.outIface ?? 'no interface'} has no address`, packet: p }
        action = { kind: 'MASQUERADE', address, randomFully: n.fullyRandom }
      }
      const b = chooseBinding(invertTuple(rec.entry.reply), m, action, host.conntrack, host.rng, host.now())
      applyBinding(rec, m, b.tuple)
      p = natPacket(rec, ctx.ct.direction, m, p)
      ctx.event('nat', `nat: connection bound by ${table.family} ${table.name} ${chain.name}, ${describeBinding(m, b.tuple)} (${b.why})`)
    }
  }
  return { verdict: 'ACCEPT', packet: p }
}
