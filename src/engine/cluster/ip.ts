/**
 * IP address helpers. Validation uses ipaddr.js (both families); allocation arithmetic is IPv4 as 32-bit
 * integers (the simulated cluster is single-stack IPv4, as a default kind cluster is).
 */
import ipaddr from 'ipaddr.js'

/** Whether `text` is an IP address at all (IPv4 in dotted-quad form only, as Go's netip insists). */
export function isIP(text: string): boolean {
  if (text.includes(':')) return ipaddr.IPv6.isValid(text)
  return ipaddr.IPv4.isValidFourPartDecimal(text)
}

/** The canonical spelling (no leading zeros, RFC 5952 for IPv6), or undefined when not an IP. */
export function canonicalIP(text: string): string | undefined {
  if (!isIP(text)) return undefined
  return ipaddr.parse(text).toString()
}

/** Whether `text` is a CIDR whose address is the network address (`10.96.0.0/16`, not `10.96.0.1/16`). */
export function canonicalCIDR(text: string): string | undefined {
  const slash = text.indexOf('/')
  if (slash < 0) return undefined
  const addr = canonicalIP(text.slice(0, slash))
  const bitsText = text.slice(slash + 1)
  if (!addr || !/^\d{1,3}$/.test(bitsText)) return undefined
  const bits = Number(bitsText)
  const parsed = ipaddr.parse(addr)
  if (bits > (parsed.kind() === 'ipv4' ? 32 : 128)) return undefined
  const network = ipaddr.IPv4.isValid(addr) && parsed.kind() === 'ipv4'
    ? ipaddr.IPv4.networkAddressFromCIDR(`${addr}/${bits}`).toString()
    : ipaddr.IPv6.networkAddressFromCIDR(`${addr}/${bits}`).toString()
  return `${network}/${bits}`
}

export function isIPv4(text: string): boolean {
  return ipaddr.IPv4.isValidFourPartDecimal(text)
}

export function ipv4ToInt(ip: string): number {
  const p = ip.split('.').map(Number)
  return ((p[0] << 24) | (p[1] << 16) | (p[2] << 8) | p[3]) >>> 0
}

export function intToIPv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.')
}

export interface IPv4Range {
  cidr: string
  /** Network address as an integer. */
  base: number
  /** Number of addresses in the block (2^(32-bits)). */
  size: number
}

/** An IPv4 CIDR as a range, or undefined for IPv6 or invalid text. */
export function ipv4Range(cidr: string): IPv4Range | undefined {
  const [addr, bitsText] = cidr.split('/')
  if (!addr || !isIPv4(addr) || bitsText === undefined) return undefined
  const bits = Number(bitsText)
  const size = 2 ** (32 - bits)
  const base = bits === 0 ? 0 : (ipv4ToInt(addr) & (~0 << (32 - bits))) >>> 0
  return { cidr, base, size }
}

export function rangeContains(range: IPv4Range, ip: string): boolean {
  if (!isIPv4(ip)) return false
  const n = ipv4ToInt(ip)
  return n >= range.base && n < range.base + range.size
}
