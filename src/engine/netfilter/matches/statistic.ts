/**
 * `-m statistic`: `--mode random --probability P` (kube-proxy's load balancing) and
 * `--mode nth --every N [--packet P]`. The kernel stores the probability as a 31-bit fraction, so what
 * iptables prints (`%.11f`) is the stored value, not the typed one.
 */
import type { MatchModule } from '../module-api.ts'
import { ParameterProblem } from '../module-api.ts'
import { xtDouble, xtUint } from '../xtopt.ts'

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

export const statisticMatch: MatchModule<StatisticOptions> = {
  kind: 'match',
  name: 'statistic',
  xtopt: true,
  options: [
    { name: 'mode', arg: 'required', mandatory: true },
    { name: 'probability', arg: 'required', invertible: true, excl: ['every', 'packet'] },
    { name: 'every', arg: 'required', invertible: true, excl: ['probability'], also: ['packet'] },
    { name: 'packet', arg: 'required', excl: ['probability'], also: ['every'] },
  ],
  create: () => ({ inverted: false }),
  parse(o, option, arg, inverted) {
    const text = arg ?? ''
    switch (option) {
      case 'mode':
        if (text !== 'random' && text !== 'nth') throw new ParameterProblem(`Bad mode "${text}"`)
        o.mode = text
        return
      case 'probability':
        o.probability = Math.round(0x80000000 * xtDouble('statistic', option, text, 0, 1))
        if (inverted) o.inverted = true
        return
      case 'every':
        o.every = xtUint('statistic', option, text, 32, 1)
        if (inverted) o.inverted = true
        return
      case 'packet':
        o.packet = xtUint('statistic', option, text)
    }
  },
  finalCheck(o, env) {
    // statistic_check runs before xtables' own checks; a rule without --mode is in random mode until then.
    const mode = o.mode ?? 'random'
    if (mode === 'random' && !env.seen.includes('probability')) throw new ParameterProblem('--probability must be specified when using random mode')
    if (mode === 'nth' && !env.seen.includes('every') && !env.seen.includes('packet')) {
      throw new ParameterProblem('--every and --packet must be specified when using nth mode')
    }
    // libxt_statistic stores every - 1; without --every that is 0.
    if ((o.packet ?? 0) > (o.every !== undefined ? o.every - 1 : 0)) throw new ParameterProblem('the --packet p must be 0 <= p <= n-1')
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
