/**
 * Address and port allocation as the Kubernetes components do it:
 * - Service cluster IPs: random (seeded) within a ServiceCIDR, preferring the upper band so the lower band
 *   stays free for static choices (KEP-3070: offset = min(max(16, size/16), 256)).
 * - Node ports: random in 30000-32767, preferring the upper band (KEP-3668: offset = min(max(16, size/32), 128)).
 * - Pod IPs: the CNI's host-local IPAM, which hands out the address after the last one it gave (skipping the
 *   network address and the gateway .1), wrapping round to reuse freed ones.
 * - LoadBalancer ingress: the lowest free address of a MetalLB-style pool (172.18.255.200-250, the pool kind's
 *   documentation uses on the kind Docker network).
 * - Node InternalIPs: the lowest free address on the kind Docker network from 172.18.0.2 (Docker's IPAM), and
 *   pod CIDRs: the next free /24 of the cluster CIDR (the node-ipam controller's CIDR set).
 */
import type { Rng } from '../random.ts'
import { formatIPv4, ipv4Range, ipv4ToInt, rangeContains } from '../net/ipv4.ts'
import type { IPv4Range } from '../net/ipv4.ts'

export const NODE_PORT_MIN = 30000
export const NODE_PORT_MAX = 32767
export const LOAD_BALANCER_POOL = { first: '172.18.255.200', last: '172.18.255.250' }
export const NODE_NETWORK = '172.18.0.0/16'

/** A random free value in [lo, hi) scanning forward from a random start (as the bitmap allocator does). */
function randomFree(lo: number, hi: number, used: (n: number) => boolean, rng: Rng): number | undefined {
  const size = hi - lo
  if (size <= 0) return undefined
  const start = rng.int(size)
  for (let i = 0; i < size; i++) {
    const n = lo + ((start + i) % size)
    if (!used(n)) return n
  }
  return undefined
}

/** Upper band first, then the lower band. `first`/`count` describe the allocatable values. */
function allocateBanded(first: number, count: number, offset: number, used: (n: number) => boolean, rng: Rng): number | undefined {
  return randomFree(first + offset, first + count, used, rng) ?? randomFree(first, first + offset, used, rng)
}

/** A free cluster IP in one of the ranges (in order), or undefined when all are full. */
export function allocateClusterIP(ranges: IPv4Range[], usedIPs: ReadonlySet<string>, rng: Rng): string | undefined {
  for (const range of ranges) {
    // The network and broadcast addresses are never handed out.
    const first = range.base + (range.size > 2 ? 1 : 0)
    const count = range.size > 2 ? range.size - 2 : range.size
    const offset = Math.min(Math.max(16, Math.floor(count / 16)), 256)
    const n = allocateBanded(first, count, Math.min(offset, count), (x) => usedIPs.has(formatIPv4(x)), rng)
    if (n !== undefined) return formatIPv4(n)
  }
  return undefined
}

export function allocateNodePort(usedPorts: ReadonlySet<number>, rng: Rng): number | undefined {
  const count = NODE_PORT_MAX - NODE_PORT_MIN + 1
  const offset = Math.min(Math.max(16, Math.floor(count / 32)), 128)
  return allocateBanded(NODE_PORT_MIN, count, offset, (p) => usedPorts.has(p), rng)
}

/**
 * host-local: the next free address after `last` in the pod CIDR, skipping the network address, the gateway
 * (.1) and the broadcast address, wrapping round. Returns the address as an integer.
 */
export function allocatePodIP(podCIDR: string, last: number | undefined, usedIPs: ReadonlySet<string>): number | undefined {
  const range = ipv4Range(podCIDR)
  if (!range || range.size < 4) return undefined
  const first = range.base + 2
  const lastUsable = range.base + range.size - 2
  const count = lastUsable - first + 1
  const startAfter = last !== undefined && last >= first && last <= lastUsable ? last - first + 1 : 0
  for (let i = 0; i < count; i++) {
    const n = first + ((startAfter + i) % count)
    if (!usedIPs.has(formatIPv4(n))) return n
  }
  return undefined
}

/** The lowest free address from `first` to `last` inclusive. */
export function lowestFree(first: string, last: string, usedIPs: ReadonlySet<string>): string | undefined {
  for (let n = ipv4ToInt(first); n <= ipv4ToInt(last); n++) {
    const ip = formatIPv4(n)
    if (!usedIPs.has(ip)) return ip
  }
  return undefined
}

export function allocateLoadBalancerIP(usedIPs: ReadonlySet<string>): string | undefined {
  return lowestFree(LOAD_BALANCER_POOL.first, LOAD_BALANCER_POOL.last, usedIPs)
}

export function allocateNodeIP(usedIPs: ReadonlySet<string>): string | undefined {
  return lowestFree('172.18.0.2', '172.18.255.199', usedIPs)
}

/** The next free /24 of the cluster CIDR (node-ipam's range allocator with the default node mask). */
export function allocatePodCIDR(clusterCIDR: string, usedCIDRs: readonly string[]): string | undefined {
  const range = ipv4Range(clusterCIDR)
  if (!range) return undefined
  const used = usedCIDRs.map(ipv4Range).filter((r): r is IPv4Range => r !== undefined)
  for (let base = range.base; base < range.base + range.size; base += 256) {
    const overlaps = used.some((u) => base < u.base + u.size && u.base < base + 256)
    if (!overlaps) return `${formatIPv4(base)}/24`
  }
  return undefined
}

export function inAnyRange(ranges: IPv4Range[], ip: string): boolean {
  return ranges.some((r) => rangeContains(r, ip))
}
