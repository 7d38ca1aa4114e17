/**
 * What the API server's Service REST storage does on create/update: keep the cluster IP and node ports a
 * Service already has, take those the manifest names (if free and in range), allocate the rest.
 */
import { deepCopy } from './deep-copy.ts'
import type { Service, ServiceCIDR, ServicePort } from './types.ts'
import type { ObjectStore } from './store.ts'
import type { FieldError } from './validation/field-error.ts'
import { invalid, pointingAt } from './validation/field-error.ts'

const CLUSTER_IP = ['spec', 'clusterIP']
const CLUSTER_IPS = ['spec', 'clusterIPs', 0]
import { allocateClusterIP, allocateNodePort } from './ip-allocator.ts'
import { ipv4Range, rangeContains } from '../net/ipv4.ts'
import type { IPv4Range } from '../net/ipv4.ts'

export type AllocationResult = { ok: true; service: Service } | { ok: false; errors: FieldError[] }

/** The service IP ranges: the `kubernetes` ServiceCIDR (the API server's flag) first, then the others by name. */
export function serviceRanges(store: ObjectStore): IPv4Range[] {
  const cidrs = store.list<ServiceCIDR>('ServiceCIDR')
    .sort((a, b) => (a.metadata.name === 'kubernetes' ? -1 : b.metadata.name === 'kubernetes' ? 1 : 0))
  return cidrs.flatMap((c) => c.spec.cidrs).map(ipv4Range).filter((r): r is IPv4Range => r !== undefined)
}

const needsNodePorts = (svc: Service) =>
  svc.spec.type === 'NodePort' || (svc.spec.type === 'LoadBalancer' && svc.spec.allocateLoadBalancerNodePorts !== false)

export function allocateServiceNetworking(store: ObjectStore, input: Service, existing: Service | undefined): AllocationResult {
  const svc: Service = deepCopy(input)
  const spec = svc.spec
  const errors: FieldError[] = []
  const others = store.list<Service>('Service').filter((s) => !(s.metadata.namespace === svc.metadata.namespace && s.metadata.name === svc.metadata.name))
  const hadIP = existing && existing.spec.type !== 'ExternalName' ? existing.spec.clusterIP : undefined

  // --- cluster IP
  if (spec.type === 'ExternalName') {
    delete spec.clusterIP
    delete spec.clusterIPs
  } else if (hadIP && spec.clusterIP && spec.clusterIP !== hadIP) {
    errors.push(pointingAt(invalid(['spec', 'clusterIPs', 0], [spec.clusterIP], 'may not change once set'), CLUSTER_IP, CLUSTER_IPS))
  } else if (hadIP && !spec.clusterIP) {
    spec.clusterIP = hadIP
    spec.clusterIPs = [hadIP]
  } else if (spec.clusterIP && spec.clusterIP !== 'None' && spec.clusterIP !== hadIP) {
    const ranges = serviceRanges(store)
    const ip = spec.clusterIP
    if (!ranges.some((r) => rangeContains(r, ip))) {
      errors.push(pointingAt(invalid(['spec', 'clusterIPs'], [ip], `failed to allocate IP ${ip}: the provided IP (${ip}) is not in the valid range. The range of valid IPs is ${ranges.map((r) => r.cidr).join(',')}`), CLUSTER_IP, CLUSTER_IPS))
    } else {
      const owner = others.find((s) => s.spec.clusterIP === ip)
      if (owner) errors.push(pointingAt(invalid(['spec', 'clusterIPs'], [ip], `failed to allocate IP ${ip}: provided IP is already allocated`), CLUSTER_IP, CLUSTER_IPS))
    }
  } else if (!spec.clusterIP) {
    const used = new Set(others.map((s) => s.spec.clusterIP).filter((ip): ip is string => !!ip))
    const ip = allocateClusterIP(serviceRanges(store), used, store.rng)
    if (!ip) errors.push(invalid(['spec', 'clusterIP'], '', 'failed to allocate a serviceIP: range is full'))
    else { spec.clusterIP = ip; spec.clusterIPs = [ip] }
  }

  // --- node ports
  const usedPorts = new Map<number, Service>()
  for (const s of others) {
    for (const p of s.spec.ports) if (p.nodePort) usedPorts.set(p.nodePort, s)
    if (s.spec.healthCheckNodePort) usedPorts.set(s.spec.healthCheckNodePort, s)
  }
  if (needsNodePorts(svc)) {
    spec.ports.forEach((port, i) => {
      if (port.nodePort) {
        const owner = usedPorts.get(port.nodePort)
        if (owner) errors.push(invalid(['spec', 'ports', i, 'nodePort'], port.nodePort, 'provided port is already allocated'))
        return
      }
      const kept = existingNodePort(existing, port)
      // The same nodePort serves a TCP and a UDP port of one Service (as the allocator allows).
      const sibling = spec.ports.find((p) => p !== port && p.port === port.port && p.nodePort)?.nodePort
      const chosen = kept ?? sibling ?? allocateNodePort(new Set([...usedPorts.keys(), ...spec.ports.map((p) => p.nodePort ?? 0)]), store.rng)
      if (chosen === undefined) errors.push(invalid(['spec', 'ports', i, 'nodePort'], 0, 'failed to allocate a nodePort: range is full'))
      else port.nodePort = chosen
    })
  } else {
    for (const port of spec.ports) delete port.nodePort
  }
  if (spec.type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local') {
    if (spec.healthCheckNodePort) {
      const owner = usedPorts.get(spec.healthCheckNodePort)
      if (owner) errors.push(invalid(['spec', 'healthCheckNodePort'], spec.healthCheckNodePort, 'provided port is already allocated'))
    } else {
      const used = new Set([...usedPorts.keys(), ...spec.ports.map((p) => p.nodePort ?? 0)])
      const chosen = existing?.spec.healthCheckNodePort ?? allocateNodePort(used, store.rng)
      if (chosen !== undefined) spec.healthCheckNodePort = chosen
    }
  } else delete spec.healthCheckNodePort

  // --- load-balancer status: the manifest's, else what the Service had (the controller fills the rest)
  if (spec.type === 'LoadBalancer' && !(svc.status.loadBalancer.ingress?.length) && existing?.spec.type === 'LoadBalancer') {
    svc.status = existing.status
  }
  if (spec.type === 'LoadBalancer' && svc.status.loadBalancer.ingress?.length) {
    svc.status.loadBalancer.ingress.forEach((ing, i) => {
      const owner = others.find((s) => s.status.loadBalancer.ingress?.some((o) => o.ip && o.ip === ing.ip))
      if (owner && ing.ip) errors.push(invalid(['status', 'loadBalancer', 'ingress', i, 'ip'], ing.ip, `address already in use by Service ${owner.metadata.namespace}/${owner.metadata.name}`))
    })
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, service: svc }
}

function existingNodePort(existing: Service | undefined, port: ServicePort): number | undefined {
  if (!existing) return undefined
  const match = existing.spec.ports.find((p) => (port.name ? p.name === port.name : true) && p.port === port.port && p.protocol === port.protocol)
    ?? existing.spec.ports.find((p) => port.name !== undefined && p.name === port.name)
  return match?.nodePort
}
