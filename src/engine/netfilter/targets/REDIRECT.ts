/**
 * `-j REDIRECT [--to-ports P[-P]] [--random]` (nat PREROUTING and OUTPUT): DNAT to the incoming
 * interface's primary address (127.0.0.1 for locally generated packets). Revision 0: a shifted port range
 * is refused while parsing.
 */
import type { TargetModule } from '../module-api.ts'
import { ParameterProblem } from '../module-api.ts'
import { formatNatRange, natAction, parseNatPorts, type NatRange } from './nat-common.ts'

export interface RedirectOptions {
  ports?: NatRange
  random: boolean
}

export const redirectTarget: TargetModule<RedirectOptions> = {
  kind: 'target',
  name: 'REDIRECT',
  xtopt: true,
  table: 'nat',
  options: [{ name: 'to-ports', arg: 'required' }, { name: 'random', arg: 'none' }],
  create: () => ({ random: false }),
  parse(o, option, arg, _inv, env) {
    if (option === 'to-ports') o.ports = parseNatPorts(arg ?? '', env.protocol)
    else o.random = true
  },
  finalCheck(o) {
    if (o.ports?.base !== undefined) throw new ParameterProblem('Shifted portmap ranges not supported with this kernel')
  },
  save: (o) => [o.ports && `--to-ports ${formatNatRange(o.ports).slice(1)}`, o.random && '--random'].filter(Boolean).join(' '),
  list: (o) => [o.ports && `redir ports ${formatNatRange(o.ports).slice(1)}`, o.random && 'random'].filter(Boolean).join(' '),
  hooks: () => ['PREROUTING', 'OUTPUT'],
  apply(o, ctx) {
    // Locally generated packets are redirected to 127.0.0.1; arriving ones to the incoming interface's address.
    const inIface = ctx.hook === 'OUTPUT' ? undefined : ctx.packet.inIface
    const address = inIface ? ctx.node.primaryAddress(inIface) : '127.0.0.1'
    const nat = natAction('REDIRECT', o.ports ?? {}, o)
    if (address) nat.address = address
    const ports = o.ports ? formatNatRange(o.ports) : ''
    return { outcome: { verdict: 'NAT', nat }, why: `redirected to this node (${address ?? '?'}${ports})` }
  },
}
