/** `-m connmark [!] --mark VALUE[/MASK]`: the connection's mark (ct->mark). */
import type { MatchModule } from '../module-api.ts'
import { formatMarkMask, hex } from '../values.ts'
import { xtMarkMask } from '../xtopt.ts'

export interface ConnmarkOptions {
  value: number
  mask: number
  inverted: boolean
}

export const connmarkMatch: MatchModule<ConnmarkOptions> = {
  kind: 'match',
  name: 'connmark',
  xtopt: true,
  options: [{ name: 'mark', arg: 'required', invertible: true, mandatory: true }],
  create: () => ({ value: 0, mask: 0xffffffff, inverted: false }),
  parse(o, option, arg, inverted) {
    Object.assign(o, xtMarkMask('connmark', option, arg ?? ''), { inverted })
  },
  save: (o) => `${o.inverted ? '! ' : ''}--mark ${formatMarkMask(o.value, o.mask)}`,
  list: (o) => `connmark match ${o.inverted ? '!' : ''} ${formatMarkMask(o.value, o.mask)}`,
  evaluate(o, ctx) {
    const clause = `-m connmark ${this.save(o)}`
    const entry = ctx.ct?.entry
    if (!entry) return [{ clause, matched: false, why: 'the packet has no conntrack entry' }]
    const hit = ((entry.mark & o.mask) >>> 0) === o.value
    return [{ clause, matched: hit !== o.inverted, why: `connection mark ${hex(entry.mark)} ${hit ? 'matches' : 'does not match'} ${formatMarkMask(o.value, o.mask)}${o.inverted ? ' (negated)' : ''}` }]
  },
}
