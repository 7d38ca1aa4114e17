/**
 * The rule model as the traversal engine reads it: chains of tables that exist in the (simulated)
 * kernel, rule evaluation and targets from the module registry, rule text as iptables-save prints it, and
 * the nf_tables rule handles `xtables-monitor --trace` shows.
 */
import { applyTarget, evaluateRule } from '../netfilter/evaluate-rule.ts'
import { ruleToSaveText } from '../netfilter/format-rule.ts'
import type { Ruleset } from '../netfilter/ruleset.ts'
import type { RuleEngine } from '../netfilter/traversal-types.ts'
import type { Rule, Table, TableName } from '../netfilter/types.ts'

/**
 * Save text per rule object. Commands replace rules rather than edit them, except `-E`, which gives
 * jumping rules a new target object — so the cached text stays valid while the target object is the same.
 * (The text has no counters.) Tracing through thousands of rules would otherwise print each of them for
 * every packet.
 */
const saveTextCache = new WeakMap<Rule, { target: Rule['target']; chain: string; text: string }>()

function cachedRuleText(rule: Rule, chain: string): string {
  const hit = saveTextCache.get(rule)
  if (hit && hit.target === rule.target && hit.chain === chain) return hit.text
  const text = `-A ${chain} ${ruleToSaveText(rule)}`.trimEnd()
  saveTextCache.set(rule, { target: rule.target, chain, text })
  return text
}

export function rulesetEngine(ruleset: Ruleset): RuleEngine {
  return {
    // A table nothing was written to does not exist in the kernel: no hook, no counters.
    chain: (table, name) => (ruleset.exists(table) ? ruleset.chain(table, name) : undefined),
    evaluateRule,
    applyTarget,
    ruleText: cachedRuleText,
    ruleHandle: (table, chain, index) => ruleHandle(ruleset, table, chain, index),
  }
}

/**
 * nf_tables rule handles, as `xtables-monitor --trace` prints them (`rule:0x5`). A table's handles count
 * up from 1 as objects are created in it: iptables-restore creates every chain of the table first, then the
 * rules in file order. The rule set numbers rules in creation order (Rule.id), so a rule's handle is the
 * number of chains plus its rank by id among the table's rules. Exact for a restored table (checked against
 * the kernel by the trace parity suite); after deletions the kernel's handles run higher (never reused).
 */
// The ranks are built once per rule-set generation (Ruleset.generation changes on every mutation), so a
// trace step neither sorts nor walks the table. A rule with an id the ranks do not know (a table edited
// around the Ruleset, as some tests do) or a swapped chain map also rebuilds them.
const handleCache = new WeakMap<Table, { generation: number; chains: Table['chains']; rank: Map<number, number> }>()

function ruleHandle(ruleset: Ruleset, table: TableName, chain: string, index: number): number {
  const t = ruleset.table(table)
  const rule = t.chains.get(chain)?.rules[index]
  let cached = handleCache.get(t)
  if (!cached || cached.generation !== ruleset.generation || cached.chains !== t.chains || (rule?.id !== undefined && !cached.rank.has(rule.id))) {
    const ids: number[] = []
    for (const c of t.chains.values()) for (const r of c.rules) if (r.id !== undefined) ids.push(r.id)
    ids.sort((a, b) => a - b)
    cached = { generation: ruleset.generation, chains: t.chains, rank: new Map(ids.map((id, i) => [id, i])) }
    handleCache.set(t, cached)
  }
  const rank = rule?.id !== undefined ? cached.rank.get(rule.id) : undefined
  return t.chains.size + (rank ?? index) + 1
}
