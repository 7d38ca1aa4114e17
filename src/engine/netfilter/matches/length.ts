/** `-m length --length N[:M]`: the IP packet's total length. */
import type { MatchModule } from '../module-api.ts'
import { ParameterProblem, xtopt } from '../module-api.ts'

export interface LengthOptions {
  min: number
  max: number
  inverted: boolean
  given: boolean
}

export const lengthMatch: MatchModule<LengthOptions> = {
  kind: 'match',
  name: 'length',
  options: [{ name: 'length', arg: 'required', invertible: true }],
  create: () => ({ min: 0, max: 0xffff, inverted: false, given: false }),
  parse(o, option, arg, inverted) {
    const text = arg ?? ''
    const m = /^([0-9]*)(?::([0-9]*))?$/.exec(text)
    const min = m && m[1] !== '' ? Number(m[1]) : m && m[2] !== undefined ? 0 : NaN
    const max = m && m[2] !== undefined ? (m[2] === '' ? 0xffff : Number(m[2])) : min
    if (!(min >= 0 && min <= 0xffff && max >= 0 && max <= 0xffff)) throw xtopt.badValue('length', option, text)
    Object.assign(o, { min, max, inverted, given: true })
  },
  finalCheck(o) {
    if (!o.given) throw new ParameterProblem('length: option "--length" must be specified\n')
  },
  save: (o) => `${o.inverted ? '! ' : ''}--length ${o.min === o.max ? o.min : `${o.min}:${o.max}`}`,
  list: (o) => `length ${o.inverted ? '!' : ''}${o.min === o.max ? o.min : `${o.min}:${o.max}`}`,
  evaluate(o, ctx) {
    const len = ctx.packet.length
    const hit = len >= o.min && len <= o.max
    return [{ clause: `-m length ${this.save(o)}`, matched: hit !== o.inverted, why: `packet length ${len} ${hit ? 'is' : 'is not'} in ${o.min}-${o.max}${o.inverted ? ' (negated)' : ''}` }]
  },
}
