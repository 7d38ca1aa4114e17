/**
 * The Deployment and ReplicaSet controllers folded into one: a Deployment owns one ReplicaSet per Pod
 * template (named `<deployment>-<pod-template-hash>`), the current one is scaled to `spec.replicas` and older
 * ones to zero. Pods are named `<replicaset>-<5 safe chars>`.
 *
 * Simplification: a template change replaces all Pods in one step (new Pods created, old ones terminated)
 * instead of stepping by maxSurge/maxUnavailable; the end state and the events' wording are Kubernetes'.
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
  const ns = dep.metadata.namespace
  const live = ownedPods(store, dep).filter((p) => !p.metadata.deletionTimestamp)
  const current = live.filter((p) => p.metadata.labels?.[POD_TEMPLATE_HASH] === rs.hash)
  const old = live.filter((p) => p.metadata.labels?.[POD_TEMPLATE_HASH] !== rs.hash)
  const want = dep.spec.replicas

  if (current.length < want) {
    store.record('Normal', 'ScalingReplicaSet', `deployment/${dep.metadata.name}`, ns, `Scaled up replica set ${rs.name} from ${current.length} to ${want}`)
    for (let i = current.length; i < want; i++) createPod(store, dep, rs)
  } else if (current.length > want) {
    store.record('Normal', 'ScalingReplicaSet', `deployment/${dep.metadata.name}`, ns, `Scaled down replica set ${rs.name} from ${current.length} to ${want}`)
    for (const pod of rankForDeletion(current).slice(0, current.length - want)) {
      store.record('Normal', 'SuccessfulDelete', `replicaset/${rs.name}`, ns, `Deleted pod: ${pod.metadata.name}`)
      beginPodDeletion(store, pod)
    }
  }
  // Older ReplicaSets go to zero once the new one is up (every new Pod starts at once here).
  const oldByHash = new Map<string, Pod[]>()
  for (const p of old) {
    const h = p.metadata.labels?.[POD_TEMPLATE_HASH] ?? ''
    oldByHash.set(h, [...(oldByHash.get(h) ?? []), p])
  }
  for (const [hash, pods] of oldByHash) {
    const name = `${dep.metadata.name}-${hash}`
    store.record('Normal', 'ScalingReplicaSet', `deployment/${dep.metadata.name}`, ns, `Scaled down replica set ${name} from ${pods.length} to 0`)
    for (const pod of pods) {
      store.record('Normal', 'SuccessfulDelete', `replicaset/${name}`, ns, `Deleted pod: ${pod.metadata.name}`)
      beginPodDeletion(store, pod)
    }
  }
  updateStatus(store, dep)
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
