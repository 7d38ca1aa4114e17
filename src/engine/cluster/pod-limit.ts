/**
 * How many Pods the simulated cluster holds. Every Pod is a full object with an IP, veth, endpoints in every
 * Node's rules and a place on the canvas, so the simulation refuses a change that would ask for more than
 * MAX_PODS (a Deployment scaled to a million replicas would otherwise never finish being created). The
 * count is what the cluster is asked for: every Deployment's replicas plus the Pods no Deployment controls.
 */
import type { Deployment, Pod } from './types.ts'
import type { ObjectStore } from './store.ts'
import { keyOf } from './store.ts'

/** The most Pods the simulation holds (system Pods included). */
export const MAX_PODS = 2000

/** Pods the cluster would be asked to hold with `change` stored (a Deployment replacing its namesake, or a new Pod). */
export function podsWanted(store: ObjectStore, change: Deployment | Pod): number {
  let wanted = 0
  const replicaSets = new Set<string>()
  for (const dep of store.list<Deployment>('Deployment')) {
    if (change.kind !== 'Deployment' || keyOf(dep) !== keyOf(change)) wanted += dep.spec.replicas
    for (const rs of store.replicaSets.get(keyOf(dep)) ?? []) replicaSets.add(`${dep.metadata.namespace}/${rs.name}`)
  }
  // Pods no Deployment of this cluster controls (bare Pods, imported ones) count one each.
  for (const pod of store.list<Pod>('Pod')) {
    if (pod.metadata.deletionTimestamp) continue
    const owner = pod.metadata.ownerReferences?.find((o) => o.controller)
    if (!(owner?.kind === 'ReplicaSet' && replicaSets.has(`${pod.metadata.namespace}/${owner.name}`))) wanted++
  }
  if (change.kind === 'Deployment') wanted += change.spec.replicas
  else if (!store.objects.get(keyOf(change))) wanted++
  return wanted
}

/** Why the change is refused, in the API server's manner (`pods "x" is forbidden: ...`), or undefined. */
export function podLimitRefusal(store: ObjectStore, change: Deployment | Pod): string | undefined {
  const wanted = podsWanted(store, change)
  if (wanted <= MAX_PODS) return undefined
  const resource = change.kind === 'Deployment' ? 'deployments.apps' : 'pods'
  return `${resource} "${change.metadata.name}" is forbidden: the simulation holds at most ${MAX_PODS} Pods and this would ask for ${wanted}`
}
