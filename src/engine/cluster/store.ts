/**
 * The cluster's object store: what etcd and the API server hold. Every write bumps the cluster-wide
 * resourceVersion and appends a watch event, so informers (kube-proxy, the UI) see changes in order.
 * Objects are immutable: an update stores a new object.
 */
import type { ClusterEventRecord, ClusterObject, ClusterObjectKind, KubeProxyConfiguration, WatchEvent } from './types.ts'
import type { SeededRng } from '../random.ts'
import { randomUid } from './names.ts'

/** The simulated clock starts here, so ages and timestamps are the same on every run. */
export const CLOCK_START_MS = Date.UTC(2026, 0, 1, 0, 0, 0)

export function objectKey(kind: ClusterObjectKind, namespace: string | undefined, name: string): string {
  return `${kind}/${namespace ?? ''}/${name}`
}

export function keyOf(obj: ClusterObject): string {
  return objectKey(obj.kind, obj.metadata.namespace, obj.metadata.name)
}

/** RFC 3339 without fractional seconds, as the API server prints timestamps. */
export function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/** A ReplicaSet as the Deployment controller keeps it; not exposed as an object (types.ts has no ReplicaSet). */
export interface ReplicaSetRecord {
  name: string
  hash: string
  /** The template's canonical JSON, to find the ReplicaSet of a template. */
  template: string
  uid: string
}

export class ObjectStore {
  objects = new Map<string, ClusterObject>()
  resourceVersion = 0
  nowMs = CLOCK_START_MS
  watch: WatchEvent[] = []
  records: ClusterEventRecord[] = []
  /** Per Node: the last pod IP handed out (host-local IPAM continues after it). */
  lastPodIP = new Map<string, number>()
  /** Per Deployment key: its ReplicaSets, oldest first. */
  replicaSets = new Map<string, ReplicaSetRecord[]>()
  /** Pods whose readiness probe the user made fail (setPodReady false). */
  readinessFailing = new Set<string>()
  /** Per Node: simulated time its Ready condition went False. */
  nodeNotReadySince = new Map<string, number>()
  kubeProxyConfig: KubeProxyConfiguration

  constructor(readonly seed: number, public rng: SeededRng, kubeProxyConfig: KubeProxyConfiguration) {
    this.kubeProxyConfig = kubeProxyConfig
  }

  clone(): ObjectStore {
    const copy = new ObjectStore(this.seed, this.rng.clone(), this.kubeProxyConfig)
    copy.objects = new Map(this.objects)
    copy.resourceVersion = this.resourceVersion
    copy.nowMs = this.nowMs
    copy.watch = [...this.watch]
    copy.records = [...this.records]
    copy.lastPodIP = new Map(this.lastPodIP)
    copy.replicaSets = new Map([...this.replicaSets].map(([k, v]) => [k, [...v]]))
    copy.readinessFailing = new Set(this.readinessFailing)
    copy.nodeNotReadySince = new Map(this.nodeNotReadySince)
    return copy
  }

  now(): string {
    return rfc3339(this.nowMs)
  }

  get<T extends ClusterObject>(kind: T['kind'], namespace: string | undefined, name: string): T | undefined {
    return this.objects.get(objectKey(kind, namespace, name)) as T | undefined
  }

  /** Objects of one kind (optionally one namespace), ordered by namespace then name. */
  list<T extends ClusterObject>(kind: T['kind'], namespace?: string): T[] {
    const out: T[] = []
    for (const obj of this.objects.values()) {
      if (obj.kind === kind && (namespace === undefined || obj.metadata.namespace === namespace)) out.push(obj as T)
    }
    return out.sort(compareObjects)
  }

  newUid(): string {
    return randomUid(this.rng)
  }

  /** Stores a new object: fills uid, resourceVersion and creationTimestamp unless given. */
  create<T extends ClusterObject>(obj: T): T {
    const stored = {
      ...obj,
      metadata: {
        ...obj.metadata,
        uid: obj.metadata.uid || this.newUid(),
        creationTimestamp: obj.metadata.creationTimestamp || this.now(),
        resourceVersion: String(++this.resourceVersion),
      },
    } as T
    this.objects.set(keyOf(stored), stored)
    this.emit({ type: 'ADDED', kind: stored.kind, object: stored })
    return stored
  }

  /** Replaces an object; returns the old one unchanged (and emits nothing) when nothing differs. */
  update<T extends ClusterObject>(obj: T): T {
    const key = keyOf(obj)
    const old = this.objects.get(key)
    if (!old) return this.create(obj)
    const next = { ...obj, metadata: { ...obj.metadata, uid: old.metadata.uid, creationTimestamp: old.metadata.creationTimestamp, resourceVersion: old.metadata.resourceVersion } } as T
    if (JSON.stringify(next) === JSON.stringify(old)) return old as T
    next.metadata.resourceVersion = String(++this.resourceVersion)
    this.objects.set(key, next)
    this.emit({ type: 'MODIFIED', kind: next.kind, object: next, oldObject: old })
    return next
  }

  remove(obj: ClusterObject): void {
    const key = keyOf(obj)
    const old = this.objects.get(key)
    if (!old) return
    this.objects.delete(key)
    this.resourceVersion++
    this.emit({ type: 'DELETED', kind: old.kind, object: { ...old, metadata: { ...old.metadata, resourceVersion: String(this.resourceVersion) } } as ClusterObject })
  }

  /** A `kubectl get events` record. */
  record(type: 'Normal' | 'Warning', reason: string, object: string, namespace: string | undefined, message: string): void {
    this.records.push({ seq: this.records.length + 1, time: this.now(), type, reason, object, namespace, message })
  }

  private emit(event: Omit<WatchEvent, 'seq'>): void {
    this.watch.push({ seq: this.watch.length + 1, ...event })
  }
}

export function compareObjects(a: ClusterObject, b: ClusterObject): number {
  const na = a.metadata.namespace ?? ''
  const nb = b.metadata.namespace ?? ''
  if (na !== nb) return na < nb ? -1 : 1
  return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0
}
