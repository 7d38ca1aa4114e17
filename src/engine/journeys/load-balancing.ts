/**
 * N new connections of one journey, and where the rules say they should go: the share of each endpoint,
 * read from the rules of the node that chose it — in every proxy mode, through its kube-proxy
 * (KubeProxyBackend.loadBalancing: iptables' statistic cascade, nftables' numgen map, IPVS's scheduler) —
 * with the affinity state as it is once the first connection went through (so with session affinity one
 * endpoint takes every connection, and its expected share says so).
 */
import type { LoadBalancing, PathStep } from '../kube-proxy/backend.ts'
import { runJourney } from './journey.ts'
import type { Journey, JourneySpec, JourneyWorld } from './journey.ts'

/** What a world needs for the expected shares: each node's kube-proxy. */
export interface LoadBalancingWorld extends JourneyWorld {
  kubeProxy(node: string): { loadBalancing(step: PathStep): LoadBalancing | undefined }
}

export interface ExpectedShares {
  node: string
  /** Where the choice is made (`nat KUBE-SVC-…`, `ip kube-proxy service-…`, `IPVS TCP 10.96.0.10:80`). */
  where: string
  chain: string
  /** How the rules choose (`the statistic cascade`, `numgen random`, `rr`, `session affinity`, …). */
  how: string
  /** Pod name (or Node name, or the address when no Pod has it) → share, in rule order, each once. */
  shares: Record<string, number>
  /** The endpoint (`ip:port`) behind each name of `shares`. */
  endpoints: Record<string, string>
}

export interface LoadBalanceResult {
  count: number
  /**
   * The share each endpoint should get, read from the rules the first connection went through, on the Node
   * that chose the endpoint. Absent when the first connection met no such choice (dropped, rejected, no
   * Service).
   */
  expected?: ExpectedShares
  /** Pod name → connections that reached it. */
  landed: Record<string, number>
  /** Connections that ended on a Node's own stack or outside, by node name / address. */
  elsewhere: Record<string, number>
  dropped: number
  rejected: number
}

/** N new connections (each with a fresh source port, first packet and its answer); where they landed. */
export function sendMany(world: LoadBalancingWorld, spec: JourneySpec, count: number): LoadBalanceResult {
  const result: LoadBalanceResult = { count, landed: {}, elsewhere: {}, dropped: 0, rejected: 0 }
  const base: JourneySpec = { ...spec, packet: 'first' }
  delete base.sport
  for (let i = 0; i < count; i++) {
    const j = runJourney(world, base)
    if (i === 0) {
      const expected = expectedShares(world, j)
      if (expected) result.expected = expected
    }
    if (j.verdict === 'dropped') result.dropped++
    else if (j.verdict === 'rejected') result.rejected++
    else if (j.reachedPod) result.landed[j.reachedPod] = (result.landed[j.reachedPod] ?? 0) + 1
    else {
      const where = j.reached?.kind === 'node' ? j.reached.name : j.reached?.ip ?? 'unknown'
      result.elsewhere[where] = (result.elsewhere[where] ?? 0) + 1
    }
  }
  return result
}

/** Where new connections like the journey's go, from the rules of the node where its endpoint was chosen. */
export function expectedShares(world: LoadBalancingWorld, j: Journey): ExpectedShares | undefined {
  for (const hop of j.hops) {
    if (hop.leg !== 'request' || hop.kind !== 'rule' || !hop.matched || !hop.node) continue
    const lb = world.kubeProxy(hop.node).loadBalancing(hop)
    if (lb) return named(world, hop.node, lb)
  }
  return undefined
}

function named(world: JourneyWorld, node: string, lb: LoadBalancing): ExpectedShares {
  const snapshot = world.snapshot()
  const owner = (endpoint: string): string => {
    const ip = endpoint.replace(/:\d+$/, '')
    const pod = snapshot.pods.find((p) => p.status.podIP === ip && !p.spec.hostNetwork)
    if (pod) return pod.metadata.name
    return world.nodeNames().find((n) => world.wiring(n).ip === ip) ?? ip
  }
  const shares: Record<string, number> = {}
  const endpoints: Record<string, string> = {}
  for (const s of lb.shares) {
    const name = owner(s.endpoint)
    shares[name] = (shares[name] ?? 0) + s.share
    endpoints[name] ??= s.endpoint
  }
  return { node, where: lb.where, chain: lb.chain, how: lb.how, shares, endpoints }
}
