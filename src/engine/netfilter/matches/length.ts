/** `-m length [!] --length N[:M]`: the IP packet's total length (XTTYPE_UINT16RC; `M` may be below `N`). */
import type { MatchModule } from '../module-api.ts'
import { xtRange } from '../xtopt.ts'

export interface LengthOptions {
  min: number
  max: number
  inverted: boolean
}

const text = (o: LengthOptions) => (o.min === o.max ? String(o.min) : `${o.min}:${o.max}`)

export const lengthMatch: MatchModule<LengthOptions> = {
  kind: 'match',
  name: 'length',
  xtopt: true,
  options: [{ name: 'length', arg: 'required', invertible: true, mandatory: true }],
  create: () => ({ min: 0, max: 0xffff, inverted: false }),
  parse(o, option, arg, inverted) {
    const v = xtRange('length', option, arg ?? '', 16).map(Number)
    Object.assign(o, { min: v[0], max: v.length > 1 ? v[1] : v[0], inverted })
  },
  save: (o) => `${o.inverted ? '! ' : ''}--length ${text(o)}`,
  list: (o) => `length ${o.inverted ? '!' : ''}${text(o)}`,
  evaluate(o, ctx) {
    const len = ctx.packet.length
    const hit = len >= o.min && len <= o.max
    return [{ clause: `-m length ${this.save(o)}`, matched: hit !== o.inverted, why: `packet length ${len} ${hit ? 'is' : 'is not'} in ${o.min}-${o.max}${o.inverted ? ' (negated)' : ''}` }]
  },
}
