/**
 * IPv4 addresses as iptables parses and prints them. iptables has its own parser (xtables.c): a dotted
 * address may have fewer than four parts (`10.1` is 10.1.0.0), each part 0-255; a mask is a prefix length
 * or a dotted mask (non-contiguous masks are kept and printed dotted). Host names are resolved through
 * /etc/hosts only (`localhost`), since the simulated node has no DNS.
 */

/** Parse a dotted IPv4 address the way xtables_numeric_to_ipaddr does; undefined when invalid. */
export function parseIPv4(text: string): number | undefined {
  const parts = text.split('.')
  if (parts.length > 4 || parts.length === 0) return undefined
  const bytes = [0, 0, 0, 0]
  for (let i = 0; i < parts.length; i++) {
    const n = parseCUnsigned(parts[i])
    if (n === undefined || n > 255) return undefined
    bytes[i] = n
  }
  return ((bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3]) >>> 0
}

/** Strictly four decimal parts (what packets, conntrack and NAT ranges use). */
export function parseStrictIPv4(text: string): number | undefined {
  if (!/^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(text)) return undefined
  return parseIPv4(text)
}

/** strtoul with base 0, as xtables_strtoui: decimal, 0x hex, leading-zero octal; the whole string. */
export function parseCUnsigned(text: string): number | undefined {
  if (/^0[xX][0-9a-fA-F]+$/.test(text)) return parseInt(text.slice(2), 16)
  if (/^0[0-7]*$/.test(text)) return parseInt(text, 8)
  if (/^[1-9][0-9]*$/.test(text)) return Number(text)
  return undefined
}

export function formatIPv4(n: number): string {
  return [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.')
}

export function prefixToMask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0
}

/** The prefix length of a contiguous mask, or -1. */
export function maskToPrefix(mask: number): number {
  for (let p = 0; p <= 32; p++) if (prefixToMask(p) === mask) return p
  return -1
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
      const m = parseIPv4(maskText)
      if (m === undefined || maskText.split('.').length !== 4) return { error: `host/network \`${maskText}' not found` }
      mask = m
    } else {
      const p = parseCUnsigned(maskText)
      if (p === undefined || p > 32) return { error: `invalid mask \`${maskText}' specified` }
      mask = prefixToMask(p)
    }
  }
  let address = parseIPv4(host)
  if (address === undefined && HOSTS[host] !== undefined) address = parseIPv4(HOSTS[host])
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
