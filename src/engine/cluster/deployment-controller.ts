/**
 * The Deployment and ReplicaSet controllers folded into one: a Deployment owns one ReplicaSet per Pod
 * template (named `<deployment>-<pod-template-hash>`), the current one is scaled to `spec.replicas` and older
 * ones to zero. Pods are named `<replicaset>-<5 safe chars>`.
 *
 * A template change rolls out with the RollingUpdate strategy's defaults (maxSurge 25%, maxUnavailable 25%).
 */
import type { Deployment, Pod, Toleration } from './types.ts'
import type { ObjectStore, ReplicaSetRecord } from './store.ts'
import { keyOf } from './store.ts'
import { canonicalJson, podTemplateHash, randomSuffix } from './names.ts'
import { selectorMatches } from './labels.ts'
import { beginPodDeletion, isPodReady } from './pod-lifecycle.ts'

export const POD_TEMPLATE_HASH = 'pod-template-hash'

/** Added to every Pod by the DefaultTolerationSeconds admission plugin. */
export const DEFAULT_TOLERATIONS: Toleration[] = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
]

export function withDefaultTolerations(tolerations: Toleration[] | undefined): Toleration[] {
  const list = [...(tolerations ?? [])]
  for (const d of DEFAULT_TOLERATIONS) {
    if (!list.some((t) => t.key === d.key && (t.effect === d.effect || t.effect === undefined))) list.push(d)
  }
  return list
}

export function runDeploymentController(store: ObjectStore): void {
  for (const dep of store.list<Deployment>('Deployment')) reconcileDeployment(store, dep)
}

/**
 * The Pods a Deployment owns: those whose controller is one of its ReplicaSets (ownerReferences decide, as in
 * Kubernetes, so two Deployments with overlapping selectors or equal templates never share Pods).
 */
export function ownedPods(store: ObjectStore, dep: Deployment): Pod[] {
  const names = new Set((store.replicaSets.get(keyOf(dep)) ?? []).map((rs) => rs.name))
  return store.list<Pod>('Pod', dep.metadata.namespace).filter((p) => {
    const owner = controllerOf(p)
    return owner?.kind === 'ReplicaSet' && names.has(owner.name)
  })
}

function controllerOf(pod: Pod) {
  return pod.metadata.ownerReferences?.find((o) => o.controller)
}

function currentReplicaSet(store: ObjectStore, dep: Deployment): ReplicaSetRecord {
  const key = keyOf(dep)
  const list = store.replicaSets.get(key) ?? []
  const template = canonicalJson(dep.spec.template)
  const found = list.find((rs) => rs.template === template)
  if (found) return found
  // A Deployment imported with its Pods (a `kubectl get -o yaml` List) adopts their ReplicaSet's hash.
  const orphanHash = list.length === 0 ? adoptableHash(store, dep) : undefined
  const hash = orphanHash ?? podTemplateHash(dep.spec.template, store.seed)
  const rs: ReplicaSetRecord = { name: `${dep.metadata.name}-${hash}`, hash, template, uid: store.newUid() }
  store.replicaSets.set(key, [...list.filter((r) => r.hash !== hash), rs])
  return rs
}

/** The hash of the ReplicaSet named `<deployment>-<hash>` that owns existing Pods (imported with a List). */
function adoptableHash(store: ObjectStore, dep: Deployment): string | undefined {
  const prefix = `${dep.metadata.name}-`
  const hashes = store.list<Pod>('Pod', dep.metadata.namespace)
    .filter((p) => selectorMatches(dep.spec.selector, p.metadata.labels ?? {}))
    .map((p) => ({ owner: controllerOf(p)?.name ?? '', hash: p.metadata.labels?.[POD_TEMPLATE_HASH] ?? '' }))
    .filter(({ owner, hash }) => hash !== '' && owner === `${prefix}${hash}`)
    .map(({ hash }) => hash)
  return hashes.length > 0 && hashes.every((h) => h === hashes[0]) ? hashes[0] : undefined
}

function reconcileDeployment(store: ObjectStore, dep: Deployment): void {
  const rs = currentReplicaSet(store, dep)
  const live = ownedPods(store, dep).filter((p) => !p.metadata.deletionTimestamp)
  const current = live.filter((p) => p.metadata.labels?.[POD_TEMPLATE_HASH] === rs.hash)
  const old = live.filter((p) => p.metadata.labels?.[POD_TEMPLATE_HASH] !== rs.hash)
  const want = dep.spec.replicas

  if (old.length === 0 || current.length > want) scaleReplicaSet(store, dep, rs.name, current, want)
  else rollingUpdateStep(store, dep, rs, current, old)
  updateStatus(store, dep)
}

/**
 * One step of the RollingUpdate strategy with its defaults (maxSurge 25% rounded up, maxUnavailable 25% rounded
 * down, at least one of them non-zero): scale the new ReplicaSet up as far as the surge allows, then scale the
 * old ones down as far as availability allows. The controllers run again until the rollout settles; a new Pod
 * that never becomes ready stalls it, as in Kubernetes.
 */
function rollingUpdateStep(store: ObjectStore, dep: Deployment, rs: ReplicaSetRecord, current: Pod[], old: Pod[]): void {
  const want = dep.spec.replicas
  const maxSurge = Math.ceil(want * 0.25)
  const maxUnavailable = maxSurge === 0 && Math.floor(want * 0.25) === 0 ? 1 : Math.floor(want * 0.25)

  const total = current.length + old.length
  if (current.length < want && total < want + maxSurge) {
    const target = Math.min(want, current.length + (want + maxSurge - total))
    scaleReplicaSet(store, dep, rs.name, current, target)
    return
  }
  // reconcileOldReplicaSets: keep want - maxUnavailable available, counting new Pods that are not yet available.
  const newUnavailable = current.filter((p) => !isAvailable(p)).length
  const maxScaledDown = total - (want - maxUnavailable) - newUnavailable
  if (maxScaledDown <= 0) return
  const victims = rankForDeletion(old).slice(0, maxScaledDown)
  const byHash = new Map<string, Pod[]>()
  for (const p of old) {
    const h = p.metadata.labels?.[POD_TEMPLATE_HASH] ?? ''
    byHash.set(h, [...(byHash.get(h) ?? []), p])
  }
  for (const [hash, pods] of byHash) {
    const going = victims.filter((v) => pods.includes(v))
    if (going.length > 0) scaleReplicaSet(store, dep, `${dep.metadata.name}-${hash}`, pods, pods.length - going.length, going)
  }
}

function isAvailable(pod: Pod): boolean {
  return pod.status.phase === 'Running' && isPodReady(pod)
}

/** Scales one ReplicaSet's Pods to `target`: creates Pods or terminates `victims` (default: ranked for deletion). */
function scaleReplicaSet(store: ObjectStore, dep: Deployment, rsName: string, pods: Pod[], target: number, victims?: Pod[]): void {
  const ns = dep.metadata.namespace
  if (pods.length === target) return
  const direction = pods.length < target ? 'up' : 'down'
  store.record('Normal', 'ScalingReplicaSet', `deployment/${dep.metadata.name}`, ns, `Scaled ${direction} replica set ${rsName} from ${pods.length} to ${target}`)
  if (direction === 'up') {
    const rs = (store.replicaSets.get(keyOf(dep)) ?? []).find((r) => r.name === rsName)
    if (rs) for (let i = pods.length; i < target; i++) createPod(store, dep, rs)
    return
  }
  for (const pod of victims ?? rankForDeletion(pods).slice(0, pods.length - target)) {
    store.record('Normal', 'SuccessfulDelete', `replicaset/${rsName}`, ns, `Deleted pod: ${pod.metadata.name}`)
    beginPodDeletion(store, pod)
  }
}

function createPod(store: ObjectStore, dep: Deployment, rs: ReplicaSetRecord): void {
  const ns = dep.metadata.namespace
  let name = `${rs.name}-${randomSuffix(store.rng)}`
  while (store.get('Pod', ns, name)) name = `${rs.name}-${randomSuffix(store.rng)}`
  const t = dep.spec.template
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: ns,
      generateName: `${rs.name}-`,
      uid: '',
      resourceVersion: '',
      creationTimestamp: '',
      labels: { ...(t.metadata.labels ?? {}), [POD_TEMPLATE_HASH]: rs.hash },
      ...(t.metadata.annotations ? { annotations: { ...t.metadata.annotations } } : {}),
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.name, uid: rs.uid, controller: true }],
    },
    spec: {
      ...t.spec,
      terminationGracePeriodSeconds: t.spec.terminationGracePeriodSeconds ?? 30,
      tolerations: withDefaultTolerations(t.spec.tolerations),
    },
    status: { phase: 'Pending' },
  }
  store.create(pod)
  store.record('Normal', 'SuccessfulCreate', `replicaset/${rs.name}`, ns, `Created pod: ${name}`)
}

/**
 * Which Pods go first on scale-down (the ReplicaSet controller's ActivePods ranking, simplified):
 * unscheduled before scheduled, pending before running, not ready before ready, newer before older.
 */
export function rankForDeletion(pods: Pod[]): Pod[] {
  const score = (p: Pod) => [
    p.spec.nodeName ? 1 : 0,
    p.status.phase === 'Running' ? 1 : 0,
    isPodReady(p) ? 1 : 0,
  ]
  return [...pods].sort((a, b) => {
    const sa = score(a)
    const sb = score(b)
    for (let i = 0; i < sa.length; i++) if (sa[i] !== sb[i]) return sa[i] - sb[i]
    const ta = Number(a.metadata.resourceVersion)
    const tb = Number(b.metadata.resourceVersion)
    const ca = a.metadata.creationTimestamp
    const cb = b.metadata.creationTimestamp
    if (ca !== cb) return ca > cb ? -1 : 1
    return tb - ta || (a.metadata.name < b.metadata.name ? 1 : -1)
  })
}

function updateStatus(store: ObjectStore, dep: Deployment): void {
  const pods = ownedPods(store, dep).filter((p) => !p.metadata.deletionTimestamp)
  const ready = pods.filter(isPodReady).length
  const status = { replicas: pods.length, readyReplicas: ready, availableReplicas: ready }
  const latest = store.get<Deployment>('Deployment', dep.metadata.namespace, dep.metadata.name)
  if (latest && JSON.stringify(latest.status) !== JSON.stringify(status)) store.update<Deployment>({ ...latest, status })
}
