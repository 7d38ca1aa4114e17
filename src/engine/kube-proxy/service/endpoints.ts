/**
 * A service port's endpoints as kube-proxy sees them from one node (upstream's endpointsMap built by the
 * EndpointSliceCache, pkg/proxy/endpointslicecache.go): merged over a Service's EndpointSlices, with each
 * endpoint's chain name and whether it is on this node.
 */
import type { EndpointSlice } from '../../cluster/types.ts'
import { endpointChainName, endpointString, servicePortNameString } from './names.ts'
import type { ProtocolLower } from './names.ts'
import { parseIPSloppy } from '../../net/ipv4.ts'
import { SERVICE_NAME_LABEL } from './service-port.ts'

export interface EndpointInfo {
  ip: string
  port: number
  /** `ip:port` (JoinHostPort). */
  text: string
  isLocal: boolean
  ready: boolean
  serving: boolean
  terminating: boolean
  chain: string
}
/**
 * The endpoints of every service port, as upstream's EndpointSliceCache merges them: one endpoint per
 * `ip:port` (a local copy wins over a remote duplicate), sorted by that *string* (so 10.244.1.10:80 sorts
 * before 10.244.1.9:80), only the first address of each endpoint, IPv4 slices only.
 */
export function endpointsByServicePort(slices: readonly EndpointSlice[], nodeName: string): Map<string, EndpointInfo[]> {
  const parts = new Map<string, EndpointInfo[][]>()
  for (const slice of slices) {
    for (const [key, eps] of sliceEndpoints(slice, nodeName)) {
      const list = parts.get(key)
      if (list) list.push(eps)
      else parts.set(key, [eps])
    }
  }
  const result = new Map<string, EndpointInfo[]>()
  for (const [key, lists] of parts) result.set(key, lists.length === 1 ? lists[0] : mergeEndpoints(lists))
  return result
}

const byText = (a: EndpointInfo, b: EndpointInfo) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0)

function mergeEndpoints(lists: EndpointInfo[][]): EndpointInfo[] {
  const set = new Map<string, EndpointInfo>()
  for (const list of lists) {
    for (const ep of list) if (!set.has(ep.text) || ep.isLocal) set.set(ep.text, ep)
  }
  return [...set.values()].sort(byText)
}

/**
 * One slice's endpoints per service port, deduplicated and sorted. Objects are immutable (a change
 * replaces the slice), so this is remembered per slice object and node: a sync only re-reads what changed.
 */
function sliceEndpoints(slice: EndpointSlice, nodeName: string): Map<string, EndpointInfo[]> {
  let perNode = sliceCache.get(slice)
  if (!perNode) sliceCache.set(slice, (perNode = new Map()))
  let result = perNode.get(nodeName)
  if (result) return result
  result = new Map()
  perNode.set(nodeName, result)
  if (slice.addressType !== 'IPv4') return result
  const serviceName = slice.metadata.labels?.[SERVICE_NAME_LABEL]
  if (!serviceName) return result
  const ns = slice.metadata.namespace ?? 'default'
  for (const port of slice.ports ?? []) {
    if (port.port === undefined || port.port === null) continue
    const protocol = (port.protocol ?? 'TCP').toLowerCase() as ProtocolLower
    const spn = servicePortNameString(ns, serviceName, port.name)
    const set = new Map<string, EndpointInfo>()
    for (const ep of slice.endpoints ?? []) {
      if (!ep.addresses || ep.addresses.length === 0) continue
      const ip = parseIPSloppy(ep.addresses[0])
      if (!ip || ip.family !== 'IPv4') continue
      const isLocal = ep.nodeName !== undefined && ep.nodeName === nodeName
      const text = endpointString(ip.ip, port.port)
      if (set.has(text) && !isLocal) continue
      set.set(text, {
        ip: ip.ip,
        port: port.port,
        text,
        isLocal,
        ready: ep.conditions?.ready ?? true,
        serving: ep.conditions?.serving ?? true,
        terminating: ep.conditions?.terminating ?? false,
        chain: endpointChainName(spn, protocol, text),
      })
    }
    const key = `${spn}/${protocol}`
    const eps = [...set.values()].sort(byText)
    const before = result.get(key)
    result.set(key, before ? mergeEndpoints([before, eps]) : eps)
  }
  return result
}

const sliceCache = new WeakMap<EndpointSlice, Map<string, Map<string, EndpointInfo[]>>>()
