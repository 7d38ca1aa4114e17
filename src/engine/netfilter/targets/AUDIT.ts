/**
 * `-j AUDIT --type accept|drop|reject`: send an audit record (NETFILTER_PKT) for the packet to the kernel's
 * audit subsystem, for auditd. Non-terminating: the type only labels the record.
 */
import type { TargetModule } from '../module-api.ts'
import { ParameterProblem } from '../module-api.ts'
import { parseProtocol } from '../protocols.ts'

export interface AuditOptions {
  type: 'accept' | 'drop' | 'reject'
}

const TYPES = ['accept', 'drop', 'reject'] as const

export const auditTarget: TargetModule<AuditOptions> = {
  kind: 'target',
  name: 'AUDIT',
  xtopt: true,
  options: [{ name: 'type', arg: 'required', mandatory: true }],
  create: () => ({ type: 'accept' }),
  parse(o, _option, arg) {
    const t = TYPES.find((x) => x === (arg ?? '').toLowerCase())
    if (!t) throw new ParameterProblem(`Bad action type value "${arg ?? ''}"`)
    o.type = t
  },
  save: (o) => `--type ${o.type}`,
  list: (o) => `AUDIT ${o.type}`,
  apply(o, ctx) {
    const p = ctx.packet
    const proto = typeof p.proto === 'number' ? p.proto : (parseProtocol(p.proto) ?? 0)
    return {
      outcome: { verdict: 'CONTINUE' },
      why: `audit record (${o.type}): mark=0x${(p.mark >>> 0).toString(16)} saddr=${p.src} daddr=${p.dst} proto=${proto}, for auditd (not the kernel log)`,
    }
  },
}
