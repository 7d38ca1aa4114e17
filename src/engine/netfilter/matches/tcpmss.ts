/**
 * `-m tcpmss [!] --mss value[:value]`: the MSS option of a TCP SYN or SYN-ACK (needs `-p tcp`, EINVAL
 * otherwise). A segment without an MSS option gives the inversion flag (xt_tcpmss: `return info->invert`):
 * `--mss` does not match it, `! --mss` does.
 */
import type { MatchModule } from '../module-api.ts'
import { ParameterProblem } from '../module-api.ts'
import { xtRange } from '../xtopt.ts'

export interface TcpmssMatchOptions {
  min: number
  max: number
  inverted: boolean
}

const value = (o: TcpmssMatchOptions) => (o.min === o.max ? String(o.min) : `${o.min}:${o.max}`)

export const tcpmssMatch: MatchModule<TcpmssMatchOptions> = {
  kind: 'match',
  name: 'tcpmss',
  xtopt: true,
  proto: 6,
  options: [{ name: 'mss', arg: 'required', invertible: true, mandatory: true }],
  create: () => ({ min: 0, max: 0, inverted: false }),
  parse(o, option, arg, inverted) {
    const v = xtRange('tcpmss', option, arg ?? '', 16).map(Number)
    o.min = v[0]
    o.max = v.length > 1 ? v[1] : v[0]
    if (o.max < o.min) throw new ParameterProblem('tcpmss: invalid range given')
    o.inverted = inverted
  },
  save: (o) => `${o.inverted ? '! ' : ''}--mss ${value(o)}`,
  list: (o) => `tcpmss match ${o.inverted ? '!' : ''}${value(o)}`,
  evaluate(o, ctx) {
    const clause = `-m tcpmss ${this.save(o)}`
    const mss = ctx.packet.tcpMss
    // xt_tcpmss reads the options of any TCP segment: without an MSS option it returns the inversion
    // flag, so `! --mss` matches (measured).
    if (mss === undefined) return [{ clause, matched: o.inverted, why: `the segment carries no MSS option${o.inverted ? ': the negated match holds' : ''}` }]
    const hit = mss >= o.min && mss <= o.max
    return [{ clause, matched: hit !== o.inverted, why: `MSS option ${mss} ${hit ? 'is' : 'is not'} in ${o.min}-${o.max}${o.inverted ? ' (negated)' : ''}` }]
  },
}
