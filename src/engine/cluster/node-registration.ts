/**
 * A Node joining (or a Node manifest updating one): the kubelet's standard labels, an InternalIP from the
 * kind Docker network when the manifest gives none, a podCIDR from the node-ipam controller, Ready.
 */
import { deepCopy } from './deep-copy.ts'
import type { Node, NodeCondition } from './types.ts'
import type { ObjectStore } from './store.ts'
import type { FieldError } from './validation/field-error.ts'
import { invalid } from './validation/field-error.ts'
import { allocateNodeIP, allocatePodCIDR } from './ip-allocator.ts'
import { ipv4Range } from '../net/ipv4.ts'
import { nodeInternalIP } from './pod-lifecycle.ts'

export type NodeResult = { ok: true; node: Node } | { ok: false; errors: FieldError[] }

export const READY_CONDITION: NodeCondition = { type: 'Ready', status: 'True', reason: 'KubeletReady' }

export function prepareNode(store: ObjectStore, input: Node, existing: Node | undefined): NodeResult {
  const node: Node = deepCopy(input)
  const name = node.metadata.name
  const errors: FieldError[] = []
  const others = store.list<Node>('Node').filter((n) => n.metadata.name !== name)

  node.metadata.labels = {
    'beta.kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/hostname': name,
    'kubernetes.io/os': 'linux',
    ...(existing?.metadata.labels ?? {}),
    ...(node.metadata.labels ?? {}),
  }
  if (existing?.metadata.annotations && !node.metadata.annotations) node.metadata.annotations = existing.metadata.annotations

  // Addresses: the manifest's, else the ones the Node had, else a new one on the kind network.
  if (node.status.addresses.length === 0) {
    if (existing) node.status.addresses = existing.status.addresses
    else {
      const used = new Set(others.map(nodeInternalIP).filter((ip): ip is string => !!ip))
      const ip = allocateNodeIP(used)
      if (ip) node.status.addresses = [{ type: 'InternalIP', address: ip }, { type: 'Hostname', address: name }]
    }
  }
  const ip = nodeInternalIP(node)
  const ipOwner = ip ? others.find((n) => nodeInternalIP(n) === ip) : undefined
  if (ipOwner) {
    const i = node.status.addresses.findIndex((a) => a.type === 'InternalIP')
    errors.push(invalid(['status', 'addresses', i, 'address'], ip, `address already in use by Node "${ipOwner.metadata.name}"`))
  }

  // podCIDR: once set it stays (the API server forbids changing it).
  if (existing?.spec.podCIDR && node.spec.podCIDR && node.spec.podCIDR !== existing.spec.podCIDR) {
    errors.push(invalid(['spec', 'podCIDR'], node.spec.podCIDR, 'node updates may not change podCIDR except from "" to valid'))
  }
  if (!node.spec.podCIDR) {
    const cidr = existing?.spec.podCIDR ?? allocatePodCIDR(store.kubeProxyConfig.clusterCIDR.split(',')[0], others.flatMap((n) => n.spec.podCIDRs ?? []))
    if (cidr) { node.spec.podCIDR = cidr; node.spec.podCIDRs = [cidr] }
  } else {
    const mine = ipv4Range(node.spec.podCIDR)
    const overlap = others.find((n) => (n.spec.podCIDRs ?? []).some((c) => {
      const r = ipv4Range(c)
      return r && mine && mine.base < r.base + r.size && r.base < mine.base + mine.size
    }))
    if (overlap) errors.push(invalid(['spec', 'podCIDR'], node.spec.podCIDR, `overlaps with the podCIDR of Node "${overlap.metadata.name}"`))
  }

  // A cordon (kubectl cordon) is not undone by applying a manifest that does not mention it.
  if (existing?.spec.unschedulable && !node.spec.unschedulable) node.spec.unschedulable = true
  if (node.status.conditions.length === 0) node.status.conditions = existing ? existing.status.conditions : [READY_CONDITION]
  if (existing && !node.spec.taints && existing.spec.taints) {
    // Taints the node lifecycle controller added stay (a stopped Node stays unreachable).
    const managed = existing.spec.taints.filter((t) => t.key.startsWith('node.kubernetes.io/'))
    if (managed.length > 0) node.spec.taints = managed
  }
  if (errors.length > 0) return { ok: false, errors }
  if (!existing) store.record('Normal', 'RegisteredNode', `node/${name}`, undefined, `Node ${name} event: Registered Node ${name} in Controller`)
  return { ok: true, node }
}
