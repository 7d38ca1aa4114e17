/**
 * Which endpoints a service port's traffic policies use (upstream CategorizeEndpoints, pkg/proxy/topology.go):
 * shared by every proxy mode.
 */
import type { EndpointInfo } from './endpoints.ts'
import type { ServicePortInfo } from './service-port.ts'
import { usesClusterEndpoints, usesLocalEndpoints } from './service-port.ts'

export interface CategorizedEndpoints {
  clusterEndpoints: EndpointInfo[]
  localEndpoints: EndpointInfo[]
  allReachableEndpoints: EndpointInfo[]
  hasAnyEndpoints: boolean
}

/**
 * Upstream CategorizeEndpoints (without topology hints): Cluster policy uses every ready endpoint, or if
 * there is none, every serving+terminating one; Local policy uses the local ready endpoints, or if none,
 * the local serving+terminating ones.
 */
export function categorizeEndpoints(endpoints: readonly EndpointInfo[], p: ServicePortInfo): CategorizedEndpoints {
  let clusterEndpoints: EndpointInfo[] = []
  let localEndpoints: EndpointInfo[] = []
  let hasAnyEndpoints = false
  if (usesClusterEndpoints(p)) {
    clusterEndpoints = endpoints.filter((ep) => ep.ready)
    if (clusterEndpoints.length === 0) clusterEndpoints = endpoints.filter((ep) => ep.serving && ep.terminating)
    if (clusterEndpoints.length > 0) hasAnyEndpoints = true
  }
  if (!usesLocalEndpoints(p)) {
    return { clusterEndpoints, localEndpoints, allReachableEndpoints: clusterEndpoints, hasAnyEndpoints }
  }
  let hasLocalReady = false
  let hasLocalServingTerminating = false
  for (const ep of endpoints) {
    if (ep.ready) {
      hasAnyEndpoints = true
      if (ep.isLocal) hasLocalReady = true
    } else if (ep.serving && ep.terminating) {
      hasAnyEndpoints = true
      if (ep.isLocal) hasLocalServingTerminating = true
    }
  }
  let useServingTerminating = false
  if (hasLocalReady) localEndpoints = endpoints.filter((ep) => ep.isLocal && ep.ready)
  else if (hasLocalServingTerminating) {
    useServingTerminating = true
    localEndpoints = endpoints.filter((ep) => ep.isLocal && ep.serving && ep.terminating)
  }
  if (!usesClusterEndpoints(p)) {
    return { clusterEndpoints, localEndpoints, allReachableEndpoints: localEndpoints, hasAnyEndpoints }
  }
  if (!useServingTerminating) {
    // localEndpoints holds only ready endpoints, all of which are in clusterEndpoints.
    return { clusterEndpoints, localEndpoints, allReachableEndpoints: clusterEndpoints, hasAnyEndpoints }
  }
  // Upstream merges the two lists through a Go map (random order); we keep the sorted endpoint order.
  const merged = new Map<string, EndpointInfo>()
  for (const ep of clusterEndpoints) merged.set(ep.text, ep)
  for (const ep of localEndpoints) merged.set(ep.text, ep)
  const allReachableEndpoints = [...merged.values()].sort((a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0))
  return { clusterEndpoints, localEndpoints, allReachableEndpoints, hasAnyEndpoints }
}
