/**
 * What kube-proxy extracts from a Service before it writes any rule: one entry per service *port* (upstream's
 * ServicePortInfo, keyed by ServicePortName), shared by every proxy mode (pkg/proxy/serviceport.go,
 * servicechangetracker.go). Their endpoints are in endpoints.ts, the choice among them in topology.ts.
 */
import type { ClusterSnapshot, Service } from '../../cluster/types.ts'
import { serviceChainNames, servicePortNameString } from './names.ts'
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

/** Every service port of the snapshot in a stable order (namespace, name, then spec port order). */
export function allServicePorts(snapshot: ClusterSnapshot): ServicePortInfo[] {
  return snapshot.services.flatMap(servicePortsOf)
}

