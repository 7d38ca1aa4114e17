/** What the tcp and udp matches share: source/destination port ranges with `!`. */
import type { ClauseResult, Packet } from '../types.ts'
import { formatPortRange, listPort } from '../values.ts'

export interface PortClause {
  range: [number, number]
  inverted: boolean
}

/**
 * iptables-nft turns `! --dport 0:N` into a "greater than N" comparison, which it prints back as
 * `--dport N+1:65535` without `!` (measured); the meaning is the same.
 */
export function normalisePortClause(range: [number, number], inverted: boolean): PortClause {
  if (inverted && range[0] === 0 && range[1] > 0 && range[1] < 65535) return { range: [range[1] + 1, 65535], inverted: false }
  return { range, inverted }
}

export function savePorts(name: 'sport' | 'dport', p: PortClause | undefined): string {
  if (!p) return ''
  return `${p.inverted ? '! ' : ''}--${name} ${formatPortRange(p.range)}`
}

/** ` spt:22`, ` dpts:1024:65535`, ` dpt:!https` as tcp/udp print them (without the leading space). */
export function listPorts(label: 'spt' | 'dpt', p: PortClause | undefined, proto: string, numeric: boolean): string {
  if (!p) return ''
  const [lo, hi] = p.range
  const inv = p.inverted ? '!' : ''
  if (lo === hi) return `${label}:${inv}${listPort(lo, proto, numeric)}`
  return `${label}s:${inv}${listPort(lo, proto, numeric)}:${listPort(hi, proto, numeric)}`
}

export function evaluatePorts(
  module: string, which: 'sport' | 'dport', p: PortClause, packet: Packet,
): ClauseResult {
  const port = which === 'sport' ? packet.sport : packet.dport
  const clause = `-m ${module} ${savePorts(which, p)}`
  const side = which === 'sport' ? 'source port' : 'destination port'
  const rangeText = p.range[0] === p.range[1] ? String(p.range[0]) : `${p.range[0]}-${p.range[1]}`
  if (port === undefined) return { clause, matched: false, why: `the packet has no ${side}` }
  const inRange = port >= p.range[0] && port <= p.range[1]
  const matched = inRange !== p.inverted
  const verb = inRange ? 'is' : 'is not'
  return { clause, matched, why: `${side} ${port} ${verb} ${p.range[0] === p.range[1] ? '' : 'in '}${rangeText}${p.inverted ? ' (negated)' : ''}` }
}
