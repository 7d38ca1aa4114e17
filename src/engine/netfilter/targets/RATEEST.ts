/**
 * `-j RATEEST --rateest-name NAME --rateest-interval TIME --rateest-ewmalog TIME`: feed the packet into
 * the named rate estimator (created by the first rule naming it; `-m rateest` reads it) and continue. The
 * interval is stored as a power of two of a quarter second, the averaging constant as a shift, so what
 * iptables prints is the rounded value. A second rule naming an existing estimator must give the same
 * parameters, else the kernel refuses it (EINVAL).
 */
import type { KernelState, TargetModule } from '../module-api.ts'
import { ParameterProblem } from '../module-api.ts'
import type { TableName } from '../types.ts'
import { cutBytes, strtod } from '../xtopt.ts'

const UNITS_PER_SEC = 1000000

export interface RateestTargetOptions {
  name: string
  /** The typed values in microseconds (udata), and the stored fields. */
  intervalUs: number
  ewmaUs: number
  interval: number
  ewmaLog: number
}

/** RATEEST_get_time: a number with an optional unit (s, sec, secs, ms, …, us, …); microseconds. */
function parseTime(text: string): number | undefined {
  const m = /^(\s*[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)(.*)$/.exec(text)
  if (!m) return undefined
  let t = strtod(m[1]) ?? NaN
  const unit = m[2].toLowerCase()
  if (unit === '') { /* microseconds */ } else if (['s', 'sec', 'secs'].includes(unit)) t *= UNITS_PER_SEC
  else if (['ms', 'msec', 'msecs'].includes(unit)) t *= UNITS_PER_SEC / 1000
  else if (['us', 'usec', 'usecs'].includes(unit)) t *= 1
  else return undefined
  return Math.trunc(t) >>> 0
}

function timeText(us: number): string {
  if (us >= UNITS_PER_SEC) return `${(us / UNITS_PER_SEC).toFixed(1)}s`
  if (us >= UNITS_PER_SEC / 1000) return `${(us / (UNITS_PER_SEC / 1000)).toFixed(1)}ms`
  return `${us}us`
}

/** The estimator a RATEEST rule stands for: its stored interval and ewma_log. */
export function estimatorOf(o: RateestTargetOptions): { interval: number; ewmaLog: number } {
  return { interval: o.interval, ewmaLog: o.ewmaLog }
}

/** Estimators created by RATEEST rules added before the rule with id `before` (any table). */
export function estimatorsBefore(kernel: KernelState, before: number | undefined): Map<string, { interval: number; ewmaLog: number }> {
  const out = new Map<string, { interval: number; ewmaLog: number }>()
  const rules: { table: TableName; rule: { id?: number; target?: unknown } }[] = [...kernel.rules()]
  rules.sort((a, b) => (a.rule.id ?? 0) - (b.rule.id ?? 0))
  for (const { rule } of rules) {
    if (before !== undefined && (rule.id ?? 0) >= before) continue
    const t = rule.target as { kind?: string; module?: string; options?: RateestTargetOptions } | undefined
    if (t?.kind === 'module' && t.module === 'RATEEST' && t.options && !out.has(t.options.name)) out.set(t.options.name, estimatorOf(t.options))
  }
  return out
}

export const rateestTarget: TargetModule<RateestTargetOptions> = {
  kind: 'target',
  name: 'RATEEST',
  xtopt: true,
  options: [
    { name: 'rateest-name', arg: 'required', mandatory: true }, { name: 'rateest-interval', arg: 'required', mandatory: true },
    { name: 'rateest-ewmalog', arg: 'required', mandatory: true },
  ],
  create: () => ({ name: '', intervalUs: 0, ewmaUs: 0, interval: 0, ewmaLog: 0 }),
  parse(o, option, arg) {
    const text = arg ?? ''
    if (option === 'rateest-name') {
      o.name = cutBytes(text, 15)
      return
    }
    const us = parseTime(text)
    const which = option === 'rateest-interval' ? 'interval' : 'ewmalog'
    if (us === undefined) throw new ParameterProblem(`RATEEST: bad ${which} value "${text}"`)
    if (option === 'rateest-interval') o.intervalUs = us
    else o.ewmaUs = us
  },
  finalCheck(o) {
    let interval = 0
    for (; interval <= 5; interval++) if (o.intervalUs <= (1 << interval) * (UNITS_PER_SEC / 4)) break
    if (interval > 5) throw new ParameterProblem('RATEEST: interval value is too large')
    o.interval = interval - 2
    let ewma = 1
    for (; ewma < 32; ewma++) {
      const w = 1.0 - 1.0 / 2 ** ewma
      if (o.intervalUs / -Math.log(w) > o.ewmaUs) break
    }
    ewma--
    if (ewma === 0 || ewma >= 31) throw new ParameterProblem('RATEEST: ewmalog value is out of range')
    o.ewmaLog = ewma
  },
  kernelCheck(o, rule, _table, kernel) {
    const existing = estimatorsBefore(kernel, rule.id).get(o.name)
    if (existing && (existing.interval !== o.interval || existing.ewmaLog !== o.ewmaLog)) return 'EINVAL'
    return undefined
  },
  save(o) {
    const interval = (UNITS_PER_SEC * 2 ** (o.interval + 2)) / 4
    return `--rateest-name ${o.name} --rateest-interval ${timeText(interval)} --rateest-ewmalog ${timeText(interval * 2 ** o.ewmaLog)}`
  },
  list(o) {
    const interval = (UNITS_PER_SEC * 2 ** (o.interval + 2)) / 4
    return `name ${o.name} interval ${timeText(interval)} ewmalog ${timeText(interval * 2 ** o.ewmaLog)}`
  },
  apply(o, ctx) {
    const key = `rateest:${o.name}`
    const est = (ctx.state.get(key) as { bytes: number; packets: number } | undefined) ?? { bytes: 0, packets: 0 }
    est.bytes += ctx.packet.length
    est.packets += 1
    ctx.state.set(key, est)
    return { outcome: { verdict: 'CONTINUE' }, why: `counted by rate estimator ${o.name} (${est.packets} packets, ${est.bytes} bytes so far)` }
  },
}
