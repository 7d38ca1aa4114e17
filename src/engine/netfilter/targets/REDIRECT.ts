/** `-j REDIRECT [--to-ports P[-P]] [--random]`: DNAT to the incoming interface's primary address (or 127.0.0.1 locally). */
import type { TargetModule } from '../module-api.ts'
import { formatPorts, natAction, needsPortProto, parsePorts } from './nat-common.ts'

export interface RedirectOptions {
  ports?: [number, number]
  random: boolean
}

export const redirectTarget: TargetModule<RedirectOptions> = {
  kind: 'target',
  name: 'REDIRECT',
  table: 'nat',
  options: [{ name: 'to-ports', arg: 'required' }, { name: 'random', arg: 'none' }],
  create: () => ({ random: false }),
  parse(o, option, arg, _inv, env) {
    if (option === 'to-ports') {
      needsPortProto(env.protocol)
      o.ports = parsePorts(arg ?? '')
    } else o.random = true
  },
  save: (o) => [o.ports && `--to-ports ${formatPorts(o.ports)}`, o.random && '--random'].filter(Boolean).join(' '),
  list: (o) => [o.ports && `redir ports ${formatPorts(o.ports)}`, o.random && 'random'].filter(Boolean).join(' '),
  hooks: () => ['PREROUTING', 'OUTPUT'],
  apply(o, ctx) {
    // Locally generated packets are redirected to 127.0.0.1; arriving ones to the incoming interface's address.
    const inIface = ctx.hook === 'OUTPUT' ? undefined : ctx.packet.inIface
    const address = inIface ? ctx.node.primaryAddress(inIface) : '127.0.0.1'
    const nat = natAction('REDIRECT', { ports: o.ports }, o)
    if (address) nat.address = address
    return { outcome: { verdict: 'NAT', nat }, why: `redirected to this node (${address ?? '?'}${o.ports ? `:${formatPorts(o.ports)}` : ''})` }
  },
}
