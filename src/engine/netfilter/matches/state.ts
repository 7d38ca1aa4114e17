/** `-m state [!] --state LIST` (the older form of `-m conntrack --ctstate`; libxt_state is libxt_conntrack). */
import type { MatchModule } from '../module-api.ts'
import { parseNameList, STATE_STATES } from './conntrack-lists.ts'

export interface StateOptions {
  states: string[]
  inverted: boolean
}

export const stateMatch: MatchModule<StateOptions> = {
  kind: 'match',
  name: 'state',
  xtopt: true,
  options: [{ name: 'state', arg: 'required', invertible: true, mandatory: true }],
  create: () => ({ states: [], inverted: false }),
  parse(o, _option, arg, inverted) {
    o.states = parseNameList(arg ?? '', STATE_STATES, 'state', '"--state" requires a list of states with no spaces, e.g. ESTABLISHED,RELATED')
    o.inverted = inverted
  },
  save: (o) => `${o.inverted ? '! ' : ''}--state ${o.states.join(',')}`,
  list: (o) => `${o.inverted ? '! ' : ''}state ${o.states.join(',')}`,
  evaluate(o, ctx) {
    const state = ctx.ct?.state ?? 'INVALID'
    const hit = o.states.includes(state)
    return [{ clause: `-m state ${this.save(o)}`, matched: hit !== o.inverted, why: `connection state is ${state}${o.inverted ? ' (negated)' : ''}` }]
  },
}
