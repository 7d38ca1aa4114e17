/** `-m ttl --ttl-eq/--ttl-lt/--ttl-gt N` (and `--ttl`, the old name of `--ttl-eq`): the IP time-to-live. */
import type { MatchModule } from '../module-api.ts'
import { ParameterProblem } from '../module-api.ts'
import { xtUint } from '../xtopt.ts'

type Mode = 'eq' | 'ne' | 'lt' | 'gt'
const SYMBOL: Record<Mode, string> = { eq: '==', ne: '!=', lt: '<', gt: '>' }

export interface TtlOptions {
  mode?: Mode
  value: number
}

const ANY = ['ttl-lt', 'ttl-gt', 'ttl-eq']

export const ttlMatch: MatchModule<TtlOptions> = {
  kind: 'match',
  name: 'ttl',
  xtopt: true,
  // libipt_ttl's table order, with its enum ids (eq 0, lt 1, gt 2); each option excludes all three.
  options: [
    { name: 'ttl-lt', arg: 'required', id: 1, excl: ANY }, { name: 'ttl-gt', arg: 'required', id: 2, excl: ANY },
    { name: 'ttl-eq', arg: 'required', invertible: true, id: 0, excl: ANY }, { name: 'ttl', arg: 'required', id: 0, excl: ANY },
  ],
  create: () => ({ value: 0 }),
  parse(o, option, arg, inverted) {
    o.value = xtUint('ttl', option, arg ?? '', 8)
    o.mode = option === 'ttl-eq' ? (inverted ? 'ne' : 'eq') : option === 'ttl-lt' ? 'lt' : 'gt'
  },
  finalCheck(o) {
    if (!o.mode) throw new ParameterProblem("TTL match: You must specify one of `--ttl-eq', `--ttl-lt', `--ttl-gt")
  },
  save(o) {
    if (o.mode === 'ne') return `! --ttl-eq ${o.value}`
    return `--ttl-${o.mode} ${o.value}`
  },
  list: (o) => `TTL match TTL ${SYMBOL[o.mode ?? 'eq']} ${o.value}`,
  evaluate(o, ctx) {
    const ttl = ctx.packet.ttl
    const hit = o.mode === 'eq' ? ttl === o.value : o.mode === 'ne' ? ttl !== o.value : o.mode === 'lt' ? ttl < o.value : ttl > o.value
    return [{ clause: `-m ttl ${this.save(o)}`, matched: hit, why: `TTL ${ttl} ${hit ? 'is' : 'is not'} ${SYMBOL[o.mode ?? 'eq']} ${o.value}` }]
  },
}
