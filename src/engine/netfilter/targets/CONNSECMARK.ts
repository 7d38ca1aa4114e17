/**
 * `-j CONNSECMARK --save | --restore` (mangle and security tables): copy the packet's security mark to
 * its connection, or back. Security marks come from SECMARK, which this node cannot load (no SELinux), so
 * both directions find nothing to copy.
 */
import type { TargetModule } from '../module-api.ts'
import { ParameterProblem } from '../module-api.ts'

export interface ConnsecmarkOptions {
  mode?: 'save' | 'restore'
}

export const connsecmarkTarget: TargetModule<ConnsecmarkOptions> = {
  kind: 'target',
  name: 'CONNSECMARK',
  xtopt: true,
  options: [{ name: 'save', arg: 'none', excl: ['restore'] }, { name: 'restore', arg: 'none', excl: ['save'] }],
  create: () => ({}),
  parse(o, option) {
    o.mode = option === 'save' ? 'save' : 'restore'
  },
  finalCheck(o) {
    if (!o.mode) throw new ParameterProblem('CONNSECMARK target: parameter required')
  },
  kernelCheck: (_o, _rule, table) => (table === 'mangle' || table === 'security' ? undefined : 'EINVAL'),
  save: (o) => `--${o.mode}`,
  list: (o) => `CONNSECMARK ${o.mode}`,
  apply(o, ctx) {
    const entry = ctx.ct?.entry
    if (!entry) return { outcome: { verdict: 'CONTINUE' }, why: 'no conntrack entry: nothing to copy' }
    if (o.mode === 'save') {
      const mark = ctx.packet.secmark ?? 0
      if (!mark || entry.secmark) return { outcome: { verdict: 'CONTINUE' }, why: entry.secmark ? 'the connection has a security mark already' : 'the packet has no security mark to save' }
      return { outcome: { verdict: 'CONTINUE' }, conn: { secmark: mark }, why: `security mark ${mark} saved on the connection` }
    }
    if (ctx.packet.secmark || !entry.secmark) return { outcome: { verdict: 'CONTINUE' }, why: ctx.packet.secmark ? 'the packet has a security mark already' : 'the connection has no security mark to restore' }
    return { outcome: { verdict: 'CONTINUE' }, packet: { secmark: entry.secmark }, why: `security mark ${entry.secmark} restored from the connection` }
  },
}
