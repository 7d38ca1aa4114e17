/** `-j SNAT --to-source ADDR[-ADDR][:PORT[-PORT]] [--random] [--random-fully] [--persistent]`: nat POSTROUTING/INPUT. */
import type { TargetModule } from '../module-api.ts'
import { ParameterProblem } from '../module-api.ts'
import { formatNatRange, natAction, parseNatRange, type NatRange } from './nat-common.ts'

export interface SnatOptions {
  to?: NatRange
  random: boolean
  randomFully: boolean
  persistent: boolean
}

export const snatTarget: TargetModule<SnatOptions> = {
  kind: 'target',
  name: 'SNAT',
  table: 'nat',
  options: [
    { name: 'to-source', arg: 'required' }, { name: 'random', arg: 'none' }, { name: 'random-fully', arg: 'none' },
    { name: 'persistent', arg: 'none' },
  ],
  create: () => ({ random: false, randomFully: false, persistent: false }),
  parse(o, option, arg, _inv, env) {
    if (option === 'to-source') {
      if (o.to) throw new ParameterProblem('SNAT: Multiple --to-source not supported')
      o.to = parseNatRange(arg ?? '', env.protocol)
    } else if (option === 'random') o.random = true
    else if (option === 'random-fully') o.randomFully = true
    else o.persistent = true
  },
  finalCheck(o) {
    if (!o.to) throw new ParameterProblem('SNAT: option "--to-source" must be specified\n')
  },
  save: (o) => [`--to-source ${formatNatRange(o.to ?? {})}`, o.random && '--random', o.randomFully && '--random-fully', o.persistent && '--persistent'].filter(Boolean).join(' '),
  list: (o) => [`to:${formatNatRange(o.to ?? {})}`, o.random && 'random', o.randomFully && 'random-fully', o.persistent && 'persistent'].filter(Boolean).join(' '),
  hooks: () => ['POSTROUTING', 'INPUT'],
  apply(o) {
    const nat = natAction('SNAT', o.to ?? {}, o)
    return { outcome: { verdict: 'NAT', nat }, why: `source rewritten to ${formatNatRange(o.to ?? {})}` }
  },
}
