/**
 * `-m tos [!] --tos value[/mask] | symbol`: the IP TOS byte under a mask. A symbol (Minimize-Delay, ...)
 * takes the mask 0x3f (revision 1), and `-L` prints such a rule by its symbol again.
 */
import type { MatchModule } from '../module-api.ts'
import { xtTosMask, tosSymbolName } from '../xtopt.ts'
import { hex2 } from './dscp-classes.ts'

export interface TosMatchOptions {
  value: number
  mask: number
  inverted: boolean
}

export const tosMatch: MatchModule<TosMatchOptions> = {
  kind: 'match',
  name: 'tos',
  xtopt: true,
  options: [{ name: 'tos', arg: 'required', invertible: true, mandatory: true }],
  create: () => ({ value: 0, mask: 0, inverted: false }),
  parse(o, _option, arg, inverted) {
    Object.assign(o, xtTosMask(arg ?? '', 0x3f), { inverted })
  },
  save: (o) => `${o.inverted ? '! ' : ''}--tos ${hex2(o.value)}/${hex2(o.mask)}`,
  list(o, numeric) {
    const symbol = o.mask === 0x3f ? tosSymbolName(o.value) : undefined
    if (!numeric && symbol) return `tos match${o.inverted ? '!' : ''} ${symbol}`
    return `tos match${o.inverted ? '!' : ''}${hex2(o.value)}/${hex2(o.mask)}`
  },
  evaluate(o, ctx) {
    const tos = ctx.packet.tos ?? 0
    const hit = (tos & o.mask) === o.value
    return [{ clause: `-m tos ${this.save(o)}`, matched: hit !== o.inverted, why: `TOS ${hex2(tos)} & ${hex2(o.mask)} ${hit ? 'is' : 'is not'} ${hex2(o.value)}${o.inverted ? ' (negated)' : ''}` }]
  },
}
