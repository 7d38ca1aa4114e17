/**
 * What kube-proxy extracts from Services and EndpointSlices before it writes any rule: one entry per
 * service *port* (upstream's ServicePortInfo, keyed by ServicePortName) and that port's endpoints
 * (upstream's endpointsMap built by the EndpointSliceCache), then CategorizeEndpoints (pkg/proxy/topology.go)
 * to choose which endpoints Cluster and Local traffic policy use.
 */
import type { ClusterSnapshot, EndpointSlice, Service } from '../../cluster/types.ts'
import { endpointChainName, endpointString, serviceChainNames, servicePortNameString } from './names.ts'
import type { ProtocolLower, ServiceChainNames } from './names.ts'
import { parseCIDRSloppy, parseIPSloppy } from '../../net/ipv4.ts'
import type { Cidr } from '../../net/ipv4.ts'

/** The label an EndpointSlice carries to name its Service. */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name'

/** Default sessionAffinityConfig.clientIP.timeoutSeconds (API defaulting). */
export const DEFAULT_STICKY_SECONDS = 10800

export interface ServicePortInfo {
  /** `namespace/name` of the Service: the unit of change tracking and partial syncs. */
  service: string
  /** Upstream ServicePortName.String() + protocol: unique per service port. */
  key: string
  /** `ns/name:port` or `ns/name`: the string used in comments and hashes. */
  spn: string
  protocol: ProtocolLower
  clusterIP: string
  port: number
  nodePort: number
  externalIPs: string[]
  loadBalancerVIPs: string[]
  loadBalancerSourceRanges: Cidr[]
  /** 0 unless sessionAffinity is ClientIP. */
  stickySeconds: number
  internalPolicyLocal: boolean
  externalPolicyLocal: boolean
  healthCheckNodePort: number
  chains: ServiceChainNames
}

export interface EndpointInfo {
  ip: string
  port: number
  /** `ip:port` (JoinHostPort). */
  text: string
  isLocal: boolean
  ready: boolean
  serving: boolean
  terminating: boolean
  chain: string
}

export function externallyAccessible(p: ServicePortInfo): boolean {
  return p.nodePort !== 0 || p.loadBalancerVIPs.length > 0 || p.externalIPs.length > 0
}

/** Cluster endpoints are needed for iTP=Cluster and for any external traffic (short-circuiting). */
export function usesClusterEndpoints(p: ServicePortInfo): boolean {
  return !p.internalPolicyLocal || externallyAccessible(p)
}

export function usesLocalEndpoints(p: ServicePortInfo): boolean {
  return p.internalPolicyLocal || (p.externalPolicyLocal && externallyAccessible(p))
}

/** apiservice.ExternallyAccessible: the Service as a whole takes traffic from outside the cluster. */
function serviceExternallyAccessible(svc: Service): boolean {
  return svc.spec.type === 'LoadBalancer' || svc.spec.type === 'NodePort' ||
    (svc.spec.type === 'ClusterIP' && (svc.spec.externalIPs?.length ?? 0) > 0)
}

/** Headless and ExternalName Services, and Services without a cluster IP, get no rules at all. */
export function shouldSkipService(svc: Service): boolean {
  const ip = svc.spec.clusterIP
  return svc.spec.type === 'ExternalName' || !ip || ip === 'None'
}

/** The IPv4 service ports of one Service, in spec order. */
export function servicePortsOf(svc: Service): ServicePortInfo[] {
  if (shouldSkipService(svc)) return []
  const clusterIP = parseIPSloppy(svc.spec.clusterIP ?? '')
  // This simulator runs the IPv4 proxier only: an IPv6-only Service belongs to the other family's proxier.
  if (!clusterIP || clusterIP.family !== 'IPv4') return []
  const ns = svc.metadata.namespace ?? 'default'
  const externalIPs = (svc.spec.externalIPs ?? [])
    .map((ip) => parseIPSloppy(ip))
    .filter((ip) => ip?.family === 'IPv4')
    .map((ip) => ip!.ip)
  const loadBalancerVIPs = (svc.status?.loadBalancer?.ingress ?? [])
    // ipMode Proxy: the load balancer proxies, so the node never sees the VIP as destination.
    .filter((ing) => ing.ip && ing.ipMode !== 'Proxy')
    .map((ing) => parseIPSloppy(ing.ip!))
    .filter((ip) => ip?.family === 'IPv4')
    .map((ip) => ip!.ip)
  const loadBalancerSourceRanges = (svc.spec.loadBalancerSourceRanges ?? [])
    .map((r) => parseCIDRSloppy(r.trim()))
    .filter((c): c is Cidr => c?.family === 'IPv4')
  const externalPolicyLocal = serviceExternallyAccessible(svc) && svc.spec.externalTrafficPolicy === 'Local'
  const internalPolicyLocal = svc.spec.internalTrafficPolicy === 'Local'
  const healthCheckNodePort = svc.spec.type === 'LoadBalancer' && svc.spec.externalTrafficPolicy === 'Local'
    ? (svc.spec.healthCheckNodePort ?? 0) : 0
  const stickySeconds = svc.spec.sessionAffinity === 'ClientIP'
    ? (svc.spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? DEFAULT_STICKY_SECONDS) : 0
  return svc.spec.ports.map((p) => {
    const protocol = (p.protocol ?? 'TCP').toLowerCase() as ProtocolLower
    const spn = servicePortNameString(ns, svc.metadata.name, p.name)
    return {
      service: `${ns}/${svc.metadata.name}`,
      key: `${spn}/${protocol}`,
      spn,
      protocol,
      clusterIP: clusterIP.ip,
      port: p.port,
      nodePort: p.nodePort ?? 0,
      externalIPs,
      loadBalancerVIPs,
      loadBalancerSourceRanges,
      stickySeconds,
      internalPolicyLocal,
      externalPolicyLocal,
      healthCheckNodePort,
      chains: serviceChainNames(spn, protocol),
    }
  })
}

/**
 * The endpoints of every service port, as upstream's EndpointSliceCache merges them: one endpoint per
 * `ip:port` (a local copy wins over a remote duplicate), sorted by that *string* (so 10.244.1.10:80 sorts
 * before 10.244.1.9:80), only the first address of each endpoint, IPv4 slices only.
 */
export function endpointsByServicePort(slices: readonly EndpointSlice[], nodeName: string): Map<string, EndpointInfo[]> {
  const parts = new Map<string, EndpointInfo[][]>()
  for (const slice of slices) {
    for (const [key, eps] of sliceEndpoints(slice, nodeName)) {
      const list = parts.get(key)
      if (list) list.push(eps)
      else parts.set(key, [eps])
    }
  }
  const result = new Map<string, EndpointInfo[]>()
  for (const [key, lists] of parts) result.set(key, lists.length === 1 ? lists[0] : mergeEndpoints(lists))
  return result
}

const byText = (a: EndpointInfo, b: EndpointInfo) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0)

function mergeEndpoints(lists: EndpointInfo[][]): EndpointInfo[] {
  const set = new Map<string, EndpointInfo>()
  for (const list of lists) {
    for (const ep of list) if (!set.has(ep.text) || ep.isLocal) set.set(ep.text, ep)
  }
  return [...set.values()].sort(byText)
}

/**
 * One slice's endpoints per service port, deduplicated and sorted. Objects are immutable (a change
 * replaces the slice), so this is remembered per slice object and node: a sync only re-reads what changed.
 */
function sliceEndpoints(slice: EndpointSlice, nodeName: string): Map<string, EndpointInfo[]> {
  let perNode = sliceCache.get(slice)
  if (!perNode) sliceCache.set(slice, (perNode = new Map()))
  let result = perNode.get(nodeName)
  if (result) return result
  result = new Map()
  perNode.set(nodeName, result)
  if (slice.addressType !== 'IPv4') return result
  const serviceName = slice.metadata.labels?.[SERVICE_NAME_LABEL]
  if (!serviceName) return result
  const ns = slice.metadata.namespace ?? 'default'
  for (const port of slice.ports ?? []) {
    if (port.port === undefined || port.port === null) continue
    const protocol = (port.protocol ?? 'TCP').toLowerCase() as ProtocolLower
    const spn = servicePortNameString(ns, serviceName, port.name)
    const set = new Map<string, EndpointInfo>()
    for (const ep of slice.endpoints ?? []) {
      if (!ep.addresses || ep.addresses.length === 0) continue
      const ip = parseIPSloppy(ep.addresses[0])
      if (!ip || ip.family !== 'IPv4') continue
      const isLocal = ep.nodeName !== undefined && ep.nodeName === nodeName
      const text = endpointString(ip.ip, port.port)
      if (set.has(text) && !isLocal) continue
      set.set(text, {
        ip: ip.ip,
        port: port.port,
        text,
        isLocal,
        ready: ep.conditions?.ready ?? true,
        serving: ep.conditions?.serving ?? true,
        terminating: ep.conditions?.terminating ?? false,
        chain: endpointChainName(spn, protocol, text),
      })
    }
    const key = `${spn}/${protocol}`
    const eps = [...set.values()].sort(byText)
    const before = result.get(key)
    result.set(key, before ? mergeEndpoints([before, eps]) : eps)
  }
  return result
}

const sliceCache = new WeakMap<EndpointSlice, Map<string, Map<string, EndpointInfo[]>>>()

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

/** Every service port of the snapshot in a stable order (namespace, name, then spec port order). */
export function allServicePorts(snapshot: ClusterSnapshot): ServicePortInfo[] {
  return snapshot.services.flatMap(servicePortsOf)
}
