/** `-j MASQUERADE [--to-ports P[-P]] [--random] [--random-fully]`: SNAT to the outgoing interface's address. */
import type { TargetModule } from '../module-api.ts'
import { formatPorts, natAction, needsPortProto, parsePorts } from './nat-common.ts'

export interface MasqueradeOptions {
  ports?: [number, number]
  random: boolean
  randomFully: boolean
}

export const masqueradeTarget: TargetModule<MasqueradeOptions> = {
  kind: 'target',
  name: 'MASQUERADE',
  table: 'nat',
  options: [{ name: 'to-ports', arg: 'required' }, { name: 'random', arg: 'none' }, { name: 'random-fully', arg: 'none' }],
  create: () => ({ random: false, randomFully: false }),
  parse(o, option, arg, _inv, env) {
    if (option === 'to-ports') {
      needsPortProto(env.protocol)
      o.ports = parsePorts(arg ?? '')
    } else if (option === 'random') o.random = true
    else o.randomFully = true
  },
  save: (o) => [o.ports && `--to-ports ${formatPorts(o.ports)}`, o.random && '--random', o.randomFully && '--random-fully'].filter(Boolean).join(' '),
  list: (o) => [o.ports && `masq ports: ${formatPorts(o.ports)}`, o.random && 'random', o.randomFully && 'random-fully'].filter(Boolean).join(' '),
  hooks: () => ['POSTROUTING'],
  apply(o, ctx) {
    const out = ctx.packet.outIface
    const address = out ? ctx.node.primaryAddress(out) : undefined
    const nat = natAction('MASQUERADE', { ports: o.ports }, o)
    if (address) nat.address = address
    return { outcome: { verdict: 'NAT', nat }, why: `source rewritten to ${address ?? "the outgoing interface's address"}${out ? ` (${out})` : ''}` }
  },
}
