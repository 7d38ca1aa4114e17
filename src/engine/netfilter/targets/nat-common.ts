/** What DNAT, SNAT, MASQUERADE and REDIRECT share: `ADDR[-ADDR][:PORT[-PORT]]` ranges and flags. */
import { ParameterProblem } from '../module-api.ts'
import type { NatAction } from '../types.ts'
import { formatIPv4, parseStrictIPv4 } from '../../net/ipv4.ts'

export interface NatRange {
  from?: number
  to?: number
  ports?: [number, number]
}

/** Protocols with ports for NAT ranges; ICMP counts (its echo id is the "port"), as libxt_DNAT says. */
const PORT_PROTOS = new Set([6, 17, 132, 33, 136, 1])

export function needsPortProto(protocol: number | undefined): void {
  if (protocol === undefined || !PORT_PROTOS.has(protocol)) {
    throw new ParameterProblem('Need TCP, UDP, SCTP or DCCP with port specification')
  }
}

export function parsePorts(text: string): [number, number] {
  const [a, b] = text.split('-')
  const lo = /^[0-9]+$/.test(a) ? Number(a) : NaN
  const hi = b === undefined ? lo : /^[0-9]+$/.test(b) ? Number(b) : NaN
  if (!(lo >= 0 && lo <= 65535 && hi >= 0 && hi <= 65535)) throw new ParameterProblem(`Port \`${text}' not valid`)
  if (lo > hi) throw new ParameterProblem(`Port range \`${text}' is invalid`)
  return [lo, hi]
}

export function parseNatRange(text: string, protocol: number | undefined): NatRange {
  const colon = text.indexOf(':')
  const addrText = colon >= 0 ? text.slice(0, colon) : text
  const range: NatRange = {}
  if (colon >= 0) {
    needsPortProto(protocol)
    range.ports = parsePorts(text.slice(colon + 1))
  }
  if (addrText !== '') {
    const [a, b] = addrText.split('-')
    const from = parseStrictIPv4(a)
    const to = b === undefined ? from : parseStrictIPv4(b)
    if (from === undefined) throw new ParameterProblem(`Bad IP address "${a}"`)
    if (to === undefined) throw new ParameterProblem(`Bad IP address "${b}"`)
    range.from = from
    range.to = to
  }
  return range
}

export function formatPorts([lo, hi]: [number, number]): string {
  return lo === hi ? String(lo) : `${lo}-${hi}`
}

export function formatNatRange(r: NatRange): string {
  let s = ''
  if (r.from !== undefined) s += r.from === r.to ? formatIPv4(r.from) : `${formatIPv4(r.from)}-${formatIPv4(r.to ?? r.from)}`
  if (r.ports) s += `:${formatPorts(r.ports)}`
  return s
}

/** The NatAction for a range: the first address and port of the range (the kernel picks by hash). */
export function natAction(kind: NatAction['kind'], r: NatRange, flags: { random?: boolean; randomFully?: boolean; persistent?: boolean }): NatAction {
  const action: NatAction = { kind }
  if (r.from !== undefined) {
    action.address = formatIPv4(r.from)
    if (r.to !== undefined && r.to !== r.from) action.addressRange = [formatIPv4(r.from), formatIPv4(r.to)]
  }
  if (r.ports) {
    action.port = r.ports[0]
    if (r.ports[0] !== r.ports[1]) action.portRange = r.ports
  }
  if (flags.random) action.random = true
  if (flags.randomFully) action.randomFully = true
  if (flags.persistent) action.persistent = true
  return action
}
