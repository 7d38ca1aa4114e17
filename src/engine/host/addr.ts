/**
 * IPv4 address math for the simulated host. ipaddr.js does the parsing (it knows every odd form the
 * kernel accepts or refuses); routing needs 32-bit integers for prefix comparisons, done here.
 */
import ipaddr from 'ipaddr.js'

/** Parse a dotted-quad IPv4 address, or throw an Error naming it. */
export function parseIPv4(text: string): number {
  if (!ipaddr.IPv4.isValidFourPartDecimal(text)) throw new Error(`invalid IPv4 address "${text}"`)
  const b = ipaddr.IPv4.parse(text).toByteArray()
  return ((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0
}

export function formatIPv4(n: number): string {
  return [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.')
}

export function maskOf(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0
}

export function networkOf(addr: number, prefix: number): number {
  return (addr & maskOf(prefix)) >>> 0
}

export function broadcastOf(addr: number, prefix: number): number {
  return (networkOf(addr, prefix) | (~maskOf(prefix) >>> 0)) >>> 0
}

export function inPrefix(addr: number, net: number, prefix: number): boolean {
  return networkOf(addr, prefix) === networkOf(net, prefix)
}

/** "10.0.0.0/8" → {address, prefix}; a bare address is a /32. */
export function parseCidr(text: string): { address: number; prefix: number } {
  const [a, p, ...rest] = text.split('/')
  if (rest.length > 0) throw new Error(`invalid prefix "${text}"`)
  const prefix = p === undefined ? 32 : Number(p)
  if (!/^\d+$/.test(p ?? '32') || prefix > 32) throw new Error(`invalid prefix length in "${text}"`)
  return { address: parseIPv4(a), prefix }
}
