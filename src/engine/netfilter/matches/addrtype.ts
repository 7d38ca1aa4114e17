/**
 * `-m addrtype --src-type/--dst-type TYPES [--limit-iface-in|--limit-iface-out]`: the routing table's
 * type for an address (LOCAL for the node's own addresses — kube-proxy's NodePort rule uses it).
 */
import type { MatchModule } from '../module-api.ts'
import { ParameterProblem } from '../module-api.ts'
import type { AddrType, ClauseResult, Hook } from '../types.ts'

const TYPES: AddrType[] = [
  'UNSPEC', 'UNICAST', 'LOCAL', 'BROADCAST', 'ANYCAST', 'MULTICAST', 'BLACKHOLE', 'UNREACHABLE', 'PROHIBIT',
  'THROW', 'NAT', 'XRESOLVE',
]

export interface AddrtypeOptions {
  src?: { types: AddrType[]; inverted: boolean }
  dst?: { types: AddrType[]; inverted: boolean }
  limitIn: boolean
  limitOut: boolean
}

function parseTypes(text: string): AddrType[] {
  const seen = new Set<string>()
  for (const part of text.split(',')) {
    const t = part.toUpperCase()
    if (!(TYPES as string[]).includes(t)) throw new ParameterProblem(`addrtype: bad type "${part}"`)
    seen.add(t)
  }
  return TYPES.filter((t) => seen.has(t))
}

export const addrtypeMatch: MatchModule<AddrtypeOptions> = {
  kind: 'match',
  name: 'addrtype',
  xtopt: true,
  options: [
    { name: 'src-type', arg: 'required', invertible: true }, { name: 'dst-type', arg: 'required', invertible: true },
    { name: 'limit-iface-in', arg: 'none', excl: ['limit-iface-out'] }, { name: 'limit-iface-out', arg: 'none', excl: ['limit-iface-in'] },
  ],
  create: () => ({ limitIn: false, limitOut: false }),
  parse(o, option, arg, inverted) {
    switch (option) {
      case 'src-type':
        o.src = { types: parseTypes(arg ?? ''), inverted }
        return
      case 'dst-type':
        o.dst = { types: parseTypes(arg ?? ''), inverted }
        return
      case 'limit-iface-in':
        o.limitIn = true
        return
      case 'limit-iface-out':
        o.limitOut = true
    }
  },
  finalCheck(o) {
    if (!o.src && !o.dst) throw new ParameterProblem('addrtype: you must specify --src-type or --dst-type')
  },
  save(o) {
    const parts: string[] = []
    if (o.src) parts.push(`${o.src.inverted ? '! ' : ''}--src-type ${o.src.types.join(',')}`)
    if (o.dst) parts.push(`${o.dst.inverted ? '! ' : ''}--dst-type ${o.dst.types.join(',')}`)
    if (o.limitIn) parts.push('--limit-iface-in')
    if (o.limitOut) parts.push('--limit-iface-out')
    return parts.join(' ')
  },
  list(o) {
    const parts = ['ADDRTYPE match']
    if (o.src) parts.push(`src-type ${o.src.inverted ? '!' : ''}${o.src.types.join(',')}`)
    if (o.dst) parts.push(`dst-type ${o.dst.inverted ? '!' : ''}${o.dst.types.join(',')}`)
    if (o.limitIn) parts.push('limit-in')
    if (o.limitOut) parts.push('limit-out')
    return parts.join(' ')
  },
  hooks(o): readonly Hook[] | undefined {
    if (o.limitIn) return ['PREROUTING', 'INPUT', 'FORWARD']
    if (o.limitOut) return ['OUTPUT', 'FORWARD', 'POSTROUTING']
    return undefined
  },
  evaluate(o, ctx) {
    const out: ClauseResult[] = []
    const iface = o.limitIn ? ctx.packet.inIface : o.limitOut ? ctx.packet.outIface : undefined
    const suffix = o.limitIn ? ' --limit-iface-in' : o.limitOut ? ' --limit-iface-out' : ''
    for (const side of ['src', 'dst'] as const) {
      const c = o[side]
      if (!c) continue
      const addr = side === 'src' ? ctx.packet.src : ctx.packet.dst
      const type = ctx.node.addrType(addr, iface)
      const hit = c.types.includes(type)
      const matched = hit !== c.inverted
      out.push({
        clause: `-m addrtype ${c.inverted ? '! ' : ''}--${side}-type ${c.types.join(',')}${suffix}`,
        matched,
        why: `${side === 'src' ? 'source' : 'destination'} ${addr} is ${type}${iface ? ` (on ${iface})` : ''} here${c.inverted ? ' (negated)' : ''}`,
      })
      if (!matched) break
    }
    return out
  },
}
