/**
 * How a kind node's network is wired, as a pure description derived from the cluster snapshot:
 *
 * - eth0 with the Node's InternalIP (172.18.0.x/16) on the `kind` Docker bridge network, default route via
 *   the bridge's gateway 172.18.0.1;
 * - one veth per Pod on the Node, as kindnet's CNI config (the `ptp` plugin with host-local IPAM) makes it:
 *   the host side carries the pod subnet's gateway address with /32 (`10.244.1.1/32`, the same on every
 *   veth of the node) and a host route to the Pod (`10.244.1.2 dev vethXXXXXXXX scope host`);
 * - a route to every other Node's podCIDR via that Node's InternalIP (kindnetd: `10.244.2.0/24 via
 *   172.18.0.4 dev eth0`).
 *
 * Real CNI names the host side `veth` + 8 random hex digits; we derive the 8 digits from a hash of the
 * Pod's namespace/name so a simulation is repeatable.
 */
import { sha256 } from '@noble/hashes/sha2.js'
import { utf8ToBytes } from '@noble/hashes/utils.js'
import type { ClusterSnapshot, Node, Pod } from '../cluster/types.ts'

/** The `kind` Docker network's gateway (the Docker host on the bridge). */
export const BRIDGE_GATEWAY = '172.18.0.1'
export const BRIDGE_PREFIX = 16

export interface PodLink {
  /** `namespace/name` */
  pod: string
  namespace: string
  name: string
  ip: string
  veth: string
}

export interface NodeWiring {
  node: string
  ip: string
  /** The podCIDR's gateway address the ptp plugin puts on every host-side veth (`10.244.1.1`). */
  gatewayIP?: string
  pods: PodLink[]
  /** Other Nodes' pod CIDRs and the InternalIP to reach them by. */
  podRoutes: { cidr: string; via: string; node: string }[]
}

export function internalIP(node: Node): string | undefined {
  return node.status.addresses.find((a) => a.type === 'InternalIP')?.address
}

export function podCIDROf(node: Node): string | undefined {
  return node.spec.podCIDRs?.[0] ?? node.spec.podCIDR
}

/** `veth` + the first 8 hex digits of sha256("namespace/name"). */
export function vethName(namespace: string, name: string): string {
  const digest = sha256(utf8ToBytes(`${namespace}/${name}`))
  return 'veth' + Array.from(digest.slice(0, 4), (b) => b.toString(16).padStart(2, '0')).join('')
}

/** A Pod has its own network namespace and veth once it has a Pod IP and is not on the host network. */
export function hasPodNetwork(pod: Pod): boolean {
  return !!pod.status.podIP && !!pod.spec.nodeName && !pod.spec.hostNetwork
}

/** The first usable address of a /24 (host-local IPAM's default gateway, which ptp puts on the veths). */
function gatewayOf(cidr: string): string {
  const [addr] = cidr.split('/')
  const parts = addr.split('.').map(Number)
  parts[3] += 1
  return parts.join('.')
}

export function nodeWiring(snapshot: ClusterSnapshot, nodeName: string): NodeWiring {
  const node = snapshot.nodes.find((n) => n.metadata.name === nodeName)
  if (!node) throw new Error(`no Node ${nodeName}`)
  const ip = internalIP(node)
  if (!ip) throw new Error(`Node ${nodeName} has no InternalIP`)
  const cidr = podCIDROf(node)
  const pods = snapshot.pods
    .filter((p) => p.spec.nodeName === nodeName && hasPodNetwork(p))
    .map((p) => {
      const namespace = p.metadata.namespace ?? 'default'
      return { pod: `${namespace}/${p.metadata.name}`, namespace, name: p.metadata.name, ip: p.status.podIP!, veth: vethName(namespace, p.metadata.name) }
    })
  const podRoutes: NodeWiring['podRoutes'] = []
  for (const other of snapshot.nodes) {
    if (other.metadata.name === nodeName) continue
    const c = podCIDROf(other)
    const via = internalIP(other)
    if (c && via) podRoutes.push({ cidr: c, via, node: other.metadata.name })
  }
  const w: NodeWiring = { node: nodeName, ip, pods, podRoutes }
  if (cidr) w.gatewayIP = gatewayOf(cidr)
  return w
}
