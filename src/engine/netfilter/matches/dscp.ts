/** `-m dscp [!] --dscp N | --dscp-class NAME`: the six DSCP bits of the IP TOS byte. */
import type { MatchModule } from '../module-api.ts'
import { ParameterProblem } from '../module-api.ts'
import { xtUint } from '../xtopt.ts'
import { dscpOfClass, hex2 } from './dscp-classes.ts'

export interface DscpOptions {
  dscp?: number
  inverted: boolean
}

export const dscpMatch: MatchModule<DscpOptions> = {
  kind: 'match',
  name: 'dscp',
  xtopt: true,
  options: [
    { name: 'dscp', arg: 'required', invertible: true, excl: ['dscp-class'] },
    { name: 'dscp-class', arg: 'required', invertible: true, excl: ['dscp'] },
  ],
  create: () => ({ inverted: false }),
  parse(o, option, arg, inverted) {
    o.dscp = option === 'dscp' ? xtUint('dscp', option, arg ?? '', 8, 0, 63) : dscpOfClass(arg ?? '')
    o.inverted = inverted
  },
  finalCheck(o) {
    if (o.dscp === undefined) throw new ParameterProblem('DSCP match: Parameter --dscp is required')
  },
  save: (o) => `${o.inverted ? '! ' : ''}--dscp ${hex2(o.dscp ?? 0)}`,
  list: (o) => `DSCP match ${o.inverted ? '!' : ''}${hex2(o.dscp ?? 0)}`,
  evaluate(o, ctx) {
    const dscp = (ctx.packet.tos ?? 0) >> 2
    const hit = dscp === o.dscp
    return [{ clause: `-m dscp ${this.save(o)}`, matched: hit !== o.inverted, why: `the packet's DSCP is ${hex2(dscp)}${o.inverted ? ' (negated)' : ''}` }]
  },
}
