/**
 * `-j DNAT --to-destination ADDR[-ADDR][:PORT[-PORT[/BASE]]] [--random] [--persistent]` (nat PREROUTING
 * and OUTPUT; revision 2, so shifted port ranges are kept).
 */
import type { TargetModule } from '../module-api.ts'
import { formatNatRange, natAction, parseNatRange, type NatRange } from './nat-common.ts'

export interface DnatOptions {
  to?: NatRange
  random: boolean
  persistent: boolean
}

export const dnatTarget: TargetModule<DnatOptions> = {
  kind: 'target',
  name: 'DNAT',
  xtopt: true,
  table: 'nat',
  options: [{ name: 'to-destination', arg: 'required', mandatory: true }, { name: 'random', arg: 'none' }, { name: 'persistent', arg: 'none' }],
  create: () => ({ random: false, persistent: false }),
  parse(o, option, arg, _inv, env) {
    if (option === 'to-destination') o.to = parseNatRange(arg ?? '', env.protocol)
    else if (option === 'random') o.random = true
    else o.persistent = true
  },
  save: (o) => [`--to-destination ${formatNatRange(o.to ?? {})}`, o.random && '--random', o.persistent && '--persistent'].filter(Boolean).join(' '),
  list: (o) => [`to:${formatNatRange(o.to ?? {})}`, o.random && 'random', o.persistent && 'persistent'].filter(Boolean).join(' '),
  hooks: () => ['PREROUTING', 'OUTPUT'],
  apply(o) {
    const nat = natAction('DNAT', o.to ?? {}, o)
    return { outcome: { verdict: 'NAT', nat }, why: `destination rewritten to ${formatNatRange(o.to ?? {})}` }
  },
}
