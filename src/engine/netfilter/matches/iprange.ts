/** `-m iprange --src-range A-B / --dst-range A-B`. */
import type { MatchModule } from '../module-api.ts'
import { ParameterProblem } from '../module-api.ts'
import { paramAct } from '../xtopt.ts'
import type { ClauseResult } from '../types.ts'
import { formatIPv4, parseXtablesIPv4, parseStrictIPv4 } from '../../net/ipv4.ts'

interface Range { from: number; to: number; inverted: boolean }

export interface IprangeOptions {
  src?: Range
  dst?: Range
}

function parseRange(option: string, text: string, inverted: boolean): Range {
  const dash = text.indexOf('-')
  const a = dash < 0 ? text : text.slice(0, dash)
  const b = dash < 0 ? undefined : text.slice(dash + 1)
  const from = parseXtablesIPv4(a)
  if (from === undefined) throw paramAct.badValue('iprange', `--${option}`, a)
  const to = b === undefined ? from : parseXtablesIPv4(b)
  if (to === undefined) throw paramAct.badValue('iprange', `--${option}`, b ?? '')
  return { from, to, inverted }
}

const rangeText = (r: Range) => `${formatIPv4(r.from)}-${formatIPv4(r.to)}`

export const iprangeMatch: MatchModule<IprangeOptions> = {
  kind: 'match',
  name: 'iprange',
  xtopt: true,
  options: [{ name: 'src-range', arg: 'required', invertible: true }, { name: 'dst-range', arg: 'required', invertible: true }],
  create: () => ({}),
  parse(o, option, arg, inverted) {
    if (option === 'src-range') o.src = parseRange(option, arg ?? '', inverted)
    else o.dst = parseRange(option, arg ?? '', inverted)
  },
  finalCheck(o, env) {
    if (!o.src && !o.dst) throw new ParameterProblem('iprange match: You must specify `--src-range\' or `--dst-range\'')
    for (const r of [o.src, o.dst]) {
      if (r && r.from > r.to) env.warn?.(`xt_iprange: range ${rangeText(r)} is reversed and will never match\n`)
    }
  },
  save(o) {
    const parts: string[] = []
    if (o.src) parts.push(`${o.src.inverted ? '! ' : ''}--src-range ${rangeText(o.src)}`)
    if (o.dst) parts.push(`${o.dst.inverted ? '! ' : ''}--dst-range ${rangeText(o.dst)}`)
    return parts.join(' ')
  },
  list(o) {
    const parts: string[] = []
    if (o.src) parts.push(`source IP range ${o.src.inverted ? '! ' : ''}${rangeText(o.src)}`)
    if (o.dst) parts.push(`destination IP range ${o.dst.inverted ? '! ' : ''}${rangeText(o.dst)}`)
    return parts.join(' ')
  },
  evaluate(o, ctx) {
    const out: ClauseResult[] = []
    for (const side of ['src', 'dst'] as const) {
      const r = o[side]
      if (!r) continue
      const text = side === 'src' ? ctx.packet.src : ctx.packet.dst
      const addr = parseStrictIPv4(text) ?? -1
      const hit = addr >= r.from && addr <= r.to
      const matched = hit !== r.inverted
      out.push({
        clause: `-m iprange ${r.inverted ? '! ' : ''}--${side}-range ${rangeText(r)}`,
        matched,
        why: `${side === 'src' ? 'source' : 'destination'} ${text} ${hit ? 'is' : 'is not'} in ${rangeText(r)}${r.inverted ? ' (negated)' : ''}`,
      })
      if (!matched) break
    }
    return out
  },
}
