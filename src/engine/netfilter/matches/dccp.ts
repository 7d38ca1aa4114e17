/**
 * `-m dccp`: DCCP source/destination ports (`--sport`, `--dport`, ranges, service names), packet types
 * (`--dccp-types REQUEST,...,INVALID`) and an option present (`--dccp-option N`). The kernel extension is
 * limited to `-p dccp` (EINVAL otherwise). INVALID stands for every type from 10 up (iptables 1.8.9 sets
 * bits 10 to 15): `-L -n` lists those numbers, `-L` and iptables-save the name once.
 */
import type { MatchModule } from '../module-api.ts'
import { ParameterProblem } from '../module-api.ts'
import type { ClauseResult } from '../types.ts'
import { joinParts } from '../values.ts'
import { xtPortRange, xtUint } from '../xtopt.ts'

const TYPES = ['REQUEST', 'RESPONSE', 'DATA', 'ACK', 'DATAACK', 'CLOSEREQ', 'CLOSE', 'RESET', 'SYNC', 'SYNCACK', 'INVALID']
const INVALID = 10
const INVALID_BITS = 0xfc00

interface Ports { range: [number, number]; inverted: boolean }

export interface DccpOptions {
  sport?: Ports
  dport?: Ports
  types?: { mask: number; inverted: boolean }
  option?: { kind: number; inverted: boolean }
}

function parseTypes(text: string): number {
  let mask = 0
  for (const part of text.split(',')) {
    if (part === '') continue
    const i = TYPES.findIndex((t) => t.toLowerCase() === part.toLowerCase())
    if (i < 0) throw new ParameterProblem(`Unknown DCCP type \`${part}'`)
    mask |= i === INVALID ? INVALID_BITS : 1 << i
  }
  return mask
}

function typesText(mask: number, numeric: boolean): string {
  const out: string[] = []
  for (let i = 0; i < 16; i++) {
    if (!(mask & (1 << i))) continue
    if (!numeric && i >= INVALID) {
      out.push('INVALID')
      break
    }
    out.push(numeric ? String(i) : TYPES[i])
  }
  return out.join(',')
}

const range = (r: [number, number]) => (r[0] === r[1] ? String(r[0]) : `${r[0]}:${r[1]}`)

function listPorts(label: string, p: Ports | undefined): string | undefined {
  if (!p || (p.range[0] === 0 && p.range[1] === 0xffff && !p.inverted)) return undefined
  const inv = p.inverted ? '!' : ''
  // getservbyport(…, "dccp") finds nothing in Debian's /etc/services: ports print as numbers.
  return p.range[0] === p.range[1] ? `${label}:${inv}${p.range[0]}` : `${label}s:${inv}${p.range[0]}:${p.range[1]}`
}

export const dccpMatch: MatchModule<DccpOptions> = {
  kind: 'match',
  name: 'dccp',
  xtopt: true,
  proto: 33,
  options: [
    { name: 'source-port', arg: 'required', invertible: true, id: 0 }, { name: 'sport', arg: 'required', invertible: true, id: 0 },
    { name: 'destination-port', arg: 'required', invertible: true, id: 1 }, { name: 'dport', arg: 'required', invertible: true, id: 1 },
    { name: 'dccp-types', arg: 'required', invertible: true, id: 2 }, { name: 'dccp-option', arg: 'required', invertible: true, id: 3 },
  ],
  create: () => ({}),
  parse(o, option, arg, inverted) {
    const text = arg ?? ''
    switch (option) {
      case 'source-port': o.sport = { range: xtPortRange('dccp', option, text), inverted }; return
      case 'destination-port': o.dport = { range: xtPortRange('dccp', option, text), inverted }; return
      case 'dccp-types': o.types = { mask: parseTypes(text), inverted }; return
      case 'dccp-option': o.option = { kind: xtUint('dccp', option, text, 8, 1, 255), inverted }
    }
  },
  save(o) {
    return joinParts([
      o.sport && `${o.sport.inverted ? '! ' : ''}--sport ${range(o.sport.range)}`,
      o.dport && `${o.dport.inverted ? '! ' : ''}--dport ${range(o.dport.range)}`,
      o.types && `${o.types.inverted ? '! ' : ''}--dccp-types ${typesText(o.types.mask, false)}`,
      o.option && `${o.option.inverted ? '! ' : ''}--dccp-option ${o.option.kind}`,
    ])
  },
  list(o, numeric) {
    return joinParts([
      'dccp', listPorts('spt', o.sport), listPorts('dpt', o.dport),
      o.types && `${o.types.inverted ? '! ' : ''}${typesText(o.types.mask, numeric)}`,
      o.option && `option=${o.option.inverted ? '!' : ''}${o.option.kind}`,
    ])
  },
  evaluate(o, ctx) {
    const p = ctx.packet
    const out: ClauseResult[] = []
    const check = (clause: string, hit: boolean, inverted: boolean, why: string): boolean => {
      out.push({ clause: `-m dccp ${clause}`, matched: hit !== inverted, why: `${why}${inverted ? ' (negated)' : ''}` })
      return hit !== inverted
    }
    for (const [key, label, port] of [['sport', 'source port', p.sport], ['dport', 'destination port', p.dport]] as const) {
      const c = o[key]
      if (!c) continue
      const hit = port !== undefined && port >= c.range[0] && port <= c.range[1]
      if (!check(`${c.inverted ? '! ' : ''}--${key} ${range(c.range)}`, hit, c.inverted, `${label} ${port ?? 'none'} ${hit ? 'is' : 'is not'} in ${range(c.range)}`)) return out
    }
    if (o.types) {
      const type = p.dccpType ?? 0
      const hit = (o.types.mask & (1 << type)) !== 0
      if (!check(`${o.types.inverted ? '! ' : ''}--dccp-types ${typesText(o.types.mask, false)}`, hit, o.types.inverted,
        `DCCP packet type ${TYPES[Math.min(type, INVALID)]}${p.dccpType === undefined ? ' (the simulated packet is a REQUEST)' : ''}`)) return out
    }
    if (o.option) {
      check(`${o.option.inverted ? '! ' : ''}--dccp-option ${o.option.kind}`, false, o.option.inverted, 'the simulated DCCP packet carries no options')
    }
    if (out.length === 0) out.push({ clause: '-m dccp', matched: true, why: 'a DCCP packet' })
    return out
  },
}
