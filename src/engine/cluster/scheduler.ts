/**
 * The scheduler's decision for one Pod: filter Nodes (Ready, schedulable, taints tolerated, nodeSelector),
 * then score by load (fewest Pods first, as the default spreading and least-allocated scores favour) with a
 * deterministic tie-break by Node name. The message of a failure is worded as kube-scheduler words it.
 */
import type { Node, Pod, Taint, Toleration } from './types.ts'

/** The kubelet's default --max-pods, which every Node reports as its pod capacity. */
export const MAX_PODS_PER_NODE = 110

export type ScheduleResult = { ok: true; node: string } | { ok: false; message: string }

export function tolerates(tolerations: readonly Toleration[] | undefined, taint: Taint): boolean {
  return (tolerations ?? []).some((t) => {
    if (t.effect && t.effect !== taint.effect) return false
    if (!t.key) return t.operator === 'Exists'
    if (t.key !== taint.key) return false
    if (t.operator === 'Exists') return true
    return (t.value ?? '') === (taint.value ?? '')
  })
}

export function isNodeReady(node: Node): boolean {
  return node.status.conditions.some((c) => c.type === 'Ready' && c.status === 'True')
}

/** Taints the scheduler treats as present: the Node's own, plus those the node lifecycle controller implies. */
function effectiveTaints(node: Node): Taint[] {
  const taints = [...(node.spec.taints ?? [])]
  if (node.spec.unschedulable && !taints.some((t) => t.key === 'node.kubernetes.io/unschedulable')) {
    taints.push({ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' })
  }
  if (!isNodeReady(node) && !taints.some((t) => t.key === 'node.kubernetes.io/not-ready' || t.key === 'node.kubernetes.io/unreachable')) {
    taints.push({ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' })
  }
  return taints
}

function formatTaint(t: Taint): string {
  return `{${t.key}: ${t.value ?? ''}}`
}

/** Pods (not terminating) per Node name: the load the scheduler balances. */
export function podsPerNode(pods: readonly Pod[]): Map<string, number> {
  const load = new Map<string, number>()
  for (const p of pods) {
    if (p.spec.nodeName && !p.metadata.deletionTimestamp) load.set(p.spec.nodeName, (load.get(p.spec.nodeName) ?? 0) + 1)
  }
  return load
}

export function schedulePod(pod: Pod, nodes: readonly Node[], load: ReadonlyMap<string, number>): ScheduleResult {
  const reasons = new Map<string, number>()
  const fits: Node[] = []
  for (const node of nodes) {
    const reason = (load.get(node.metadata.name) ?? 0) >= MAX_PODS_PER_NODE ? 'Too many pods' : filterNode(pod, node)
    if (reason) reasons.set(reason, (reasons.get(reason) ?? 0) + 1)
    else fits.push(node)
  }
  if (fits.length === 0) {
    // FitError.Error(): "<count> <reason>" strings, sorted as strings.
    const parts = [...reasons].map(([r, n]) => `${n} ${r}`).sort()
    const detail = parts.length > 0 ? `: ${parts.join(', ')}` : ''
    return {
      ok: false,
      message: `0/${nodes.length} nodes are available${detail}. preemption: 0/${nodes.length} nodes are available: ${nodes.length} Preemption is not helpful for scheduling.`,
    }
  }
  const ranked = fits
    .map((node) => ({ node, load: load.get(node.metadata.name) ?? 0 }))
    .sort((a, b) => a.load - b.load || (a.node.metadata.name < b.node.metadata.name ? -1 : 1))
  return { ok: true, node: ranked[0].node.metadata.name }
}

/** Why a Node cannot take the Pod (kube-scheduler's wording), or undefined when it can. */
function filterNode(pod: Pod, node: Node): string | undefined {
  if (node.spec.unschedulable && !tolerates(pod.spec.tolerations, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' })) {
    return 'node(s) were unschedulable'
  }
  const labels = node.metadata.labels ?? {}
  for (const [k, v] of Object.entries(pod.spec.nodeSelector ?? {})) {
    if (labels[k] !== v) return "node(s) didn't match Pod's node affinity/selector"
  }
  for (const taint of effectiveTaints(node)) {
    if (taint.effect === 'PreferNoSchedule') continue
    if (taint.key === 'node.kubernetes.io/unschedulable') continue
    if (!tolerates(pod.spec.tolerations, taint)) return `node(s) had untolerated taint ${formatTaint(taint)}`
  }
  return undefined
}
