/**
 * `-j SNAT --to-source ADDR[-ADDR][:PORT[-PORT]] [--random] [--random-fully] [--persistent]` (nat
 * POSTROUTING and INPUT). The kernel structure of SNAT has no base port: `PORT-PORT/BASE` keeps the shift
 * flag with base 0 (printed `/0`).
 */
import type { TargetModule } from '../module-api.ts'
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
  xtopt: true,
  table: 'nat',
  options: [
    { name: 'to-source', arg: 'required', mandatory: true }, { name: 'random', arg: 'none' }, { name: 'random-fully', arg: 'none' },
    { name: 'persistent', arg: 'none' },
  ],
  create: () => ({ random: false, randomFully: false, persistent: false }),
  parse(o, option, arg, _inv, env) {
    if (option === 'to-source') {
      o.to = parseNatRange(arg ?? '', env.protocol)
      if (o.to.base !== undefined) o.to.base = 0
    } else if (option === 'random') o.random = true
    else if (option === 'random-fully') o.randomFully = true
    else o.persistent = true
  },
  save: (o) => [`--to-source ${formatNatRange(o.to ?? {})}`, o.random && '--random', o.randomFully && '--random-fully', o.persistent && '--persistent'].filter(Boolean).join(' '),
  list: (o) => [`to:${formatNatRange(o.to ?? {})}`, o.random && 'random', o.randomFully && 'random-fully', o.persistent && 'persistent'].filter(Boolean).join(' '),
  hooks: () => ['POSTROUTING', 'INPUT'],
  apply(o) {
    const nat = natAction('SNAT', o.to ?? {}, o)
    return { outcome: { verdict: 'NAT', nat }, why: `source rewritten to ${formatNatRange(o.to ?? {})}` }
  },
}
