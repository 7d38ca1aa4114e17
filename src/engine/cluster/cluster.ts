/**
 * The simulated Kubernetes cluster: apply manifests, act on it as a user would (scale, delete a Pod,
 * cordon or stop a Node), let the simulated clock run, and read it as snapshots and watch events.
 *
 * Every action runs the controllers until the cluster settles, so a snapshot is always the steady state.
 * Applying is all-or-nothing: the manifests are applied to a copy, which replaces the cluster only when
 * every document was accepted.
 */
import type { ClusterEventRecord, ClusterObject, ClusterObjectKind, ClusterSnapshot, Deployment, Namespace, Node, Pod, Service, WatchEvent } from './types.ts'
import type { ApplyOutcome } from './manifest-error.ts'
import { ClusterError } from './manifest-error.ts'
import { ObjectStore, objectKey } from './store.ts'
import { createRng } from '../random.ts'
import { applyManifests } from './apply.ts'
import { reconcile } from './reconcile.ts'
import { BUILTIN_MANIFESTS, CONTROL_PLANE_MANIFESTS, WORKER_MANIFESTS, defaultKubeProxyConfig } from './default-cluster.ts'
import { beginPodDeletion } from './pod-lifecycle.ts'
import { ownedPods } from './deployment-controller.ts'
import { deepCopy } from './deep-copy.ts'
import { podLimitRefusal } from './pod-limit.ts'

export type { ManifestError, AppliedObject, SkippedDocument, ApplyOutcome } from './manifest-error.ts'
export { ClusterError, formatManifestError } from './manifest-error.ts'

export const DEFAULT_SEED = 1

/** Plural resource names, as API errors name them (`pods "x" not found`). */
const RESOURCE: Record<ClusterObjectKind, string> = {
  Namespace: 'namespaces',
  Node: 'nodes',
  Pod: 'pods',
  Deployment: 'deployments.apps',
  Service: 'services',
  EndpointSlice: 'endpointslices.discovery.k8s.io',
  ServiceCIDR: 'servicecidrs.networking.k8s.io',
}

const PROTECTED_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease']

export class Cluster {
  private listeners = new Set<(events: WatchEvent[]) => void>()

  private constructor(private store: ObjectStore) {}

  /** A freshly created kind cluster: 3 Nodes, the kubernetes Service, CoreDNS (no workload). */
  static createDefault(options: { seed?: number } = {}): Cluster {
    const cluster = Cluster.createEmpty(options)
    for (const manifests of [CONTROL_PLANE_MANIFESTS, WORKER_MANIFESTS]) {
      const outcome = cluster.apply(manifests)
      if (!outcome.ok) throw new Error(`built-in manifests rejected: ${outcome.errors.map((e) => e.message).join('; ')}`)
    }
    return cluster
  }

  /** Only the built-in namespaces and the service CIDR: no Nodes, Pods or Services. */
  static createEmpty(options: { seed?: number } = {}): Cluster {
    const seed = options.seed ?? DEFAULT_SEED
    const cluster = new Cluster(new ObjectStore(seed, createRng(seed), defaultKubeProxyConfig()))
    const outcome = cluster.apply(BUILTIN_MANIFESTS)
    if (!outcome.ok) throw new Error(`built-in manifests rejected: ${outcome.errors.map((e) => e.message).join('; ')}`)
    return cluster
  }

  get seed(): number {
    return this.store.seed
  }

  /** The simulated clock, RFC 3339. */
  now(): string {
    return this.store.now()
  }

  apply(yamlText: string): ApplyOutcome {
    const draft = this.store.clone()
    const result = applyManifests(draft, yamlText)
    if (result.errors.length > 0) return { ok: false, errors: result.errors }
    this.commit(draft)
    return { ok: true, applied: result.applied, skipped: result.skipped }
  }

  delete(kind: string, namespace: string | undefined, name: string): void {
    this.mutate((store) => {
      const k = kind as ClusterObjectKind
      if (!(k in RESOURCE)) throw new ClusterError(`the server doesn't have a resource type "${kind}"`)
      const obj = store.objects.get(objectKey(k, namespaced(k) ? namespace ?? 'default' : undefined, name))
      if (!obj) throw new ClusterError(`${RESOURCE[k]} "${name}" not found`)
      deleteObject(store, obj)
    })
  }

  scaleDeployment(namespace: string, name: string, replicas: number): void {
    if (!Number.isInteger(replicas) || replicas < 0) throw new ClusterError(`The Deployment "${name}" is invalid: spec.replicas: Invalid value: ${replicas}: must be greater than or equal to 0`)
    this.mutate((store) => {
      const dep = store.get<Deployment>('Deployment', namespace, name)
      if (!dep) throw new ClusterError(`deployments.apps "${name}" not found`)
      const next: Deployment = { ...dep, spec: { ...dep.spec, replicas } }
      const refusal = podLimitRefusal(store, next)
      if (refusal) throw new ClusterError(refusal)
      store.update<Deployment>(next)
    })
  }

  deletePod(namespace: string, name: string): void {
    this.mutate((store) => {
      const pod = store.get<Pod>('Pod', namespace, name)
      if (!pod) throw new ClusterError(`pods "${name}" not found`)
      beginPodDeletion(store, pod)
    })
  }

  /** `kubectl cordon` (false) / `kubectl uncordon` (true). */
  setNodeSchedulable(name: string, schedulable: boolean): void {
    this.mutate((store) => {
      const node = requireNode(store, name)
      if (!node.spec.unschedulable === schedulable) return
      const taints = (node.spec.taints ?? []).filter((t) => t.key !== 'node.kubernetes.io/unschedulable')
      if (!schedulable) taints.push({ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule', timeAdded: store.now() })
      const spec: Node['spec'] = { ...node.spec, taints }
      if (schedulable) delete spec.unschedulable
      else spec.unschedulable = true
      if (taints.length === 0) delete spec.taints
      store.update<Node>({ ...node, spec })
      store.record('Normal', schedulable ? 'NodeSchedulable' : 'NodeNotSchedulable', `node/${name}`, undefined,
        `Node ${name} status is now: ${schedulable ? 'NodeSchedulable' : 'NodeNotSchedulable'}`)
    })
  }

  /**
   * Stop (false) or start (true) a Node. Stopped: the kubelet stops posting status, so the node lifecycle
   * controller sets Ready to Unknown, taints the Node unreachable (NoSchedule, NoExecute) and marks its Pods
   * not ready; after 300 s (the Pods' default toleration) they are evicted and replaced elsewhere.
   */
  setNodeReady(name: string, ready: boolean): void {
    this.mutate((store) => {
      const node = requireNode(store, name)
      const isReady = node.status.conditions.some((c) => c.type === 'Ready' && c.status === 'True')
      if (isReady === ready) return
      const taints = (node.spec.taints ?? []).filter((t) => t.key !== 'node.kubernetes.io/unreachable' && t.key !== 'node.kubernetes.io/not-ready')
      if (!ready) {
        taints.push({ key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule', timeAdded: store.now() })
        taints.push({ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: store.now() })
      }
      const spec: Node['spec'] = { ...node.spec, taints }
      if (taints.length === 0) delete spec.taints
      const conditions = node.status.conditions.filter((c) => c.type !== 'Ready')
      conditions.push(ready ? { type: 'Ready', status: 'True', reason: 'KubeletReady' } : { type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown' })
      store.update<Node>({ ...node, spec, status: { ...node.status, conditions } })
      store.record('Normal', ready ? 'NodeReady' : 'NodeNotReady', `node/${name}`, undefined, `Node ${name} status is now: ${ready ? 'NodeReady' : 'NodeNotReady'}`)
    })
  }

  /** Make a Pod's readiness probe fail (false) or pass again (true). */
  setPodReady(namespace: string, name: string, ready: boolean): void {
    this.mutate((store) => {
      const pod = store.get<Pod>('Pod', namespace, name)
      if (!pod) throw new ClusterError(`pods "${name}" not found`)
      const key = objectKey('Pod', namespace, name)
      if (ready) store.readinessFailing.delete(key)
      else store.readinessFailing.add(key)
    })
  }

  advanceTime(seconds: number): void {
    if (!Number.isFinite(seconds) || seconds < 0) throw new ClusterError(`cannot advance the clock by ${seconds} seconds`)
    this.mutate((store) => { store.nowMs += Math.round(seconds * 1000) })
  }

  snapshot(): ClusterSnapshot {
    const s = this.store
    return {
      namespaces: s.list<Namespace>('Namespace'),
      nodes: s.list<Node>('Node'),
      deployments: s.list<Deployment>('Deployment'),
      pods: s.list<Pod>('Pod'),
      services: s.list<Service>('Service'),
      endpointSlices: s.list('EndpointSlice'),
      serviceCIDRs: s.list('ServiceCIDR'),
      kubeProxyConfig: deepCopy(s.kubeProxyConfig),
      now: s.now(),
    }
  }

  /** Watch events after `sinceSeq` (all when omitted), in order. */
  watchEvents(sinceSeq = 0): WatchEvent[] {
    return this.store.watch.slice(Math.max(0, sinceSeq))
  }

  eventLog(): ClusterEventRecord[] {
    return [...this.store.records]
  }

  /** Called with the new watch events after every change; returns the unsubscribe function. */
  subscribe(listener: (events: WatchEvent[]) => void): () => void {
    this.listeners.add(listener)
    return () => { this.listeners.delete(listener) }
  }

  /** An independent copy (no subscribers). */
  clone(): Cluster {
    return new Cluster(this.store.clone())
  }

  /** Runs an action on a copy, settles the controllers and keeps the result; a thrown error changes nothing. */
  private mutate(action: (store: ObjectStore) => void): void {
    const draft = this.store.clone()
    action(draft)
    reconcile(draft)
    this.commit(draft)
  }

  private commit(draft: ObjectStore): void {
    const seenBefore = this.store.watch.length
    this.store = draft
    const fresh = draft.watch.slice(seenBefore)
    if (fresh.length > 0) for (const l of this.listeners) l(fresh)
  }
}

function namespaced(kind: ClusterObjectKind): boolean {
  return kind !== 'Node' && kind !== 'Namespace' && kind !== 'ServiceCIDR'
}

function requireNode(store: ObjectStore, name: string): Node {
  const node = store.get<Node>('Node', undefined, name)
  if (!node) throw new ClusterError(`nodes "${name}" not found`)
  return node
}

/** Deletion with the garbage collector's and Pod GC's follow-ups. */
function deleteObject(store: ObjectStore, obj: ClusterObject): void {
  switch (obj.kind) {
    case 'Pod': beginPodDeletion(store, obj); return
    case 'Deployment': {
      const pods = ownedPods(store, obj)
      store.remove(obj)
      store.replicaSets.delete(objectKey('Deployment', obj.metadata.namespace, obj.metadata.name))
      for (const p of pods) beginPodDeletion(store, p)
      return
    }
    case 'Node': {
      store.remove(obj)
      for (const p of store.list<Pod>('Pod')) if (p.spec.nodeName === obj.metadata.name) store.remove(p)
      return
    }
    case 'Namespace': {
      if (PROTECTED_NAMESPACES.includes(obj.metadata.name)) throw new ClusterError(`namespaces "${obj.metadata.name}" is forbidden: this namespace may not be deleted`)
      for (const o of [...store.objects.values()]) if (o.metadata.namespace === obj.metadata.name) store.remove(o)
      for (const key of [...store.replicaSets.keys()]) if (key.startsWith(`Deployment/${obj.metadata.name}/`)) store.replicaSets.delete(key)
      store.remove(obj)
      return
    }
    default: store.remove(obj)
  }
}
