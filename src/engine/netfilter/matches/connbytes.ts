/**
 * `-m connbytes [!] --connbytes FROM[:TO] --connbytes-dir original|reply|both --connbytes-mode
 * packets|bytes|avgpkt`: how much the connection has carried so far (conntrack's accounting), this packet
 * included. Adding such a rule switches the namespace's connection accounting on for good (xt_connbytes'
 * checkentry sets nf_conntrack_acct); connections created from then on count packets and bytes per
 * direction. A single number means "at least": `--connbytes 2` is 2 and up.
 */
import type { MatchModule } from '../module-api.ts'
import { ParameterProblem } from '../module-api.ts'
import { xtRange } from '../xtopt.ts'

const MAX = (1n << 64n) - 1n
const DIRS = ['original', 'reply', 'both'] as const
const MODES = ['packets', 'bytes', 'avgpkt'] as const

export interface ConnbytesOptions {
  from: bigint
  to: bigint
  inverted: boolean
  dir?: (typeof DIRS)[number]
  mode?: (typeof MODES)[number]
}

export const connbytesMatch: MatchModule<ConnbytesOptions> = {
  kind: 'match',
  name: 'connbytes',
  xtopt: true,
  options: [
    { name: 'connbytes', arg: 'required', invertible: true, mandatory: true },
    { name: 'connbytes-dir', arg: 'required', mandatory: true }, { name: 'connbytes-mode', arg: 'required', mandatory: true },
  ],
  create: () => ({ from: 0n, to: MAX, inverted: false }),
  parse(o, option, arg, inverted) {
    const text = arg ?? ''
    if (option === 'connbytes') {
      const v = xtRange('connbytes', option, text, 64)
      const from = v[0]
      const to = v.length > 1 ? v[1] : MAX
      if (from > to) throw new ParameterProblem(`${from} should be less than ${to}`)
      Object.assign(o, { from, to, inverted })
    } else if (option === 'connbytes-dir') {
      const d = DIRS.find((x) => x === text)
      if (!d) throw new ParameterProblem(`Unknown --connbytes-dir \`${text}'`)
      o.dir = d
    } else {
      const m = MODES.find((x) => x === text)
      if (!m) throw new ParameterProblem(`Unknown --connbytes-mode \`${text}'`)
      o.mode = m
    }
  },
  kernelCheck(_o, _rule, _table, kernel) {
    kernel.enableConntrackAccounting?.()
    return undefined
  },
  save: (o) => `${o.inverted ? '! ' : ''}--connbytes ${o.from}${o.to === MAX ? '' : `:${o.to}`} --connbytes-mode ${o.mode} --connbytes-dir ${o.dir}`,
  list: (o) => `${o.inverted ? '! ' : ''}connbytes ${o.from}${o.to === MAX ? '' : `:${o.to}`} connbytes mode ${o.mode} connbytes direction ${o.dir}`,
  evaluate(o, ctx) {
    const clause = `-m connbytes ${this.save(o)}`
    const entry = ctx.ct?.entry
    if (!entry) return [{ clause, matched: false, why: 'the packet has no conntrack entry' }]
    // A connection created before accounting was on has no counters: xt_connbytes does not match it.
    const seen = entry.counters
    if (!seen) return [{ clause, matched: false, why: 'the connection was created before accounting was on: it has no counters' }]
    // The packet is counted already: conntrack's accounting runs when the packet is classified.
    const pick = (d: 'original' | 'reply') => seen[d]
    const both = { packets: seen.original.packets + seen.reply.packets, bytes: seen.original.bytes + seen.reply.bytes }
    const counted = o.dir === 'both' ? both : pick(o.dir ?? 'original')
    const value = o.mode === 'packets' ? counted.packets : o.mode === 'bytes' ? counted.bytes
      : (counted.packets === 0 ? 0 : Math.floor(counted.bytes / counted.packets))
    const v = BigInt(value)
    const hit = o.to === MAX ? v >= o.from : v >= o.from && v <= o.to
    return [{ clause, matched: hit !== o.inverted, why: `the connection has ${value} ${o.mode === 'avgpkt' ? 'bytes per packet on average' : o.mode} (${o.dir})${o.inverted ? ' (negated)' : ''}` }]
  },
}
