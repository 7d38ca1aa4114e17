/**
 * `-m statistic`: `--mode random --probability P` (kube-proxy's load balancing) and
 * `--mode nth --every N [--packet P]`. The kernel stores the probability as a 31-bit fraction, so what
 * iptables prints (`%.11f`) is the stored value, not the typed one.
 */
import type { MatchModule } from '../module-api.ts'
import { ParameterProblem } from '../module-api.ts'

export interface StatisticOptions {
  mode?: 'random' | 'nth'
  /** Kernel representation: probability * 2^31, rounded. */
  probability?: number
  every?: number
  packet?: number
  inverted: boolean
}

export function probabilityText(stored: number): string {
  return (stored / 0x80000000).toFixed(11)
}

function badValue(option: string, range: string): ParameterProblem {
  return new ParameterProblem(`statistic: bad value for option "--${option}", or out of range (${range}).\n`)
}

export const statisticMatch: MatchModule<StatisticOptions> = {
  kind: 'match',
  name: 'statistic',
  options: [
    { name: 'mode', arg: 'required' }, { name: 'probability', arg: 'required', invertible: true },
    { name: 'every', arg: 'required', invertible: true }, { name: 'packet', arg: 'required' },
  ],
  create: () => ({ inverted: false }),
  parse(o, option, arg, inverted) {
    const text = arg ?? ''
    switch (option) {
      case 'mode':
        if (text !== 'random' && text !== 'nth') throw new ParameterProblem(`Bad mode "${text}"`)
        o.mode = text
        return
      case 'probability': {
        const p = /^[0-9]*\.?[0-9]+(e-?[0-9]+)?$/i.test(text) ? Number(text) : NaN
        if (!(p >= 0 && p <= 1)) throw badValue('probability', '0-1')
        o.probability = Math.round(0x80000000 * p)
        if (inverted) o.inverted = true
        return
      }
      case 'every': {
        const n = /^[0-9]+$/.test(text) ? Number(text) : NaN
        if (!(n >= 1 && n <= 0xffffffff)) throw badValue('every', `1-${0xffffffff}`)
        o.every = n
        if (inverted) o.inverted = true
        return
      }
      case 'packet': {
        const n = /^[0-9]+$/.test(text) ? Number(text) : NaN
        if (!(n >= 0 && n <= 0xffffffff)) throw badValue('packet', `0-${0xffffffff}`)
        o.packet = n
        return
      }
    }
  },
  finalCheck(o) {
    if (!o.mode) throw new ParameterProblem('statistic: option "--mode" must be specified\n')
    if (o.every !== undefined && o.packet === undefined) throw new ParameterProblem('statistic: option "--every" also requires "--packet".\n')
    if (o.mode === 'random' && o.probability === undefined) throw new ParameterProblem('--probability must be specified when using random mode')
    if (o.mode === 'nth' && o.every === undefined) throw new ParameterProblem('--every must be specified when using nth mode')
    if (o.mode === 'nth' && (o.packet ?? 0) > (o.every ?? 1) - 1) throw new ParameterProblem('the --packet p must be 0 <= p <= n-1')
  },
  save(o) {
    const inv = o.inverted ? ' !' : ''
    if (o.mode === 'random') return `--mode random${inv} --probability ${probabilityText(o.probability ?? 0)}`
    return `--mode nth${inv} --every ${o.every} --packet ${o.packet ?? 0}`
  },
  list(o) {
    const inv = o.inverted ? ' !' : ''
    if (o.mode === 'random') return `statistic mode random${inv} probability ${probabilityText(o.probability ?? 0)}`
    return `statistic mode nth${inv} every ${o.every}${o.packet ? ` packet ${o.packet}` : ''}`
  },
  evaluate(o, ctx, stateKey) {
    const clause = `-m statistic ${this.save(o)}`
    if (o.mode === 'random') {
      // The kernel: get_random_u32() & 0x7FFFFFFF < probability.
      const draw = Math.floor(ctx.rng.next() * 0x80000000)
      const hit = draw < (o.probability ?? 0)
      const p = (o.probability ?? 0) / 0x80000000
      return [{
        clause, matched: hit !== o.inverted,
        why: `random draw ${(draw / 0x80000000).toFixed(4)} is ${hit ? 'below' : 'not below'} probability ${p.toFixed(4)}${o.inverted ? ' (negated)' : ''}`,
      }]
    }
    // nth: the kernel keeps one counter per rule; with --packet P the (P+1)-th packet of every N matches,
    // starting with the first packet that reaches the rule.
    const key = `statistic:${stateKey}`
    const index = (ctx.state.get(key) as number | undefined) ?? 0
    const every = o.every ?? 1
    ctx.state.set(key, (index + 1) % every)
    const count = index
    const hit = index === (o.packet ?? 0)
    return [{
      clause, matched: hit !== o.inverted,
      why: `this is packet ${count} (counting from 0) of every ${every}; it matches at ${o.packet ?? 0}${o.inverted ? ' (negated)' : ''}`,
    }]
  },
}
