/**
 * `-m rateest`: compare a rate estimator (fed by `-j RATEEST`) with a rate (`--rateest NAME --rateest-bps1
 * RATE --rateest-gt`), another estimator (`--rateest1 A --rateest2 B --rateest-bps --rateest-lt`), or their
 * difference (`--rateest-delta`). Options and their messages as libxt_rateest parses them (an optional rate
 * after `--rateest-bps1`); the kernel refuses an incomplete comparison (EINVAL) and an estimator no earlier
 * RATEEST rule made (ENOENT).
 *
 * The simulation keeps an estimator's packet and byte counts but not the kernel's timer-driven averages, so
 * the estimated rates are an assumption: `-m rateest` is taken to hold (flip with `--assume rateest=false`).
 */
import type { MatchModule } from '../module-api.ts'
import { ParameterProblem } from '../module-api.ts'
import { joinParts } from '../values.ts'
import { strtod, xtStrtoui } from '../xtopt.ts'
import { assumedClause } from '../assumptions.ts'
import { estimatorsBefore } from '../targets/RATEEST.ts'

const SUFFIXES: [string, number][] = [
  ['bit', 1], ['Kibit', 1024], ['kbit', 1000], ['mibit', 1024 * 1024], ['mbit', 1e6], ['gibit', 1024 ** 3], ['gbit', 1e9],
  ['tibit', 1024 ** 4], ['tbit', 1e12], ['Bps', 8], ['KiBps', 8 * 1024], ['KBps', 8000], ['MiBps', 8 * 1024 * 1024],
  ['MBps', 8e6], ['GiBps', 8 * 1024 ** 3], ['GBps', 8e9], ['TiBps', 8 * 1024 ** 4], ['TBps', 8e12],
]

export interface RateestOptions {
  name1: string
  name2: string
  bps1: number
  pps1: number
  bps2: number
  pps2: number
  delta: boolean
  bps: boolean
  pps: boolean
  rel: boolean
  mode?: 'eq' | 'lt' | 'gt'
  inverted: boolean
  seen: string[]
}

function parseRate(text: string): number {
  const m = /^(\s*[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)(.*)$/.exec(text)
  const bps = m ? strtod(m[1]) : undefined
  if (!m || bps === undefined) throw new ParameterProblem(`rateest: could not parse rate \`${text}'`)
  if (m[2] === '') return Math.trunc(bps / 8) >>> 0
  const s = SUFFIXES.find(([name]) => name.toLowerCase() === m[2].toLowerCase())
  if (!s) throw new ParameterProblem(`rateest: could not parse rate \`${text}'`)
  return Math.trunc((bps * s[1]) / 8) >>> 0
}

function rateText(rate: number, numeric: boolean): string {
  const tmp = rate * 8
  if (numeric) return String(rate)
  if (tmp >= 1e9) return `${(tmp / 1e6).toFixed(0)}Mbit`
  if (tmp >= 1e6) return `${(tmp / 1e3).toFixed(0)}Kbit`
  return `${tmp.toFixed(0)}bit`
}

const modeText = (o: RateestOptions, prefix: string) => `${o.inverted ? '! ' : ''}${prefix}${o.mode ?? ''}`

/** Options sharing one flag in libxt_rateest (`--rateest` is `--rateest1`, `--rateest-bps` is `-bps2`). */
const FLAG: Record<string, string> = {
  rateest1: 'rateest1', rateest: 'rateest1', rateest2: 'rateest2', 'rateest-bps1': 'rateest-bps1', 'rateest-pps1': 'rateest-pps1',
  'rateest-bps2': 'rateest-bps2', 'rateest-pps2': 'rateest-pps2', 'rateest-bps': 'rateest-bps2', 'rateest-pps': 'rateest-pps2',
  'rateest-delta': 'rateest-delta', 'rateest-lt': 'rateest-lt', 'rateest-gt': 'rateest-gt', 'rateest-eq': 'rateest-eq',
}

export const rateestMatch: MatchModule<RateestOptions> = {
  kind: 'match',
  name: 'rateest',
  options: [
    { name: 'rateest1', arg: 'required', invertible: true }, { name: 'rateest', arg: 'required', invertible: true },
    { name: 'rateest2', arg: 'required', invertible: true }, { name: 'rateest-bps1', arg: 'next', invertible: true },
    { name: 'rateest-pps1', arg: 'next', invertible: true }, { name: 'rateest-bps2', arg: 'next', invertible: true },
    { name: 'rateest-pps2', arg: 'next', invertible: true }, { name: 'rateest-bps', arg: 'next', invertible: true },
    { name: 'rateest-pps', arg: 'next', invertible: true }, { name: 'rateest-delta', arg: 'none', invertible: true },
    { name: 'rateest-lt', arg: 'none', invertible: true }, { name: 'rateest-gt', arg: 'none', invertible: true },
    { name: 'rateest-eq', arg: 'none', invertible: true },
  ],
  create: () => ({ name1: '', name2: '', bps1: 0, pps1: 0, bps2: 0, pps2: 0, delta: false, bps: false, pps: false, rel: false, inverted: false, seen: [] }),
  parse(o, option, arg, inverted) {
    const flag = FLAG[option]
    const isMode = flag === 'rateest-lt' || flag === 'rateest-gt' || flag === 'rateest-eq'
    const noInvert: Record<string, string> = {
      rateest1: 'rateest', rateest2: 'rateest', 'rateest-bps1': 'rateest-bps', 'rateest-bps2': 'rateest-bps', 'rateest-pps1': 'rateest-pps',
      'rateest-pps2': 'rateest-pps', 'rateest-delta': 'rateest-delta',
    }
    if (inverted && !isMode) throw new ParameterProblem(`rateest: ${noInvert[flag]} can't be inverted`)
    if (o.seen.includes(flag)) throw new ParameterProblem(isMode ? "rateest: can't specify lt/gt/eq twice" : `rateest: can't specify --${flag} twice`)
    o.seen.push(flag)
    switch (flag) {
      case 'rateest1': o.name1 = arg?.slice(0, 15) ?? ''; return
      case 'rateest2': o.name2 = arg?.slice(0, 15) ?? ''; o.rel = true; return
      case 'rateest-bps1': o.bps = true; if (arg !== undefined) o.bps1 = parseRate(arg); return
      case 'rateest-bps2': o.bps = true; if (arg !== undefined) o.bps2 = parseRate(arg); return
      case 'rateest-pps1': case 'rateest-pps2': {
        o.pps = true
        if (arg === undefined) return
        const v = xtStrtoui(arg)
        if (v === undefined) throw new ParameterProblem(`rateest: could not parse pps \`${arg}'`)
        if (flag === 'rateest-pps1') o.pps1 = v
        else o.pps2 = v
        return
      }
      case 'rateest-delta': o.delta = true; return
      default:
        o.mode = flag.slice(8) as 'eq' | 'lt' | 'gt'
        if (inverted) o.inverted = true
    }
  },
  kernelCheck(o, rule, _table, kernel) {
    if ((!o.bps && !o.pps) || !o.mode) return 'EINVAL'
    const est = estimatorsBefore(kernel, rule.id)
    if (!est.has(o.name1) || (o.rel && !est.has(o.name2))) return 'ENOENT'
    return undefined
  },
  save(o) {
    const rate = (name: string, r1: number, r2: number, numeric: boolean): string[] => {
      const parts = o.delta
        ? [`--rateest-${name}1 ${rateText(r1, numeric)}`, modeText(o, '--rateest-'), `--rateest-${name}2`]
        : [modeText(o, '--rateest-'), `--rateest-${name}`]
      if (!o.rel || o.delta) parts[parts.length - 1] += ` ${rateText(r2, numeric)}`
      return parts
    }
    const rates = [...(o.bps ? rate('bps', o.bps1, o.bps2, false) : []), ...(o.pps ? rate('pps', o.pps1, o.pps2, true) : [])]
    return joinParts([
      o.delta && '--rateest-delta', o.rel ? `--rateest1 ${o.name1}` : `--rateest ${o.name1}`, ...rates, o.rel && `--rateest2 ${o.name2}`,
    ])
  },
  list(o, numeric) {
    const parts = ['rateest match', o.name1]
    if (o.delta) parts.push('delta')
    const abs = !o.rel
    if (o.bps) {
      parts.push('bps')
      if (o.delta) parts.push(rateText(o.bps1, numeric))
      if (abs) parts.push(rateText(o.bps2, numeric), modeText(o, ''))
    }
    if (o.pps) {
      parts.push('pps')
      if (o.delta) parts.push(String(o.pps1))
      if (abs) parts.push(modeText(o, ''), String(o.pps2))
    }
    if (o.rel) {
      parts.push(modeText(o, ''), o.name2)
      if (o.bps) {
        parts.push('bps')
        if (o.delta) parts.push(rateText(o.bps2, numeric))
      }
      if (o.pps) {
        parts.push('pps')
        if (o.delta) parts.push(String(o.pps2))
      }
    }
    return parts.join(' ')
  },
  evaluate(o, ctx) {
    return [assumedClause(ctx, {
      module: 'rateest', clause: `-m rateest ${this.save(o)}`, inverted: false,
      unknown: "the simulation does not run the kernel's rate estimator timers", fallback: true,
    })]
  },
}
