/**
 * The cloud provider's service controller (cloud-provider-kind / MetalLB on kind): gives every LoadBalancer
 * Service an ingress IP from the pool (or its spec.loadBalancerIP) unless its status already has one, and
 * clears the status of Services that are no longer of type LoadBalancer.
 */
import type { Service } from './types.ts'
import type { ObjectStore } from './store.ts'
import { allocateLoadBalancerIP } from './ip-allocator.ts'

export function runLoadBalancerController(store: ObjectStore): void {
  const services = store.list<Service>('Service')
  const used = new Set<string>()
  for (const s of services) for (const ing of s.status.loadBalancer.ingress ?? []) if (ing.ip) used.add(ing.ip)
  for (const svc of services) {
    const hasIngress = (svc.status.loadBalancer.ingress?.length ?? 0) > 0
    if (svc.spec.type !== 'LoadBalancer') {
      if (hasIngress) store.update<Service>({ ...svc, status: { loadBalancer: {} } })
      continue
    }
    if (hasIngress) continue
    const ref = `service/${svc.metadata.name}`
    store.record('Normal', 'EnsuringLoadBalancer', ref, svc.metadata.namespace, 'Ensuring load balancer')
    const ip = svc.spec.loadBalancerIP && !used.has(svc.spec.loadBalancerIP) ? svc.spec.loadBalancerIP : allocateLoadBalancerIP(used)
    if (!ip) {
      store.record('Warning', 'AllocationFailed', ref, svc.metadata.namespace, 'Failed to allocate IP: no available IPs in the pool')
      continue
    }
    used.add(ip)
    store.update<Service>({ ...svc, status: { loadBalancer: { ingress: [{ ip, ipMode: 'VIP' }] } } })
    store.record('Normal', 'EnsuredLoadBalancer', ref, svc.metadata.namespace, 'Ensured load balancer')
  }
}
