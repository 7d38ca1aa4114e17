/**
 * Where the rules of one chain send a packet, with the probability of each way: the rules are evaluated in
 * order against the packet and the host's state as it is now, without changing it (a copy of the match state:
 * `recent --rcheck --reap` and `limit` leave the host's lists and buckets alone; no counter rises), and a
 * `-m statistic --mode random` match counts as the probability it stands for instead of a draw.
 *
 * kube-proxy's load-balancing chains are the use: a KUBE-SVC- chain checks the affinity lists, then
 * cascades `--probability 1/n`, `1/(n-1)`, … to its KUBE-SEP- chains.
 */
import { copyMatchState } from './match-state.ts'
import type { StatisticOptions } from './matches/statistic.ts'
import type { TraversalHost } from './traversal-types.ts'
import type { Hook, Packet, Rule, TableName } from './types.ts'

export interface RuleShare {
  rule: Rule
  /** 0-based position in the chain. */
  index: number
  /** The probability that this rule is the one that decides (reached, matched, its draws won). */
  share: number
}

/**
 * The rules of `chain` for which `decides(rule)` holds, each with the share of packets like `packet` it takes;
 * other rules are passed as if they did not match. Undefined when the chain does not exist.
 */
export function chainShares(
  host: TraversalHost, table: TableName, chain: string, hook: Hook, packet: Packet, decides: (rule: Rule) => boolean,
): RuleShare[] | undefined {
  const c = host.rules.chain(table, chain)
  if (!c) return undefined
  const state = copyMatchState(host.matchState) as Map<string, unknown>
  const ctx = { packet, hook, table, chain, ct: undefined, node: host.node, rng: host.rng, now: host.now(), state }
  const out: RuleShare[] = []
  let remaining = 1
  c.rules.forEach((rule, index) => {
    if (!decides(rule)) return
    let p = 1
    const others = rule.matches.filter((m) => {
      const o = m.options as StatisticOptions
      if (m.module !== 'statistic' || o.mode !== 'random') return true
      const stored = (o.probability ?? 0) / 0x80000000
      p *= o.inverted ? 1 - stored : stored
      return false
    })
    const matched = remaining > 0 && host.rules.evaluateRule({ ...rule, matches: others }, ctx).matched
    const share = matched ? remaining * p : 0
    remaining -= share
    out.push({ rule, index, share })
  })
  return out
}
