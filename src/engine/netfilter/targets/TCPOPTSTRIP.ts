/**
 * `-j TCPOPTSTRIP [--strip-options KIND,...]` (mangle table, `-p tcp`): overwrite the listed TCP options
 * with NOPs, so the header keeps its length. Kinds 0 (end of list) and 1 (NOP) cannot be stripped.
 */
import type { TargetModule } from '../module-api.ts'
import { ParameterProblem } from '../module-api.ts'
import { xtStrtoui } from '../xtopt.ts'
import { tcpOptionLength } from '../packet-bytes.ts'

export interface TcpoptstripOptions {
  kinds: number[]
}

const NAMES: [string, number][] = [['wscale', 3], ['mss', 2], ['sack-permitted', 4], ['sack', 5], ['timestamp', 8], ['md5', 19]]

function kindOf(token: string): number {
  const named = NAMES.find(([n]) => n === token)
  const kind = named ? named[1] : xtStrtoui(token, 0, 255)
  if (kind === undefined) throw new ParameterProblem(`Bad TCP option value "${token}"`)
  if (kind < 2) throw new ParameterProblem('Option value may not be 0 or 1')
  return kind
}

export const tcpoptstripTarget: TargetModule<TcpoptstripOptions> = {
  kind: 'target',
  name: 'TCPOPTSTRIP',
  xtopt: true,
  table: 'mangle',
  proto: 6,
  options: [{ name: 'strip-options', arg: 'required' }],
  create: () => ({ kinds: [] }),
  parse(o, _option, arg) {
    const seen = new Set<number>()
    for (const token of (arg ?? '').split(',')) {
      const kind = kindOf(token)
      if (seen.has(kind)) throw new ParameterProblem(`Option "${token}" already specified`)
      seen.add(kind)
    }
    o.kinds = [...seen].sort((a, b) => a - b)
  },
  save: (o) => (o.kinds.length ? `--strip-options ${o.kinds.join(',')}` : ''),
  list(o, numeric) {
    if (!o.kinds.length) return ''
    const words = o.kinds.map((k) => (numeric ? String(k) : (NAMES.find(([, v]) => v === k)?.[0] ?? String(k))))
    return `TCPOPTSTRIP options ${words.join(',')}`
  },
  apply(o, ctx) {
    const p = ctx.packet
    if (p.proto !== 'tcp') return { outcome: { verdict: 'CONTINUE' }, why: 'not a TCP segment' }
    const strip = new Set(o.kinds)
    const nops = (kind: number) => new Array<number>(tcpOptionLength(kind)).fill(1)
    const stripped: number[] = []
    const options: number[] = []
    if (p.tcpMss !== undefined && strip.has(2)) {
      stripped.push(2)
      options.push(...nops(2))
    }
    for (const kind of p.tcpOptions ?? []) {
      if (strip.has(kind)) {
        stripped.push(kind)
        options.push(...nops(kind))
      } else options.push(kind)
    }
    if (!stripped.length) return { outcome: { verdict: 'CONTINUE' }, why: 'the segment carries none of these options' }
    const packet: Partial<typeof p> = { tcpOptions: options }
    if (stripped.includes(2)) packet.tcpMss = undefined
    return { outcome: { verdict: 'CONTINUE' }, packet, why: `options ${stripped.join(',')} overwritten with NOPs` }
  },
}
