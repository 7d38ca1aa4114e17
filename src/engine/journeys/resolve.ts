/**
 * From what a learner names ("this Pod", "that Service on port 80", "an outside client") to the packet a
 * journey sends: the source machine and address, the destination address and port, and the Node where
 * the packet first meets netfilter.
 *
 * Outside clients sit on the `kind` Docker network (or behind its gateway). Which Node their packet
 * enters by:
 * - a Node's InternalIP (NodePort): that Node;
 * - a LoadBalancer IP: the Node MetalLB's layer-2 mode elects to answer ARP for it (speaker/
 *   layer2_controller.go ShouldAnnounce): among the Nodes not labelled
 *   `node.kubernetes.io/exclude-from-external-load-balancers` — for externalTrafficPolicy Local only those
 *   with a ready endpoint of the Service — the one whose sha256(nodeName + "#" + ip) sorts first.
 *   (The default cluster's pool is MetalLB-style VIPs on the Docker network; `via` overrides the choice,
 *   e.g. to show a cloud load balancer that sends to any Node.)
 * - anything else needs `via`.
 */
import { sha256 } from '@noble/hashes/sha2.js'
import { utf8ToBytes } from '@noble/hashes/utils.js'
import type { ClusterSnapshot, Node, Pod, Service, ServicePort } from '../cluster/types.ts'
import { internalIP } from '../simulation/wiring.ts'

export type Place =
  | { kind: 'pod'; namespace: string; name: string; node: string; ip: string }
  | { kind: 'node'; name: string; ip: string }
  | { kind: 'client'; ip: string }

export type SourceRef = { pod: string; namespace?: string } | { node: string } | { ip: string }
export type DestRef = { service: string; namespace?: string } | { ip: string }

export interface JourneySpec {
  /** A Pod (`name`, `ns/name`, or a unique prefix of a Pod name), a Node name, or an IP (outside client). */
  from: string | SourceRef
  /** A Service (`name` or `ns/name`) or an IP. */
  to: string | DestRef
  /** The Service's port (or its nodePort from outside), or the port on the IP. */
  port: number
  proto?: 'tcp' | 'udp'
  /** Source port; a fresh one from the packet stream when absent. */
  sport?: number
  /** The Node an outside client's packet enters by (overrides the choice described above). */
  via?: string
  /** `next`: the connection's next packet (TCP: the handshake's ACK) after a first journey with this sport. */
  packet?: 'first' | 'next'
}

export interface ResolvedJourney {
  proto: 'tcp' | 'udp'
  source: Place
  /** The client's address as it sends (a Node's source address is its route's preferred source). */
  src: string
  dst: string
  dport: number
  /** The Service and port when the destination was named as one. */
  service?: { namespace: string; name: string; port: ServicePort; address: 'clusterIP' | 'nodePort' | 'loadBalancer' }
  /** Where the packet meets netfilter first and how it arrives there. */
  entry: { node: string; how: 'from-pod' | 'local' | 'from-outside'; iface?: string; why: string }
}

export class JourneyError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'JourneyError'
  }
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/
export const EXCLUDE_LB_LABEL = 'node.kubernetes.io/exclude-from-external-load-balancers'

function isIPv4(s: string): boolean {
  const m = IPV4.exec(s)
  return !!m && m.slice(1).every((o) => Number(o) <= 255)
}

function podPlace(p: Pod): Place {
  return { kind: 'pod', namespace: p.metadata.namespace ?? 'default', name: p.metadata.name, node: p.spec.nodeName!, ip: p.status.podIP! }
}

function nodePlace(n: Node): Place {
  return { kind: 'node', name: n.metadata.name, ip: internalIP(n) ?? '' }
}

function findPod(snapshot: ClusterSnapshot, name: string, namespace?: string): Pod {
  const pods = snapshot.pods.filter((p) => p.status.podIP && p.spec.nodeName && !p.spec.hostNetwork && (namespace === undefined || (p.metadata.namespace ?? 'default') === namespace))
  const exact = pods.filter((p) => p.metadata.name === name)
  const matches = exact.length > 0 ? exact : pods.filter((p) => p.metadata.name.startsWith(name))
  const label = namespace ? `${namespace}/${name}` : name
  if (matches.length === 1) return matches[0]
  if (matches.length === 0) throw new JourneyError(`unknown source "${label}": no Pod (with an IP) or Node by that name`)
  throw new JourneyError(`source "${label}" is ambiguous: ${matches.map((p) => `${p.metadata.namespace ?? 'default'}/${p.metadata.name}`).join(', ')}`)
}

export function resolveSource(snapshot: ClusterSnapshot, from: JourneySpec['from']): Place {
  const ref: SourceRef = typeof from !== 'string' ? from
    : isIPv4(from) ? { ip: from }
    : from.includes('/') ? { namespace: from.split('/')[0], pod: from.split('/').slice(1).join('/') }
    : snapshot.nodes.some((n) => n.metadata.name === from) ? { node: from } : { pod: from }
  if ('node' in ref) {
    const n = snapshot.nodes.find((x) => x.metadata.name === ref.node)
    if (!n) throw new JourneyError(`unknown source node "${ref.node}"`)
    return nodePlace(n)
  }
  if ('pod' in ref) return podPlace(findPod(snapshot, ref.pod, ref.namespace))
  const ip = ref.ip
  if (!isIPv4(ip)) throw new JourneyError(`invalid source address "${ip}"`)
  const pod = snapshot.pods.find((p) => p.status.podIP === ip && p.spec.nodeName && !p.spec.hostNetwork)
  if (pod) return podPlace(pod)
  const node = snapshot.nodes.find((n) => internalIP(n) === ip)
  if (node) return nodePlace(node)
  return { kind: 'client', ip }
}

function findService(snapshot: ClusterSnapshot, name: string, namespace?: string): Service {
  const all = snapshot.services.filter((s) => s.metadata.name === name && (namespace === undefined || (s.metadata.namespace ?? 'default') === namespace))
  const label = namespace ? `${namespace}/${name}` : name
  if (all.length === 0) throw new JourneyError(`unknown destination "${label}": no Service by that name (or give an IP)`)
  if (all.length > 1) {
    const inDefault = all.find((s) => (s.metadata.namespace ?? 'default') === 'default')
    if (inDefault) return inDefault
    throw new JourneyError(`destination "${label}" is ambiguous: ${all.map((s) => `${s.metadata.namespace}/${s.metadata.name}`).join(', ')}`)
  }
  return all[0]
}

/** The Node MetalLB's layer-2 mode elects for a LoadBalancer IP (see the file comment). */
export function metallbAnnouncer(snapshot: ClusterSnapshot, svc: Service, ip: string): string | undefined {
  let nodes = snapshot.nodes
    .filter((n) => n.metadata.labels?.[EXCLUDE_LB_LABEL] === undefined)
    .map((n) => n.metadata.name)
  if (svc.spec.externalTrafficPolicy === 'Local') {
    const withEndpoint = new Set<string>()
    for (const slice of snapshot.endpointSlices) {
      if (slice.metadata.namespace !== svc.metadata.namespace || slice.metadata.labels?.['kubernetes.io/service-name'] !== svc.metadata.name) continue
      for (const ep of slice.endpoints) if (ep.conditions.ready !== false && ep.nodeName) withEndpoint.add(ep.nodeName)
    }
    nodes = nodes.filter((n) => withEndpoint.has(n))
  }
  const key = (n: string) => sha256(utf8ToBytes(`${n}#${ip}`))
  const cmp = (a: Uint8Array, b: Uint8Array) => { for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i]; return 0 }
  return [...nodes].sort((a, b) => cmp(key(a), key(b)))[0]
}

export function resolveJourney(snapshot: ClusterSnapshot, spec: JourneySpec): ResolvedJourney {
  const proto = spec.proto ?? 'tcp'
  if (proto !== 'tcp' && proto !== 'udp') throw new JourneyError(`unsupported protocol "${String(proto)}": expected tcp or udp`)
  if (!Number.isInteger(spec.port) || spec.port < 1 || spec.port > 65535) throw new JourneyError(`invalid port ${spec.port}: expected 1-65535`)
  const source = resolveSource(snapshot, spec.from)
  const outside = source.kind === 'client'
  const to = spec.to
  const ref: DestRef = typeof to !== 'string' ? to
    : isIPv4(to) ? { ip: to }
    : to.includes('/') ? { namespace: to.split('/')[0], service: to.split('/').slice(1).join('/') } : { service: to }

  let dst: string
  let dport = spec.port
  let service: ResolvedJourney['service']
  if ('service' in ref) {
    const svc = findService(snapshot, ref.service, ref.namespace)
    const label = `${svc.metadata.namespace}/${svc.metadata.name}`
    const wantProto = proto.toUpperCase()
    const ports = svc.spec.ports.filter((p) => p.protocol === wantProto)
    const byPort = ports.find((p) => p.port === spec.port)
    const byNodePort = ports.find((p) => p.nodePort === spec.port)
    const port = byPort ?? byNodePort
    if (!port) throw new JourneyError(`Service ${label} has no ${proto} port ${spec.port} (ports: ${svc.spec.ports.map((p) => `${p.port}/${p.protocol}${p.nodePort ? ` nodePort ${p.nodePort}` : ''}`).join(', ') || 'none'})`)
    const namespace = svc.metadata.namespace ?? 'default'
    const lbIP = svc.status.loadBalancer.ingress?.find((i) => i.ip)?.ip
    if (outside) {
      if (lbIP && byPort) {
        dst = lbIP
        service = { namespace, name: svc.metadata.name, port, address: 'loadBalancer' }
      } else if (port.nodePort) {
        const node = spec.via ?? snapshot.nodes[0]?.metadata.name
        const n = snapshot.nodes.find((x) => x.metadata.name === node)
        if (!n) throw new JourneyError(`unknown node "${node}"`)
        dst = internalIP(n)!
        dport = port.nodePort
        service = { namespace, name: svc.metadata.name, port, address: 'nodePort' }
      } else {
        throw new JourneyError(`Service ${label} (type ${svc.spec.type}) cannot be reached from outside the cluster: it has no nodePort or load-balancer IP`)
      }
    } else {
      const ip = svc.spec.clusterIP
      if (!ip || ip === 'None') throw new JourneyError(`Service ${label} has no cluster IP (headless or ExternalName): kube-proxy writes no rules for it`)
      if (!byPort) throw new JourneyError(`Service ${label} has no ${proto} port ${spec.port} on its cluster IP (nodePort ${spec.port} is for a Node's address)`)
      dst = ip
      service = { namespace, name: svc.metadata.name, port, address: 'clusterIP' }
    }
  } else {
    if (!isIPv4(ref.ip)) throw new JourneyError(`invalid destination address "${ref.ip}"`)
    dst = ref.ip
  }

  let entry: ResolvedJourney['entry']
  if (source.kind === 'pod') {
    entry = { node: source.node, how: 'from-pod', why: `${source.namespace}/${source.name} runs on ${source.node}` }
  } else if (source.kind === 'node') {
    entry = { node: source.name, how: 'local', why: `generated on ${source.name}` }
  } else {
    entry = { node: outsideEntry(snapshot, dst, spec.via), how: 'from-outside', iface: 'eth0', why: '' }
    entry.why = entryReason(snapshot, dst, spec.via, entry.node)
  }
  const r: ResolvedJourney = { proto, source, src: source.ip, dst, dport, entry }
  if (service) r.service = service
  return r
}

function outsideEntry(snapshot: ClusterSnapshot, dst: string, via: string | undefined): string {
  if (via !== undefined) {
    if (!snapshot.nodes.some((n) => n.metadata.name === via)) throw new JourneyError(`unknown node "${via}" (--via)`)
    return via
  }
  const node = snapshot.nodes.find((n) => internalIP(n) === dst)
  if (node) return node.metadata.name
  const svc = snapshot.services.find((s) => s.status.loadBalancer.ingress?.some((i) => i.ip === dst))
  if (svc) {
    const elected = metallbAnnouncer(snapshot, svc, dst)
    if (!elected) throw new JourneyError(`no Node announces ${dst}: MetalLB finds no eligible Node for ${svc.metadata.namespace}/${svc.metadata.name}`)
    return elected
  }
  throw new JourneyError(`an outside client has no way to ${dst}: give a Node's IP (NodePort), a LoadBalancer IP, or the Node to enter by (via)`)
}

function entryReason(snapshot: ClusterSnapshot, dst: string, via: string | undefined, node: string): string {
  if (via !== undefined) return `enters by ${node} (chosen)`
  if (snapshot.nodes.some((n) => internalIP(n) === dst)) return `${dst} is ${node}'s address`
  return `MetalLB (layer 2) elected ${node} to answer ARP for ${dst}`
}
