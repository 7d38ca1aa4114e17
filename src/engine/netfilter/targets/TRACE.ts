/**
 * `-j TRACE`: mark the packet for tracing (`xtables-monitor --trace`); evaluation continues. With the
 * nf_tables backend it is accepted in any table (measured), not only raw.
 */
import type { TargetModule } from '../module-api.ts'

export const traceTarget: TargetModule<Record<string, never>> = {
  kind: 'target',
  name: 'TRACE',
  options: [],
  create: () => ({}),
  parse: () => undefined,
  save: () => '',
  list: () => '',
  apply: () => ({ outcome: { verdict: 'CONTINUE' }, why: 'packet marked for tracing (nftrace); evaluation continues' }),
}
