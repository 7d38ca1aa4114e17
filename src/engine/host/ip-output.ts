/** What `ip addr` and `ip route` (iproute2 6.1) print for a simulated host. */
import type { Host } from './host.ts'
import type { NetInterface } from './interfaces.ts'
import { formatLocalRoute, formatRoute, lookupLocal, lookupMain, sortRoutes } from './routes.ts'

/** The EUI-64 link-local address the kernel derives from a MAC (fe80::42:acff:fe12:2 for 02:42:ac:12:00:02). */
export function linkLocalOf(mac: string): string {
  const b = mac.split(':').map((h) => parseInt(h, 16))
  const words = [((b[0] ^ 0x02) << 8) | b[1], (b[2] << 8) | 0xff, (0xfe << 8) | b[3], (b[4] << 8) | b[5]]
  return `fe80::${words.map((w) => w.toString(16)).join(':')}`
}

function formatInterface(i: NetInterface): string {
  const lines: string[] = []
  if (i.kind === 'loopback') {
    lines.push(`${i.index}: lo: <LOOPBACK,UP,LOWER_UP> mtu ${i.mtu} qdisc noqueue state UNKNOWN group default qlen 1000`)
    lines.push('    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00')
  } else {
    lines.push(`${i.index}: ${i.name}@if${i.peerIndex}: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu ${i.mtu} qdisc noqueue state UP group default qlen 1000`)
    lines.push(`    link/ether ${i.mac} brd ff:ff:ff:ff:ff:ff link-netnsid 0`)
  }
  for (const a of i.addresses) {
    const brd = i.kind === 'loopback' || a.prefix >= 31 ? '' : ` brd ${a.broadcast}`
    const scope = i.kind === 'loopback' ? 'host' : 'global'
    lines.push(`    inet ${a.address}/${a.prefix}${brd} scope ${scope} ${i.name}`)
    lines.push('       valid_lft forever preferred_lft forever')
  }
  if (i.kind === 'loopback') lines.push('    inet6 ::1/128 scope host ')
  else lines.push(`    inet6 ${linkLocalOf(i.mac)}/64 scope link `)
  lines.push('       valid_lft forever preferred_lft forever')
  return lines.join('\n') + '\n'
}

export function ipAddr(host: Host, dev?: string): { rc: number; out: string; err: string } {
  const list = dev ? host.interfaces.filter((i) => i.name === dev) : host.interfaces
  if (dev && list.length === 0) return { rc: 1, out: '', err: `Device "${dev}" does not exist.\n` }
  return { rc: 0, out: list.map(formatInterface).join(''), err: '' }
}

export function ipRoute(host: Host, table: 'main' | 'local'): string {
  if (table === 'local') {
    const local = [...host.localTable()].sort((a, b) => a.network.localeCompare(b.network, 'en', { numeric: true }))
    return local.map((r) => formatLocalRoute(r) + '\n').join('')
  }
  return sortRoutes(host.mainRoutes()).map((r) => formatRoute(r) + '\n').join('')
}

/**
 * An address as iproute2's get_addr_ipv4 reads it: one to four dot-separated parts, each read by strtoul with
 * base 0 (decimal, 0x hexadecimal, 0 octal; leading blanks and a sign allowed) and at most 255; missing parts
 * are 0 (`10.1` is 10.1.0.0). Undefined when iproute2 would refuse it.
 */
export function iproute2Ipv4(text: string): string | undefined {
  const parts = [0, 0, 0, 0]
  let rest = text
  for (let i = 0; i < 4; i++) {
    const m = /^[ \t\n\v\f\r]*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)/.exec(rest)
    if (!m) return undefined
    const digits = m[2]
    const magnitude = /^0[xX]/.test(digits) ? parseInt(digits.slice(2), 16) : digits.startsWith('0') ? parseInt(digits, 8) : Number(digits)
    // strtoul negates a "-" number in unsigned arithmetic: anything but -0 is huge.
    if (magnitude > 255 || (m[1] === '-' && magnitude !== 0)) return undefined
    parts[i] = magnitude
    rest = rest.slice(m[0].length)
    if (rest === '') break
    if (i === 3 || rest[0] !== '.') return undefined
    rest = rest.slice(1)
  }
  return parts.join('.')
}

/** `ip route get ADDR` (iproute2 6.1), including the `cache` line and the trailing spaces. */
export function ipRouteGet(host: Host, arg: string): { rc: number; out: string; err: string } {
  const slash = arg.indexOf('/')
  const dst = iproute2Ipv4(slash >= 0 ? arg.slice(0, slash) : arg)
  const prefix = slash >= 0 ? arg.slice(slash + 1) : undefined
  if (dst === undefined || (prefix !== undefined && !/^\d+$/.test(prefix)) || Number(prefix ?? 32) > 32) {
    return { rc: 1, out: '', err: `Error: any valid prefix is expected rather than "${arg}".\n` }
  }
  const warning = prefix !== undefined && Number(prefix) !== 32 ? `Warning: /${prefix} as prefix is invalid, only /32 (or none) is supported.\n` : ''
  const local = lookupLocal(host.localTable(), dst)
  if (local?.type === 'local') return { rc: 0, out: `local ${dst} dev lo src ${local.src} uid 0 \n    cache <local> \n`, err: warning }
  const route = lookupMain(host.mainRoutes(), dst)
  const src = route && (route.src ?? host.interfaces.find((i) => i.name === route.dev)?.addresses[0]?.address)
  if (!route || !src) return { rc: 2, out: '', err: `${warning}RTNETLINK answers: Network is unreachable\n` }
  const via = route.via ? ` via ${route.via}` : ''
  return { rc: 0, out: `${dst}${via} dev ${route.dev} src ${src} uid 0 \n    cache \n`, err: warning }
}
