/** `-m state --state` (the older form of `-m conntrack --ctstate`). */
import type { MatchModule } from '../module-api.ts'
import { ParameterProblem } from '../module-api.ts'
import { parseStateList } from './conntrack.ts'

const STATES = ['INVALID', 'NEW', 'RELATED', 'ESTABLISHED', 'UNTRACKED'] as const

export interface StateOptions {
  states: string[]
  inverted: boolean
}

export const stateMatch: MatchModule<StateOptions> = {
  kind: 'match',
  name: 'state',
  options: [{ name: 'state', arg: 'required', invertible: true }],
  create: () => ({ states: [], inverted: false }),
  parse(o, _option, arg, inverted) {
    o.states = parseStateList(arg ?? '', STATES, 'state')
    o.inverted = inverted
  },
  finalCheck(o) {
    if (o.states.length === 0) throw new ParameterProblem('state: option "--state" must be specified\n')
  },
  save: (o) => `${o.inverted ? '! ' : ''}--state ${o.states.join(',')}`,
  list: (o) => `${o.inverted ? '! ' : ''}state ${o.states.join(',')}`,
  evaluate(o, ctx) {
    const state = ctx.ct?.state ?? 'INVALID'
    const hit = o.states.includes(state)
    return [{ clause: `-m state ${this.save(o)}`, matched: hit !== o.inverted, why: `connection state is ${state}${o.inverted ? ' (negated)' : ''}` }]
  },
}
