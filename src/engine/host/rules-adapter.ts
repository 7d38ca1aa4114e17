/**
 * The rule model as the traversal engine reads it: chains of tables that exist in the (simulated)
 * kernel, rule evaluation and targets from the module registry, rule text as iptables-save prints it, and
 * the nf_tables rule handles `xtables-monitor --trace` shows.
 */
import { applyTarget, evaluateRule } from '../netfilter/evaluate-rule.ts'
import { ruleToSaveText } from '../netfilter/format-rule.ts'
import type { Ruleset } from '../netfilter/ruleset.ts'
import type { RuleEngine } from '../netfilter/traversal-types.ts'
import type { Rule, TableName } from '../netfilter/types.ts'

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
 * iptables-restore creates every chain of a table first (each takes a handle), then the rules in file
 * order; handles count up per table. So a rule's handle is the number of chains plus its position in the
 * table's save order.
 */
function ruleHandle(ruleset: Ruleset, table: TableName, chain: string, index: number): number {
  const chains = ruleset.chainsInOrder(table)
  let n = chains.length
  for (const c of chains) {
    if (c.name === chain) return n + index + 1
    n += c.rules.length
  }
  return n + index + 1
}
