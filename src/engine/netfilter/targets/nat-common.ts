/**
 * What DNAT, SNAT, MASQUERADE, REDIRECT and NETMAP share: `ADDR[-ADDR][:PORT[-PORT[/BASE]]]` ranges as
 * libxt_DNAT's parse_to and parse_ports read them, and how iptables prints them.
 */
import { ParameterProblem } from '../module-api.ts'
import type { NatAction } from '../types.ts'
import { formatIPv4, parseStrictIPv4 } from '../../net/ipv4.ts'
import { xtStrtoulPrefix } from '../xtopt.ts'
import { servicePort } from '../services.ts'

export interface NatRange {
  from?: number
  to?: number
  ports?: [number, number]
  /**
   * NF_NAT_RANGE_PROTO_OFFSET (`PORT-PORT/BASE`): the port is mapped by its distance from BASE. Targets
   * whose kernel structure has no base (SNAT, MASQUERADE) keep the flag with base 0.
   */
  base?: number
}

/** Protocols with ports for NAT ranges; ICMP counts (its echo id is the "port"), as libxt_DNAT says. */
const PORT_PROTOS = new Set([6, 17, 132, 33, 1])

function needsPortProto(protocol: number | undefined): void {
  if (protocol === undefined || !PORT_PROTOS.has(protocol)) {
    throw new ParameterProblem('Need TCP, UDP, SCTP or DCCP with port specification')
  }
}

/** xtables_strtoui(arg, &end, …, min, 65535): the number and where it stopped, or undefined. */
function portPrefix(text: string, min: number): { value: number; rest: string } | undefined {
  const r = xtStrtoulPrefix(text, BigInt(min), 65535n)
  return r ? { value: Number(r.value), rest: text.slice(r.end) } : undefined
}

/** parse_ports: `PORT[-PORT[/BASE]]`; a service name only where a lone number could stand. */
export function parseNatPorts(text: string, protocol: number | undefined): Pick<NatRange, 'ports' | 'base'> {
  needsPortProto(protocol)
  // xtables_service_to_port: a service name (getservbyname), never a number out of range.
  let first = portPrefix(text, 0)
  if (!first) {
    const p = servicePort(text, undefined)
    if (p === undefined) throw new ParameterProblem(`Port \`${text}' not valid`)
    first = { value: p, rest: '' }
  }
  if (first.rest === '') return { ports: [first.value, first.value] }
  if (first.rest[0] === ':') throw new ParameterProblem('Invalid port:port syntax - use dash')
  if (first.rest[0] !== '-') throw new ParameterProblem(`Garbage after port value: \`${first.rest}'`)
  const maxText = first.rest.slice(1)
  const max = portPrefix(maxText, 0)
  if (!max) throw new ParameterProblem(`Port \`${maxText}' not valid`)
  if (max.value < first.value) throw new ParameterProblem(`Port range \`${maxText}' funky`)
  const ports: [number, number] = [first.value, max.value]
  if (max.rest === '') return { ports }
  if (max.rest[0] !== '/') throw new ParameterProblem(`Garbage after port range: \`${max.rest}'`)
  const baseText = max.rest.slice(1)
  // What follows the base is not looked at.
  let base = portPrefix(baseText, 1)?.value
  if (base === undefined) {
    base = servicePort(baseText, undefined)
    if (base === undefined) throw new ParameterProblem(`Port \`${baseText}' not valid`)
  }
  return { ports, base }
}

/** parse_to: `[ADDR[-ADDR]][:PORTS]`; a second colon makes the whole an (IPv6) address, refused here. */
export function parseNatRange(text: string, protocol: number | undefined): NatRange {
  if (text.includes('[')) throw new ParameterProblem('Invalid address format')
  let colon = text.indexOf(':')
  if (colon >= 0 && text.indexOf(':', colon + 1) >= 0) colon = -1
  const range: NatRange = {}
  if (colon >= 0) {
    Object.assign(range, parseNatPorts(text.slice(colon + 1), protocol))
    if (colon === 0) return range
  }
  const addrText = colon >= 0 ? text.slice(0, colon) : text
  const dash = addrText.indexOf('-')
  const a = dash >= 0 ? addrText.slice(0, dash) : addrText
  const from = parseStrictIPv4(a)
  if (from === undefined) throw new ParameterProblem(`Bad IP address "${a}"`)
  range.from = from
  if (dash >= 0) {
    const b = addrText.slice(dash + 1)
    const to = parseStrictIPv4(b)
    if (to === undefined) throw new ParameterProblem(`Bad IP address "${b}"`)
    range.to = to
  } else range.to = from
  return range
}

/** sprint_range: addresses, then `:min[-max][/base]`. */
export function formatNatRange(r: NatRange): string {
  let s = ''
  if (r.from !== undefined) s += r.from === r.to ? formatIPv4(r.from) : `${formatIPv4(r.from)}-${formatIPv4(r.to ?? r.from)}`
  if (r.ports) {
    s += `:${r.ports[0]}`
    if (r.ports[1] !== r.ports[0]) s += `-${r.ports[1]}`
    if (r.base !== undefined) s += `/${r.base}`
  }
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
    if (r.ports[0] !== r.ports[1] || r.base !== undefined) action.portRange = r.ports
    if (r.base !== undefined) action.portBase = r.base
  }
  if (flags.random) action.random = true
  if (flags.randomFully) action.randomFully = true
  if (flags.persistent) action.persistent = true
  return action
}
