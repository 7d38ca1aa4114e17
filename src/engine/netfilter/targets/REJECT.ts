/**
 * `-j REJECT [--reject-with TYPE]`: drop and answer with an ICMP error or a TCP reset. The kernel's xt
 * target is restricted to the filter table and the INPUT, FORWARD and OUTPUT hooks; `tcp-reset` needs a
 * rule limited to `-p tcp`.
 */
import type { TargetModule } from '../module-api.ts'
import { ParameterProblem } from '../module-api.ts'
import type { RejectKind } from '../types.ts'

const KINDS: [RejectKind, string][] = [
  ['icmp-net-unreachable', 'net-unreach'], ['icmp-host-unreachable', 'host-unreach'],
  ['icmp-port-unreachable', 'port-unreach'], ['icmp-proto-unreachable', 'proto-unreach'],
  ['icmp-net-prohibited', 'net-prohib'], ['icmp-host-prohibited', 'host-prohib'],
  ['tcp-reset', 'tcp-rst'], ['icmp-admin-prohibited', 'admin-prohib'],
]

export interface RejectOptions {
  with: RejectKind
}

export const rejectTarget: TargetModule<RejectOptions> = {
  kind: 'target',
  name: 'REJECT',
  xtopt: true,
  table: 'filter',
  options: [{ name: 'reject-with', arg: 'required' }],
  create: () => ({ with: 'icmp-port-unreachable' }),
  parse(o, _option, arg) {
    const found = KINDS.find(([name, alias]) => name === arg || alias === arg)
    if (!found) throw new ParameterProblem(`unknown reject type "${arg}"`)
    o.with = found[0]
  },
  save: (o) => `--reject-with ${o.with}`,
  list: (o) => `reject-with ${o.with}`,
  hooks: () => ['INPUT', 'FORWARD', 'OUTPUT'],
  kernelCheck(o, rule) {
    if (o.with === 'tcp-reset' && (rule.protocol !== 6 || rule.protocolInverted)) return 'EINVAL'
    return undefined
  },
  apply(o) {
    return { outcome: { verdict: 'REJECT', kind: o.with }, why: `rejected with ${o.with}` }
  },
}
