/** `-m ttl --ttl-eq/--ttl-lt/--ttl-gt N`: the IP time-to-live. */
import type { MatchModule } from '../module-api.ts'
import { ParameterProblem, checkExclusive, xtopt } from '../module-api.ts'

type Mode = 'eq' | 'ne' | 'lt' | 'gt'
const SYMBOL: Record<Mode, string> = { eq: '==', ne: '!=', lt: '<', gt: '>' }

export interface TtlOptions {
  mode?: Mode
  value: number
  seen?: string[]
}

/** libxt_ttl's option table order, and its enum (id) order. */
const TABLE_ORDER = ['ttl-lt', 'ttl-gt', 'ttl-eq']
const ID_ORDER = ['ttl-eq', 'ttl-lt', 'ttl-gt']
const RANGE: Record<string, [number, number]> = { 'ttl-eq': [0, 255], 'ttl-lt': [1, 255], 'ttl-gt': [0, 254] }

export const ttlMatch: MatchModule<TtlOptions> = {
  kind: 'match',
  name: 'ttl',
  options: [{ name: 'ttl-eq', arg: 'required', invertible: true }, { name: 'ttl-lt', arg: 'required' }, { name: 'ttl-gt', arg: 'required' }],
  create: () => ({ value: 0 }),
  parse(o, option, arg, inverted) {
    if (inverted && option !== 'ttl-eq') throw xtopt.cannotInvert('ttl', option)
    o.seen = [...(o.seen ?? []), option]
    const [lo, hi] = RANGE[option]
    const n = /^[0-9]+$/.test(arg ?? '') ? Number(arg) : NaN
    if (!(n >= lo && n <= hi)) throw new ParameterProblem(`ttl: bad value for option "--${option}", or out of range (${lo}-${hi}).\n`)
    o.value = n
    o.mode = option === 'ttl-eq' ? (inverted ? 'ne' : 'eq') : option === 'ttl-lt' ? 'lt' : 'gt'
  },
  finalCheck(o) {
    checkExclusive('ttl', TABLE_ORDER, new Set(o.seen ?? []), [TABLE_ORDER], ID_ORDER)
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
