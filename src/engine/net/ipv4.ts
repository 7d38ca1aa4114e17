/**
 * The engine's one IP address module. Three parsers live here because three real programs disagree on
 * what an address is, and the simulation must agree with each where it imitates it:
 *
 * - Kubernetes API validation (Go's netip) and the simulated host (`ip addr`, routes): canonical dotted
 *   quads, validated by ipaddr.js (`isIP`, `canonicalIP`, `canonicalCIDR`, `parseIPv4OrThrow`, `parseCidr`).
 * - kube-proxy (Go's netutils.ParseIPSloppy / ParseCIDRSloppy): IPv4 octets may carry leading zeros, read
 *   as decimal (`parseIPSloppy`, `parseCIDRSloppy`).
 * - iptables (xtables.c): fewer than four parts, hex and octal parts, dotted masks, `localhost`
 *   (`parseXtablesIPv4`, `parseHostMask`), with error texts exactly as iptables prints them.
 *
 * Arithmetic is on IPv4 addresses as unsigned 32-bit integers, which is what the per-rule hot path
 * (packet traversal) compares; nothing here allocates on that path once a packet's address is parsed.
 * IPv6 appears only where Kubernetes validation or kube-proxy input needs it (the simulated cluster is
 * single-stack IPv4, as a default kind cluster is).
 */
import ipaddr from 'ipaddr.js'

// ---------------------------------------------------------------------------------------------------
// uint32 arithmetic

/** Four bytes, most significant first, as an unsigned 32-bit integer. */
function pack(a: number, b: number, c: number, d: number): number {
  return ((a << 24) | (b << 16) | (c << 8) | d) >>> 0
}

export function formatIPv4(n: number): string {
  return [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.')
}

/** A dotted quad already known to be valid (validated text, allocator output) as an integer. */
export function ipv4ToInt(ip: string): number {
  const p = ip.split('.')
  return pack(Number(p[0]), Number(p[1]), Number(p[2]), Number(p[3]))
}

export function prefixToMask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0
}

/** The prefix length of a contiguous mask, or -1. */
export function maskToPrefix(mask: number): number {
  for (let p = 0; p <= 32; p++) if (prefixToMask(p) === mask) return p
  return -1
}

export function networkOf(addr: number, prefix: number): number {
  return (addr & prefixToMask(prefix)) >>> 0
}

export function broadcastOf(addr: number, prefix: number): number {
  return (networkOf(addr, prefix) | (~prefixToMask(prefix) >>> 0)) >>> 0
}

/** Whether `addr` is in `net/prefix` (`net` need not be masked). */
export function inPrefix(addr: number, net: number, prefix: number): boolean {
  return networkOf(addr, prefix) === networkOf(net, prefix)
}

/** Whether `addr` is in the network `network` (already masked) under `mask`. */
export function inMaskedNetwork(addr: number, network: number, mask: number): boolean {
  return ((addr & mask) >>> 0) === network
}

// ---------------------------------------------------------------------------------------------------
// Kubernetes validation and the simulated host: canonical text, validated by ipaddr.js

/** Whether `text` is an IP address at all (IPv4 in dotted-quad form only, as Go's netip insists). */
export function isIP(text: string): boolean {
  if (text.includes(':')) return ipaddr.IPv6.isValid(text)
  return ipaddr.IPv4.isValidFourPartDecimal(text)
}

export function isIPv4(text: string): boolean {
  return ipaddr.IPv4.isValidFourPartDecimal(text)
}

/** The canonical spelling (no leading zeros, RFC 5952 for IPv6), or undefined when not an IP. */
export function canonicalIP(text: string): string | undefined {
  if (!isIP(text)) return undefined
  return ipaddr.parse(text).toString()
}

/** The network address of `ip/prefix` in canonical text (either family; `ip` already canonical). */
function networkText(ip: string, family: 'ipv4' | 'ipv6', prefix: number): string {
  return family === 'ipv4'
    ? ipaddr.IPv4.networkAddressFromCIDR(`${ip}/${prefix}`).toString()
    : ipaddr.IPv6.networkAddressFromCIDR(`${ip}/${prefix}`).toString()
}

/** Whether `text` is a CIDR whose address is the network address (`10.96.0.0/16`, not `10.96.0.1/16`). */
export function canonicalCIDR(text: string): string | undefined {
  const slash = text.indexOf('/')
  if (slash < 0) return undefined
  const addr = canonicalIP(text.slice(0, slash))
  const bitsText = text.slice(slash + 1)
  if (!addr || !/^\d{1,3}$/.test(bitsText)) return undefined
  const bits = Number(bitsText)
  const family = ipaddr.parse(addr).kind()
  if (bits > (family === 'ipv4' ? 32 : 128)) return undefined
  return `${networkText(addr, family, bits)}/${bits}`
}

/** Parse a dotted-quad IPv4 address, or throw an Error naming it. */
export function parseIPv4OrThrow(text: string): number {
  if (!ipaddr.IPv4.isValidFourPartDecimal(text)) throw new Error(`invalid IPv4 address "${text}"`)
  const b = ipaddr.IPv4.parse(text).toByteArray()
  return pack(b[0], b[1], b[2], b[3])
}

/** "10.0.0.0/8" → {address, prefix}; a bare address is a /32. Throws on invalid text. */
export function parseCidr(text: string): { address: number; prefix: number } {
  const [a, p, ...rest] = text.split('/')
  if (rest.length > 0) throw new Error(`invalid prefix "${text}"`)
  const prefix = p === undefined ? 32 : Number(p)
  if (!/^\d+$/.test(p ?? '32') || prefix > 32) throw new Error(`invalid prefix length in "${text}"`)
  return { address: parseIPv4OrThrow(a), prefix }
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

// ---------------------------------------------------------------------------------------------------
// kube-proxy: Go's "sloppy" parsers

export type IPFamily = 'IPv4' | 'IPv6'

/**
 * An IPv4 address whose octets may carry leading zeros (`10.096.0.05` → `10.96.0.5`, decimal, as Go's
 * sloppy parser reads them), in canonical text; undefined when it is no IPv4 at all.
 */
export function sloppyIPv4(text: string): string | undefined {
  if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(text)) return undefined
  const octets = text.split('.').map((o) => Number.parseInt(o, 10))
  return octets.every((o) => o <= 255) ? octets.join('.') : undefined
}

/** Canonical text of an IP, or undefined when it does not parse. IPv4 octets may carry leading zeros. */
export function parseIPSloppy(text: string): { ip: string; family: IPFamily } | undefined {
  // Called for every endpoint address on every sync: remember the answers (bounded).
  if (ipCache.has(text)) return ipCache.get(text)
  const parsed = parseIPSloppyUncached(text)
  if (ipCache.size >= 200_000) ipCache.clear()
  ipCache.set(text, parsed)
  return parsed
}

const ipCache = new Map<string, { ip: string; family: IPFamily } | undefined>()

function parseIPSloppyUncached(text: string): { ip: string; family: IPFamily } | undefined {
  const t = text.trim()
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(t)) {
    const ip = sloppyIPv4(t)
    return ip === undefined ? undefined : { ip, family: 'IPv4' }
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
  const network = networkText(ip.ip, ip.family === 'IPv4' ? 'ipv4' : 'ipv6', prefix)
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

// ---------------------------------------------------------------------------------------------------
// iptables (xtables.c): its own parser, error texts byte for byte. ipaddr.js cannot stand in here:
// xtables accepts `10.1` (10.1.0.0), hex and octal parts, and dotted non-contiguous masks.

/** Parse a dotted IPv4 address the way xtables_numeric_to_ipaddr does; undefined when invalid. */
export function parseXtablesIPv4(text: string): number | undefined {
  const parts = text.split('.')
  if (parts.length > 4 || parts.length === 0) return undefined
  const bytes = [0, 0, 0, 0]
  for (let i = 0; i < parts.length; i++) {
    const n = parseCUnsigned(parts[i])
    if (n === undefined || n > 255) return undefined
    bytes[i] = n
  }
  return pack(bytes[0], bytes[1], bytes[2], bytes[3])
}

/** Strictly four decimal-looking parts, each read as xtables reads it (what packets, conntrack and NAT ranges use). */
export function parseStrictIPv4(text: string): number | undefined {
  if (!/^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(text)) return undefined
  return parseXtablesIPv4(text)
}

/** strtoul with base 0, as xtables_strtoui: decimal, 0x hex, leading-zero octal; the whole string. */
export function parseCUnsigned(text: string): number | undefined {
  if (/^0[xX][0-9a-fA-F]+$/.test(text)) return parseInt(text.slice(2), 16)
  if (/^0[0-7]*$/.test(text)) return parseInt(text, 8)
  if (/^[1-9][0-9]*$/.test(text)) return Number(text)
  return undefined
}

const HOSTS: Record<string, string> = { localhost: '127.0.0.1' }
const REVERSE_HOSTS: Record<string, string> = { '127.0.0.1': 'localhost' }

/** Debian's /etc/networks, which getnetbyaddr() consults for networks (a mask other than /32). */
const NETWORKS: Record<string, string> = { '0.0.0.0': 'default', '127.0.0.0': 'loopback', '169.254.0.0': 'link-local' }

/**
 * What `-L` without `-n` prints for an address: for a host (/32) its /etc/hosts name (only `localhost`;
 * the simulated node has no DNS, and the real tool in a network namespace cannot reach one either), for a
 * network its /etc/networks name, else the dotted address.
 */
export function addressToName(address: string, mask = 0xffffffff): string {
  if (mask === 0xffffffff) return REVERSE_HOSTS[address] ?? address
  return NETWORKS[address] ?? address
}

/**
 * xtables_ipaddr_to_anyname: the host name of an address if it has one, else its network name, else the
 * dotted address (modules such as conntrack print their addresses this way, whatever the mask).
 */
export function anyAddressName(address: number): string {
  const text = formatIPv4(address)
  return REVERSE_HOSTS[text] ?? NETWORKS[text] ?? text
}

export interface AddressMask {
  address: number
  mask: number
}

/**
 * Parse `-s`/`-d` text: `ADDR[/MASK]` where ADDR is numeric or a host name and MASK a prefix or dotted mask.
 * Returns an error message as iptables prints it when invalid.
 */
export function parseHostMask(text: string): AddressMask | { error: string } {
  const slash = text.indexOf('/')
  const host = slash >= 0 ? text.slice(0, slash) : text
  const maskText = slash >= 0 ? text.slice(slash + 1) : undefined
  let mask = 0xffffffff
  if (maskText !== undefined) {
    if (maskText.includes('.')) {
      const m = parseXtablesIPv4(maskText)
      if (m === undefined || maskText.split('.').length !== 4) return { error: `host/network \`${maskText}' not found` }
      mask = m
    } else {
      const p = parseCUnsigned(maskText)
      if (p === undefined || p > 32) return { error: `invalid mask \`${maskText}' specified` }
      mask = prefixToMask(p)
    }
  }
  let address = parseXtablesIPv4(host)
  if (address === undefined && HOSTS[host] !== undefined) address = parseXtablesIPv4(HOSTS[host])
  if (address === undefined) return { error: `host/network \`${host}' not found` }
  return { address: (address & mask) >>> 0, mask }
}

/** The mask as iptables-save prints it after the address: `/24`, or `/255.0.255.0` when not contiguous. */
export function maskSuffix(mask: number): string {
  const p = maskToPrefix(mask)
  return p >= 0 ? `/${p}` : `/${formatIPv4(mask)}`
}

/** The mask as `-L` prints it: nothing for /32, else like maskSuffix. */
export function listMaskSuffix(mask: number): string {
  return mask === 0xffffffff ? '' : maskSuffix(mask)
}
