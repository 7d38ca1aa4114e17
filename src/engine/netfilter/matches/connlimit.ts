/**
 * `-m connlimit --connlimit-upto N | --connlimit-above N [--connlimit-mask PLEN] [--connlimit-saddr |
 * --connlimit-daddr]`: how many connections the conntrack table holds from (or to) the packet's address
 * group, this one counted. `! --connlimit-above N` is `--connlimit-upto N` and the other way round.
 */
import type { MatchModule } from '../module-api.ts'
import { ParameterProblem } from '../module-api.ts'
import { formatIPv4, maskToPrefix, parseStrictIPv4, prefixToMask } from '../../net/ipv4.ts'
import { xtPlenMask, xtUint } from '../xtopt.ts'

export interface ConnlimitOptions {
  limit: number
  /** true: match when the count is above the limit; false: up to it. */
  above: boolean
  prefix: number
  daddr: boolean
}

export const connlimitMatch: MatchModule<ConnlimitOptions> = {
  kind: 'match',
  name: 'connlimit',
  xtopt: true,
  options: [
    { name: 'connlimit-upto', arg: 'required', invertible: true, excl: ['connlimit-above'] },
    { name: 'connlimit-above', arg: 'required', invertible: true, excl: ['connlimit-upto'] },
    { name: 'connlimit-mask', arg: 'required' },
    { name: 'connlimit-saddr', arg: 'none', excl: ['connlimit-daddr'] }, { name: 'connlimit-daddr', arg: 'none', excl: ['connlimit-saddr'] },
  ],
  create: () => ({ limit: 0, above: false, prefix: 32, daddr: false }),
  parse(o, option, arg, inverted) {
    switch (option) {
      case 'connlimit-upto': o.limit = xtUint('connlimit', option, arg ?? ''); o.above = inverted; return
      case 'connlimit-above': o.limit = xtUint('connlimit', option, arg ?? ''); o.above = !inverted; return
      case 'connlimit-mask': {
        // A mask that is not a prefix counts as /32 (count_bits4 of it).
        const p = maskToPrefix(xtPlenMask('connlimit', option, arg ?? ''))
        o.prefix = p < 0 ? 32 : p
        return
      }
      case 'connlimit-saddr': o.daddr = false; return
      case 'connlimit-daddr': o.daddr = true
    }
  },
  finalCheck(_o, env) {
    if (!env.seen.includes('connlimit-upto') && !env.seen.includes('connlimit-above')) {
      throw new ParameterProblem('You must specify "--connlimit-above" or "--connlimit-upto".')
    }
  },
  save: (o) => `--connlimit-${o.above ? 'above' : 'upto'} ${o.limit} --connlimit-mask ${o.prefix} --connlimit-${o.daddr ? 'daddr' : 'saddr'}`,
  list: (o) => `#conn ${o.daddr ? 'dst' : 'src'}/${o.prefix} ${o.above ? '>' : '<='} ${o.limit}`,
  evaluate(o, ctx, stateKey) {
    const clause = `-m connlimit ${this.save(o)}`
    // nf_conncount: per rule, the connections seen per address group; gone or closed ones drop out.
    const addr = parseStrictIPv4(o.daddr ? ctx.packet.dst : ctx.packet.src) ?? 0
    const net = (addr & prefixToMask(o.prefix)) >>> 0
    const key = `connlimit:${stateKey}`
    const groups = (ctx.state.get(key) as Map<number, Set<number>> | undefined) ?? new Map<number, Set<number>>()
    ctx.state.set(key, groups)
    const group = groups.get(net) ?? new Set<number>()
    groups.set(net, group)
    const own = ctx.ct?.entry?.id
    for (const id of [...group]) {
      if (id === own) continue
      if (ctx.conntrack && !ctx.conntrack.isLive(id)) group.delete(id)
    }
    if (own !== undefined) group.add(own)
    const n = group.size
    const hit = o.above ? n > o.limit : n <= o.limit
    return [{ clause, matched: hit, why: `${n} connection(s) ${o.daddr ? 'to' : 'from'} ${formatIPv4(net)}/${o.prefix} seen by this rule (${o.above ? 'above' : 'up to'} ${o.limit} matches)` }]
  },
}
