/**
 * `-m limit --limit RATE/UNIT --limit-burst N`: a token bucket per rule, as xt_limit keeps it. Rates are
 * stored as a period in 1/10000 s (XT_LIMIT_SCALE), which is why `3/s` prints as `3/sec` and odd rates
 * print in the unit that divides them exactly.
 */
import type { MatchModule } from '../module-api.ts'
import { ParameterProblem } from '../module-api.ts'
import { xtUint } from '../xtopt.ts'

const SCALE = 10000
const UNITS: [string, number][] = [['day', SCALE * 86400], ['hour', SCALE * 3600], ['min', SCALE * 60], ['sec', SCALE]]
const PARSE_UNITS: [string, number][] = [['second', SCALE], ['minute', SCALE * 60], ['hour', SCALE * 3600], ['day', SCALE * 86400]]

export interface LimitOptions {
  /** Period between packets in 1/10000 s. */
  avg: number
  burst: number
}

function parseRate(text: string): number {
  const slash = text.indexOf('/')
  let mult = SCALE
  if (slash >= 0) {
    const unit = text.slice(slash + 1).toLowerCase()
    const found = unit === '' ? undefined : PARSE_UNITS.find(([name]) => name.startsWith(unit))
    if (!found) throw new ParameterProblem(`bad rate "${text}"'`)
    mult = found[1]
  }
  const r = parseInt(text, 10)
  if (!(r > 0)) throw new ParameterProblem(`bad rate "${text}"'`)
  if (r > mult) throw new ParameterProblem(`Rate too fast "${text}"`)
  return Math.floor(mult / r)
}

/** libxt_limit's print_rate. */
export function rateText(period: number): string {
  let i = 1
  for (; i < UNITS.length; i++) {
    const mult = UNITS[i][1]
    if (period > mult || Math.floor(mult / period) < mult % period) break
  }
  const [name, mult] = UNITS[i - 1]
  return `${Math.floor(mult / period)}/${name}`
}

interface Bucket { credit: number; last: number }

export const limitMatch: MatchModule<LimitOptions> = {
  kind: 'match',
  name: 'limit',
  xtopt: true,
  options: [{ name: 'limit', arg: 'required' }, { name: 'limit-burst', arg: 'required' }],
  create: () => ({ avg: Math.floor((SCALE * 3600) / 3), burst: 5 }),
  parse(o, option, arg) {
    if (option === 'limit') o.avg = parseRate(arg ?? '')
    else {
      // iptables-nft writes a native nft limit; the kernel takes burst 0 as its default of 5.
      const n = xtUint('limit', option, arg ?? '', 32, 0, 10000)
      o.burst = n === 0 ? 5 : n
    }
  },
  save: (o) => `--limit ${rateText(o.avg)}${o.burst !== 5 ? ` --limit-burst ${o.burst}` : ''}`,
  list: (o) => `limit: avg ${rateText(o.avg)} burst ${o.burst}`,
  evaluate(o, ctx, stateKey) {
    const key = `limit:${stateKey}`
    // Credits in units of 1/10000 s: each packet costs `avg`; the bucket holds `burst` packets.
    const cap = o.avg * o.burst
    const bucket = (ctx.state.get(key) as Bucket | undefined) ?? { credit: cap, last: ctx.now }
    bucket.credit = Math.min(cap, bucket.credit + (ctx.now - bucket.last) * (SCALE / 1000))
    bucket.last = ctx.now
    const hit = bucket.credit >= o.avg
    if (hit) bucket.credit -= o.avg
    ctx.state.set(key, bucket)
    const left = Math.floor(bucket.credit / o.avg)
    return [{ clause: `-m limit ${this.save(o)}`, matched: hit, why: hit ? `within ${rateText(o.avg)} (burst ${o.burst}); ${left} more allowed now` : `rate ${rateText(o.avg)} exceeded (burst ${o.burst} used up)` }]
  },
}
