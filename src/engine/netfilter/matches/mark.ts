/** `-m mark --mark VALUE[/MASK]`: the packet's mark (skb->mark), e.g. kube-proxy's 0x4000 masquerade bit. */
import type { MatchModule } from '../module-api.ts'
import { ParameterProblem } from '../module-api.ts'
import { formatMarkMask, hex, parseMarkMask } from '../values.ts'

export interface MarkOptions {
  value: number
  mask: number
  inverted: boolean
  given: boolean
}

export const markMatch: MatchModule<MarkOptions> = {
  kind: 'match',
  name: 'mark',
  xtopt: true,
  options: [{ name: 'mark', arg: 'required', invertible: true }],
  create: () => ({ value: 0, mask: 0xffffffff, inverted: false, given: false }),
  parse(o, _option, arg, inverted) {
    const m = parseMarkMask(arg ?? '', 'mark', 'mark')
    Object.assign(o, { value: m.value, mask: m.mask, inverted, given: true })
  },
  finalCheck(o) {
    if (!o.given) throw new ParameterProblem('mark: option "--mark" must be specified\n')
  },
  save: (o) => `${o.inverted ? '! ' : ''}--mark ${formatMarkMask(o.value, o.mask)}`,
  list: (o) => `mark match ${o.inverted ? '! ' : ''}${formatMarkMask(o.value, o.mask)}`,
  evaluate(o, ctx) {
    const mark = ctx.packet.mark >>> 0
    const hit = ((mark & o.mask) >>> 0) === o.value
    return [{
      clause: `-m mark ${this.save(o)}`,
      matched: hit !== o.inverted,
      why: `packet mark ${hex(mark)}${o.mask !== 0xffffffff ? ` & ${hex(o.mask)} = ${hex((mark & o.mask) >>> 0)}` : ''} ${hit ? 'equals' : 'does not equal'} ${hex(o.value)}${o.inverted ? ' (negated)' : ''}`,
    }]
  },
}
