/**
 * Where nftables mode sends a client's new connections: the service chain that chose the endpoint (a
 * `numgen random mod N vmap` over the endpoint chains, after one `ip saddr @affinity-… goto endpoint-…`
 * rule per endpoint with session affinity), read from kube-proxy's table with the affinity sets as the
 * packet path filled them.
 */
import type { Host } from '../../../host/host.ts'
import { chainVerdictShares } from '../../../nftables/eval.ts'
import { toNftPacket } from '../../../nftables/hook-stages.ts'
import type { NftHostState } from '../../../nftables/hook-stages.ts'
import type { NftTable } from '../../../nftables/model.ts'
import type { EndpointShare, LoadBalancing, PathStep } from '../../backend.ts'
import { PREFIX } from './names.ts'

export function nftablesLoadBalancing(host: Host, table: NftTable, state: NftHostState, step: PathStep): LoadBalancing | undefined {
  const chain = step.chain
  const isPolicyChain = chain?.startsWith(PREFIX.clusterPolicy) || chain?.startsWith(PREFIX.localPolicy)
  if (!chain || !isPolicyChain || !(step.verdict ?? '').startsWith(`goto ${PREFIX.endpoint}`)) return undefined
  const packet = toNftPacket(step.packetBefore, undefined)
  if (!packet) return undefined
  const rules = chainVerdictShares(table, chain, packet, { isLocal: (ip) => host.isLocalAddress(ip), now: host.now() / 1000, dynamicSets: state.dynamicSets })
  if (!rules) return undefined
  const shares: EndpointShare[] = []
  let affinity = false
  for (const { rule, verdict, share } of rules) {
    if (!verdict.startsWith(`goto ${PREFIX.endpoint}`)) continue
    const target = verdict.slice('goto '.length)
    const endpoint = dnatDestination(table, target) ?? target
    const known = shares.find((s) => s.endpoint === endpoint)
    if (known) known.share += share
    else shares.push({ endpoint, share })
    if (share > 0 && rule.text.includes(`@${PREFIX.affinity}`)) affinity = true
  }
  return { where: `${table.family} ${table.name} ${chain}`, chain, how: affinity ? 'session affinity' : 'numgen random', shares }
}

/** The `dnat to` address of an endpoint chain. */
function dnatDestination(table: NftTable, chain: string): string | undefined {
  const rules = table.chains.find((c) => c.name === chain)?.rules ?? []
  for (const r of rules) {
    const m = /dnat to (\S+)/.exec(r.text)
    if (m) return m[1]
  }
  return undefined
}
