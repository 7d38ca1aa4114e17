/**
 * `-j MASQUERADE [--to-ports P[-P]] [--random] [--random-fully]` (nat POSTROUTING): SNAT to the outgoing
 * interface's address. As for SNAT, `P-P/BASE` keeps the shift flag with base 0.
 */
import type { TargetModule } from '../module-api.ts'
import { formatNatRange, natAction, parseNatPorts, type NatRange } from './nat-common.ts'

export interface MasqueradeOptions {
  ports?: NatRange
  random: boolean
  randomFully: boolean
}

export const masqueradeTarget: TargetModule<MasqueradeOptions> = {
  kind: 'target',
  name: 'MASQUERADE',
  xtopt: true,
  table: 'nat',
  options: [{ name: 'to-ports', arg: 'required' }, { name: 'random', arg: 'none' }, { name: 'random-fully', arg: 'none' }],
  create: () => ({ random: false, randomFully: false }),
  parse(o, option, arg, _inv, env) {
    if (option === 'to-ports') {
      o.ports = parseNatPorts(arg ?? '', env.protocol)
      if (o.ports.base !== undefined) o.ports.base = 0
    } else if (option === 'random') o.random = true
    else o.randomFully = true
  },
  save: (o) => [o.ports && `--to-ports ${formatNatRange(o.ports).slice(1)}`, o.random && '--random', o.randomFully && '--random-fully'].filter(Boolean).join(' '),
  list: (o) => [o.ports && `masq ports: ${formatNatRange(o.ports).slice(1)}`, o.random && 'random', o.randomFully && 'random-fully'].filter(Boolean).join(' '),
  hooks: () => ['POSTROUTING'],
  apply(o, ctx) {
    const out = ctx.packet.outIface
    const address = out ? ctx.node.primaryAddress(out) : undefined
    const nat = natAction('MASQUERADE', o.ports ?? {}, o)
    if (address) nat.address = address
    return { outcome: { verdict: 'NAT', nat }, why: `source rewritten to ${address ?? "the outgoing interface's address"}${out ? ` (${out})` : ''}` }
  },
}
