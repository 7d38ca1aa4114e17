/**
 * The player's side of the engine session: running a `sendPacket` operation on the simulation, and the
 * share of connections each endpoint should get, read from the rules kube-proxy wrote.
 *
 * kube-proxy (iptables mode) spreads new connections with a cascade of `-m statistic --mode random
 * --probability p` rules, one per endpoint, the last without a statistic match: rule i is taken with
 * probability p_i · Π_{j<i} (1 - p_j). With p_i = 1/(n - i) every endpoint gets 1/n; the shares are read
 * from the rules rather than assumed, so whatever the rules say (a hand-edited chain too) is what is shown.
 */
import type { ClusterSnapshot } from '../engine/cluster/types.ts'
import { resolveJourney } from '../engine/journeys/journey.ts'
import type { JourneySpec } from '../engine/journeys/journey.ts'
import type { Simulation } from '../engine/simulation/simulation.ts'
import type { Operation } from './operations.ts'
import type { ExpectedShare, LoadBalanceView } from './protocol.ts'

type SendPacket = Extract<Operation, { type: 'sendPacket' }>

export function specOf(op: SendPacket): JourneySpec {
  const spec: JourneySpec = { from: op.from, to: op.to, port: op.port, proto: op.proto }
  return op.next ? { ...spec, sport: op.next.sport, packet: 'next' } : spec
}

interface SaveRule {
  comment: string | null
  probability: number | null
  target: string | null
}

/** The rules of each chain in an `iptables-save` text's nat table, with the parts the cascade needs. */
export function natChains(save: string): Map<string, SaveRule[]> {
  const chains = new Map<string, SaveRule[]>()
  let inNat = false
  for (const line of save.split('\n')) {
    if (line.startsWith('*')) inNat = line === '*nat'
    if (!inNat || !line.startsWith('-A ')) continue
    const chain = line.split(' ')[1]
    const comment = /--comment (?:"([^"]*)"|(\S+))/.exec(line)
    const probability = /--probability (\S+)/.exec(line)
    const target = /-j (\S+)/.exec(line)
    const rules = chains.get(chain) ?? []
    rules.push({
      comment: comment ? comment[1] ?? comment[2] : null,
      probability: probability ? Number(probability[1]) : null,
      target: target ? target[1] : null,
    })
    chains.set(chain, rules)
  }
  return chains
}

/**
 * The expected shares for a Service port, from the load-balancing chain on one Node: the KUBE-SVC- chain
 * (cluster traffic policy), or KUBE-SVL- (externalTrafficPolicy Local) when `local` is set. Rules are
 * recognised by kube-proxy's comment `namespace/name[:port] -> ip:port`.
 */
export function expectedShares(save: string, snapshot: ClusterSnapshot, servicePort: string, local: boolean): { chain: string | null; shares: ExpectedShare[] } {
  const prefix = local ? 'KUBE-SVL-' : 'KUBE-SVC-'
  const marker = `${servicePort} -> `
  for (const [chain, rules] of natChains(save)) {
    if (!chain.startsWith(prefix)) continue
    const endpoints = rules.filter((r) => r.comment?.startsWith(marker) && r.target?.startsWith('KUBE-SEP-'))
    if (endpoints.length === 0) continue
    let remaining = 1
    const shares = endpoints.map((r) => {
      const p = r.probability ?? 1
      const share = remaining * p
      remaining -= share
      const endpoint = r.comment!.slice(marker.length)
      const ip = endpoint.replace(/:\d+$/, '')
      const pod = snapshot.pods.find((x) => x.status.podIP === ip && !x.spec.hostNetwork)
      return { pod: pod?.metadata.name ?? endpoint, endpoint, share }
    })
    return { chain, shares }
  }
  return { chain: null, shares: [] }
}

/** Send N connections and describe where they landed against the cascade's shares. */
export function loadBalance(sim: Simulation, op: SendPacket, count: number): LoadBalanceView {
  const spec = specOf(op)
  const resolved = resolveJourney(sim.snapshot(), spec)
  const result = sim.sendMany(spec, count)
  const node = resolved.entry.node
  const svc = resolved.service
  if (!svc) return { result, expected: [], chain: null, node }
  const service = sim.snapshot().services.find((s) => s.metadata.name === svc.name && (s.metadata.namespace ?? 'default') === svc.namespace)
  const local = svc.address !== 'clusterIP' && service?.spec.externalTrafficPolicy === 'Local'
  const portKey = `${svc.namespace}/${svc.name}${svc.port.name ? `:${svc.port.name}` : ''}`
  const { chain, shares } = expectedShares(sim.iptablesSave(node), sim.snapshot(), portKey, local)
  return { result, expected: shares, chain, node }
}
