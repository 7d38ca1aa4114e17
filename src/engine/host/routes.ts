/**
 * Routing: the main table (`ip route`), the local table the kernel derives from interface addresses
 * (`ip route show table local`, what `-m addrtype` asks), and the route lookup between netfilter hooks.
 */
import type { AddrType } from '../netfilter/types.ts'
import { broadcastOf, formatIPv4, inPrefix, networkOf, parseIPv4OrThrow } from '../net/ipv4.ts'
import type { NetInterface } from './interfaces.ts'

export interface Route {
  /** Network address; 0.0.0.0 with prefix 0 is `default`. */
  network: string
  prefix: number
  via?: string
  dev: string
  /** `proto kernel` for connected routes, `static`/`boot` for added ones. */
  proto?: 'kernel' | 'boot' | 'static'
  scope?: 'link' | 'host' | 'global'
  src?: string
  metric?: number
}

export interface LocalRoute {
  type: 'local' | 'broadcast'
  network: string
  prefix: number
  dev: string
  src: string
}

/** Routes the kernel adds for an interface's addresses (main table). */
export function connectedRoutes(ifaces: readonly NetInterface[]): Route[] {
  const routes: Route[] = []
  for (const i of ifaces) {
    if (i.kind === 'loopback') continue
    for (const a of i.addresses) {
      if (a.prefix === 32) continue
      routes.push({
        network: formatIPv4(networkOf(parseIPv4OrThrow(a.address), a.prefix)), prefix: a.prefix, dev: i.name,
        proto: 'kernel', scope: 'link', src: a.address,
      })
    }
  }
  return routes
}

/** The local table: local routes for each address, broadcast routes for each subnet's broadcast. */
export function localRoutes(ifaces: readonly NetInterface[]): LocalRoute[] {
  const out: LocalRoute[] = []
  for (const i of ifaces) {
    for (const a of i.addresses) {
      const n = parseIPv4OrThrow(a.address)
      if (i.kind === 'loopback' && a.prefix < 32) {
        out.push({ type: 'local', network: formatIPv4(networkOf(n, a.prefix)), prefix: a.prefix, dev: i.name, src: a.address })
      }
      out.push({ type: 'local', network: a.address, prefix: 32, dev: i.name, src: a.address })
      if (a.prefix < 31) {
        out.push({ type: 'broadcast', network: formatIPv4(broadcastOf(n, a.prefix)), prefix: 32, dev: i.name, src: a.address })
      }
    }
  }
  return out
}

/** Longest-prefix match, then lowest metric, as the kernel's FIB lookup picks. */
export function lookupMain(routes: readonly Route[], dst: string): Route | undefined {
  const d = parseIPv4OrThrow(dst)
  let best: Route | undefined
  for (const r of routes) {
    if (!inPrefix(d, parseIPv4OrThrow(r.network), r.prefix)) continue
    if (!best || r.prefix > best.prefix || (r.prefix === best.prefix && (r.metric ?? 0) < (best.metric ?? 0))) best = r
  }
  return best
}

export function lookupLocal(local: readonly LocalRoute[], dst: string): LocalRoute | undefined {
  const d = parseIPv4OrThrow(dst)
  let best: LocalRoute | undefined
  for (const r of local) {
    if (inPrefix(d, parseIPv4OrThrow(r.network), r.prefix) && (!best || r.prefix > best.prefix)) best = r
  }
  return best
}

/**
 * RTN_* type of an address as the kernel's `__inet_dev_addr_type` answers it (what `-m addrtype`
 * matches): 0.0.0.0/8 and 255.255.255.255 are BROADCAST, 224/4 MULTICAST; otherwise the local table
 * decides (LOCAL or BROADCAST) and anything not in it is UNICAST. With an interface limit, a local
 * route on another device counts as UNICAST.
 */
export function addrTypeOf(local: readonly LocalRoute[], addr: string, dev?: string): AddrType {
  const n = parseIPv4OrThrow(addr)
  if (n === 0xffffffff || n >>> 24 === 0) return 'BROADCAST'
  if (n >>> 28 === 0xe) return 'MULTICAST'
  const l = lookupLocal(local, addr)
  if (!l || (dev !== undefined && l.dev !== dev)) return 'UNICAST'
  return l.type === 'local' ? 'LOCAL' : 'BROADCAST'
}

/** One line of `ip route` (iproute2 6.1 prints a trailing space). */
export function formatRoute(r: Route): string {
  let s = r.prefix === 0 ? 'default' : r.prefix === 32 ? r.network : `${r.network}/${r.prefix}`
  if (r.via) s += ` via ${r.via}`
  s += ` dev ${r.dev}`
  if (r.proto && r.proto !== 'boot') s += ` proto ${r.proto}`
  if (r.scope && r.scope !== 'global') s += ` scope ${r.scope}`
  if (r.src) s += ` src ${r.src}`
  if (r.metric) s += ` metric ${r.metric}`
  return s + ' '
}

export function formatLocalRoute(r: LocalRoute): string {
  const dst = r.prefix === 32 ? r.network : `${r.network}/${r.prefix}`
  const scope = r.type === 'local' ? 'host' : 'link'
  return `${r.type} ${dst} dev ${r.dev} proto kernel scope ${scope} src ${r.src} `
}

/** Routes in the order the kernel's FIB dump lists them: by network address, longer prefixes first. */
export function sortRoutes(routes: readonly Route[]): Route[] {
  return [...routes].sort((a, b) => (parseIPv4OrThrow(a.network) - parseIPv4OrThrow(b.network)) || (b.prefix - a.prefix) || ((a.metric ?? 0) - (b.metric ?? 0)))
}
