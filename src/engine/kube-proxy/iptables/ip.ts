/**
 * The IP handling kube-proxy applies to API input: Go's netutils.ParseIPSloppy / ParseCIDRSloppy accept
 * IPv4 octets with leading zeros ("1.2.3.004" means 1.2.3.4), and a parsed CIDR prints as its network
 * address ("10.0.0.1/8" prints "10.0.0.0/8"). Upstream's TestBadIPs checks exactly this rewriting.
 */
import ipaddr from 'ipaddr.js'

export type IPFamily = 'IPv4' | 'IPv6'

/** Canonical text of an IP, or undefined when it does not parse. IPv4 octets may carry leading zeros. */
export function parseIPSloppy(text: string): { ip: string; family: IPFamily } | undefined {
  // Called for every endpoint address on every sync: remember the answers (bounded).
  if (ipCache.has(text)) return ipCache.get(text)
  const parsed = parseIPUncached(text)
  if (ipCache.size >= 200_000) ipCache.clear()
  ipCache.set(text, parsed)
  return parsed
}

const ipCache = new Map<string, { ip: string; family: IPFamily } | undefined>()

function parseIPUncached(text: string): { ip: string; family: IPFamily } | undefined {
  const t = text.trim()
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(t)) {
    const octets = t.split('.').map((o) => Number.parseInt(o, 10))
    if (octets.some((o) => o > 255)) return undefined
    return { ip: octets.join('.'), family: 'IPv4' }
  }
  if (t.includes(':') && ipaddr.IPv6.isValid(t)) {
    return { ip: ipaddr.IPv6.parse(t).toString(), family: 'IPv6' }
  }
  return undefined
}

export interface Cidr {
  /** Network address + prefix, e.g. `10.0.0.0/8`. */
  text: string
  family: IPFamily
  network: string
  prefix: number
}

/** Go's ParseCIDRSloppy followed by IPNet.String(): the network address and prefix length. */
export function parseCIDRSloppy(text: string): Cidr | undefined {
  const t = text.trim()
  const slash = t.indexOf('/')
  if (slash < 0) return undefined
  const ip = parseIPSloppy(t.slice(0, slash))
  const prefixText = t.slice(slash + 1)
  if (!ip || !/^\d+$/.test(prefixText)) return undefined
  const prefix = Number.parseInt(prefixText, 10)
  const max = ip.family === 'IPv4' ? 32 : 128
  if (prefix > max) return undefined
  const network = ipaddr.IPv4.isValid(ip.ip) && ip.family === 'IPv4'
    ? ipaddr.IPv4.networkAddressFromCIDR(`${ip.ip}/${prefix}`).toString()
    : ipaddr.IPv6.networkAddressFromCIDR(`${ip.ip}/${prefix}`).toString()
  return { text: `${network}/${prefix}`, family: ip.family, network, prefix }
}

export function cidrContains(cidr: Cidr, ip: string): boolean {
  const parsed = parseIPSloppy(ip)
  if (!parsed || parsed.family !== cidr.family) return false
  const addr = ipaddr.parse(parsed.ip)
  return addr.match(ipaddr.parse(cidr.network), cidr.prefix)
}

/** An address as iptables-save prints it: hosts get /32 (/128), networks are masked. */
export function saveAddress(text: string): string {
  if (text.includes('/')) {
    const c = parseCIDRSloppy(text)
    return c ? c.text : text
  }
  const ip = parseIPSloppy(text)
  if (!ip) return text
  return `${ip.ip}/${ip.family === 'IPv4' ? 32 : 128}`
}

export function isLoopback(ip: string): boolean {
  const p = parseIPSloppy(ip)
  if (!p) return false
  return p.family === 'IPv4' ? p.ip.startsWith('127.') : p.ip === '::1'
}
