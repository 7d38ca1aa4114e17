/**
 * `-m quota [!] --quota BYTES`: matches until the rule has let BYTES through, then no more (xt_quota keeps
 * the remaining bytes per rule; a packet larger than what is left empties the quota). With `!` it matches
 * once the quota is used up.
 */
import type { MatchModule } from '../module-api.ts'
import { xtUint64 } from '../xtopt.ts'

export interface QuotaOptions {
  quota: bigint
  inverted: boolean
}

export const quotaMatch: MatchModule<QuotaOptions> = {
  kind: 'match',
  name: 'quota',
  xtopt: true,
  options: [{ name: 'quota', arg: 'required', invertible: true, mandatory: true }],
  create: () => ({ quota: 0n, inverted: false }),
  parse(o, option, arg, inverted) {
    o.quota = xtUint64('quota', option, arg ?? '')
    o.inverted = inverted
  },
  save: (o) => `${o.inverted ? '! ' : ''}--quota ${o.quota}`,
  list: (o) => `quota: ${o.quota} bytes`,
  evaluate(o, ctx, stateKey) {
    const key = `quota:${stateKey}`
    const left = (ctx.state.get(key) as bigint | undefined) ?? o.quota
    const len = BigInt(ctx.packet.length)
    let hit: boolean
    if (left >= len) {
      ctx.state.set(key, left - len)
      hit = true
    } else {
      ctx.state.set(key, 0n)
      hit = false
    }
    return [{ clause: `-m quota ${this.save(o)}`, matched: hit !== o.inverted, why: `${hit ? `${left} bytes of the quota left, ${left - len} after this packet` : `the quota is used up (${left} bytes left, the packet has ${len})`}${o.inverted ? ' (negated)' : ''}` }]
  },
}
