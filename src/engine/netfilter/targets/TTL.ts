/**
 * `-j TTL --ttl-set N | --ttl-dec N | --ttl-inc N` (mangle table): rewrite the IP time to live, clamped to
 * 0-255. The kernel refuses a decrement or increment by 0.
 */
import type { TargetModule } from '../module-api.ts'
import { ParameterProblem } from '../module-api.ts'
import { xtUint } from '../xtopt.ts'

export interface TtlTargetOptions {
  mode: 'set' | 'dec' | 'inc'
  value: number
}

const WORDS = { set: 'set to', dec: 'decrement by', inc: 'increment by' }

export const ttlTarget: TargetModule<TtlTargetOptions> = {
  kind: 'target',
  name: 'TTL',
  xtopt: true,
  table: 'mangle',
  options: [
    { name: 'ttl-set', arg: 'required', excl: ['ttl-dec', 'ttl-inc'] },
    { name: 'ttl-dec', arg: 'required', excl: ['ttl-set', 'ttl-inc'] },
    { name: 'ttl-inc', arg: 'required', excl: ['ttl-set', 'ttl-dec'] },
  ],
  create: () => ({ mode: 'set', value: 0 }),
  parse(o, option, arg) {
    o.mode = option === 'ttl-set' ? 'set' : option === 'ttl-dec' ? 'dec' : 'inc'
    o.value = xtUint('TTL', option, arg ?? '', 8, o.mode === 'set' ? 0 : 1)
  },
  finalCheck(_o, env) {
    if (env.seen.length === 0) throw new ParameterProblem('TTL: You must specify an action')
  },
  save: (o) => `--ttl-${o.mode} ${o.value}`,
  list: (o) => `TTL ${WORDS[o.mode]} ${o.value}`,
  apply(o, ctx) {
    const ttl = ctx.packet.ttl
    const next = o.mode === 'set' ? o.value : o.mode === 'dec' ? Math.max(0, ttl - o.value) : Math.min(255, ttl + o.value)
    return { outcome: { verdict: 'CONTINUE' }, packet: { ttl: next }, why: `TTL ${ttl} -> ${next}` }
  },
}
