/**
 * What happens to a Pod after it is created: the scheduler binds it, the kubelet starts it (IP from the
 * Node's podCIDR via host-local IPAM, containers started, Ready), the node lifecycle controller marks it not
 * ready when its Node stops, and a deletion runs through the grace period before the Pod is gone.
 */
import type { Node, Pod, PodCondition } from './types.ts'
import type { ObjectStore } from './store.ts'
import { keyOf, rfc3339 } from './store.ts'
import { isNodeReady, podsPerNode, schedulePod, tolerates } from './scheduler.ts'
import { allocatePodIP } from './ip-allocator.ts'
import { formatIPv4 } from '../net/ipv4.ts'

export const DEFAULT_GRACE_SECONDS = 30

export function nodeInternalIP(node: Node): string | undefined {
  return node.status.addresses.find((a) => a.type === 'InternalIP')?.address
}

/** Binds Pending Pods without a Node. Returns whether anything changed. */
export function runScheduler(store: ObjectStore): void {
  const nodes = store.list<Node>('Node')
  const pods = store.list<Pod>('Pod')
  const load = podsPerNode(pods)
  // kube-scheduler reports each distinct failure once (repeats are aggregated into the same event).
  const reported = new Set(store.records.filter((r) => r.reason === 'FailedScheduling').map((r) => `${r.namespace}/${r.object}/${r.message}`))
  for (const pod of pods) {
    if (pod.spec.nodeName || pod.metadata.deletionTimestamp) continue
    const result = schedulePod(pod, nodes, load)
    const ref = `pod/${pod.metadata.name}`
    if (!result.ok) {
      const key = `${pod.metadata.namespace}/${ref}/${result.message}`
      if (!reported.has(key)) {
        reported.add(key)
        store.record('Warning', 'FailedScheduling', ref, pod.metadata.namespace, result.message)
      }
      continue
    }
    load.set(result.node, (load.get(result.node) ?? 0) + 1)
    store.update<Pod>({
      ...pod,
      spec: { ...pod.spec, nodeName: result.node },
      status: { ...pod.status, conditions: setCondition(pod.status.conditions, 'PodScheduled', true) },
    })
    store.record('Normal', 'Scheduled', ref, pod.metadata.namespace, `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${result.node}`)
  }
}

/** The kubelet on each Ready Node starts Pods bound to it and keeps their Ready condition current. */
export function runKubelets(store: ObjectStore): void {
  const nodes = new Map(store.list<Node>('Node').map((n) => [n.metadata.name, n]))
  const pods = store.list<Pod>('Pod')
  // Addresses in use on the pod network (host-network Pods use their Node's address).
  const usedIPs = new Set(pods.filter((p) => p.status.podIP && !p.spec.hostNetwork).map((p) => p.status.podIP as string))
  for (const pod of pods) {
    const node = pod.spec.nodeName ? nodes.get(pod.spec.nodeName) : undefined
    if (!node) continue
    if (pod.status.phase === 'Pending' && !pod.metadata.deletionTimestamp && isNodeReady(node)) startPod(store, pod, node, usedIPs)
    else syncReadiness(store, pod, node)
  }
}

function startPod(store: ObjectStore, pod: Pod, node: Node, usedIPs: Set<string>): void {
  const hostIP = nodeInternalIP(node)
  let podIP = pod.status.podIP
  if (!podIP) {
    podIP = pod.spec.hostNetwork ? hostIP : allocateIPOnNode(store, node, usedIPs)
    if (!podIP) {
      const ref = `pod/${pod.metadata.name}`
      const message = `Failed to create pod sandbox: plugin type="ptp" failed (add): failed to allocate for range 0: no IP addresses available in range set: ${node.spec.podCIDR ?? '<none>'}`
      if (!store.records.some((r) => r.object === ref && r.namespace === pod.metadata.namespace && r.message === message)) {
        store.record('Warning', 'FailedCreatePodSandBox', ref, pod.metadata.namespace, message)
      }
      return
    }
  }
  const ready = desiredReady(store, pod, node)
  const conditions = (['Initialized', 'Ready', 'ContainersReady', 'PodScheduled'] as const).map((type) => ({ type, status: (type === 'Ready' || type === 'ContainersReady') && !ready ? 'False' as const : 'True' as const }))
  store.update<Pod>({
    ...pod,
    status: { ...pod.status, phase: 'Running', conditions, podIP, podIPs: [{ ip: podIP }], ...(hostIP ? { hostIP } : {}) },
  })
  const ref = `pod/${pod.metadata.name}`
  for (const c of pod.spec.containers) {
    store.record('Normal', 'Pulled', ref, pod.metadata.namespace, `Container image "${c.image}" already present on machine`)
    store.record('Normal', 'Created', ref, pod.metadata.namespace, `Created container: ${c.name}`)
    store.record('Normal', 'Started', ref, pod.metadata.namespace, `Started container ${c.name}`)
  }
}

/** host-local IPAM on the Node: the address after the last one handed out there. */
function allocateIPOnNode(store: ObjectStore, node: Node, usedIPs: Set<string>): string | undefined {
  const cidr = node.spec.podCIDR
  if (!cidr) return undefined
  const n = allocatePodIP(cidr, store.lastPodIP.get(node.metadata.name), usedIPs)
  if (n === undefined) return undefined
  store.lastPodIP.set(node.metadata.name, n)
  const ip = formatIPv4(n)
  usedIPs.add(ip)
  return ip
}

/** Ready when its Node is Ready and the user has not made its readiness probe fail. */
function desiredReady(store: ObjectStore, pod: Pod, node: Node): boolean {
  return isNodeReady(node) && !store.readinessFailing.has(keyOf(pod))
}

function syncReadiness(store: ObjectStore, pod: Pod, node: Node): void {
  if (pod.status.phase !== 'Running') return
  const ready = desiredReady(store, pod, node)
  const current = pod.status.conditions?.find((c) => c.type === 'Ready')?.status === 'True'
  if (ready === current) return
  let conditions = setCondition(pod.status.conditions, 'Ready', ready)
  conditions = setCondition(conditions, 'ContainersReady', ready)
  store.update<Pod>({ ...pod, status: { ...pod.status, conditions } })
  if (!ready && isNodeReady(node)) {
    const c = pod.spec.containers[0]
    store.record('Warning', 'Unhealthy', `pod/${pod.metadata.name}`, pod.metadata.namespace, `Readiness probe failed: container ${c?.name ?? ''} is not ready`)
  }
}

export function setCondition(conditions: PodCondition[] | undefined, type: PodCondition['type'], value: boolean): PodCondition[] {
  const status = value ? 'True' as const : 'False' as const
  const list = [...(conditions ?? [])]
  const i = list.findIndex((c) => c.type === type)
  if (i >= 0) list[i] = { ...list[i], status }
  else list.push({ type, status })
  return list
}

export function isPodReady(pod: Pod): boolean {
  return pod.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false
}

/**
 * Graceful deletion: the Pod gets a deletionTimestamp (now + grace period) and its containers are told to stop;
 * it disappears when the clock passes that instant. A grace period of 0 removes it at once.
 */
export function beginPodDeletion(store: ObjectStore, pod: Pod, reason = 'Killing'): void {
  if (pod.metadata.deletionTimestamp) return
  const grace = pod.spec.terminationGracePeriodSeconds ?? DEFAULT_GRACE_SECONDS
  const running = pod.status.phase === 'Running'
  if (grace === 0 || !running) {
    store.remove(pod)
    return
  }
  store.update<Pod>({ ...pod, metadata: { ...pod.metadata, deletionTimestamp: rfc3339(store.nowMs + grace * 1000) } })
  for (const c of pod.spec.containers) {
    store.record('Normal', reason, `pod/${pod.metadata.name}`, pod.metadata.namespace, `Stopping container ${c.name}`)
  }
}

/** Removes Pods whose grace period has run out. */
export function finishTerminations(store: ObjectStore): void {
  const nodes = new Map(store.list<Node>('Node').map((n) => [n.metadata.name, n]))
  for (const pod of store.list<Pod>('Pod')) {
    const ts = pod.metadata.deletionTimestamp
    // A stopped Node's kubelet cannot confirm the containers stopped: the Pod stays Terminating, as in k8s.
    const node = pod.spec.nodeName ? nodes.get(pod.spec.nodeName) : undefined
    if (node && !isNodeReady(node)) continue
    if (ts && Date.parse(ts) <= store.nowMs) store.remove(pod)
  }
}

/**
 * The taint manager: Pods on a Node with a NoExecute taint they do not tolerate (or tolerate only for
 * tolerationSeconds, now past) are evicted.
 */
export function runTaintEviction(store: ObjectStore): void {
  const nodes = new Map(store.list<Node>('Node').map((n) => [n.metadata.name, n]))
  for (const pod of store.list<Pod>('Pod')) {
    const node = pod.spec.nodeName ? nodes.get(pod.spec.nodeName) : undefined
    if (!node || pod.metadata.deletionTimestamp) continue
    for (const taint of node.spec.taints ?? []) {
      if (taint.effect !== 'NoExecute') continue
      const tol = (pod.spec.tolerations ?? []).filter((t) => tolerates([t], taint))
      const forever = tol.some((t) => t.tolerationSeconds === undefined)
      if (forever) continue
      const seconds = tol.length > 0 ? Math.min(...tol.map((t) => t.tolerationSeconds ?? 0)) : 0
      const added = taint.timeAdded ? Date.parse(taint.timeAdded) : store.nowMs
      if (store.nowMs >= added + seconds * 1000) {
        store.record('Normal', 'TaintManagerEviction', `pod/${pod.metadata.name}`, pod.metadata.namespace, `Marking for deletion Pod ${pod.metadata.namespace}/${pod.metadata.name}`)
        beginPodDeletion(store, pod)
        break
      }
    }
  }
}
