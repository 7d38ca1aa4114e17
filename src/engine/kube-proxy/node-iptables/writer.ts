/**
 * kubelet's and kube-proxy's EnsureChain / EnsureRule (pkg/util/iptables), written once for both places a
 * node's iptables state is kept: the host's netfilter rule set (through the iptables command line, as on a
 * real node) and kube-proxy's NodeTables model (when no host is involved: `compile`, upstream's tests).
 */
import { runIptables } from '../../netfilter/iptables-command.ts'
import type { Ruleset } from '../../netfilter/ruleset.ts'
import { ensureChain, ensureRule } from './node-tables.ts'
import type { NodeTables } from './node-tables.ts'
import type { JumpRule } from './payload.ts'

export type WriterTable = 'mangle' | 'nat' | 'filter'

/** A rule as the command line takes it (`args` after `-A CHAIN`) and as iptables-save prints it. */
export interface RuleSpec {
  args: readonly string[]
  save: string
}

export interface IptablesWriter {
  /** EnsureChain: `iptables -N` (a chain that exists already is left as it is). */
  ensureChain(table: WriterTable, chain: string): void
  /** EnsureRule: `iptables -C`, then `-I CHAIN 1` (prepend) or `-A` (append) when the rule is not there. */
  ensureRule(position: 'prepend' | 'append', table: WriterTable, chain: string, rule: RuleSpec): void
}

/** The host's rule set, through the iptables command line (`-w`, as kubelet and kube-proxy call it). */
export function rulesetWriter(ruleset: Ruleset): IptablesWriter {
  const ipt = (...args: string[]) => runIptables(ruleset, ['-w', ...args])
  return {
    ensureChain(table, chain) {
      ipt('-t', table, '-N', chain)
    },
    ensureRule(position, table, chain, rule) {
      if (ipt('-t', table, '-C', chain, ...rule.args).rc === 0) return
      if (position === 'prepend') ipt('-t', table, '-I', chain, '1', ...rule.args)
      else ipt('-t', table, '-A', chain, ...rule.args)
    },
  }
}

/** kube-proxy's model of the node's tables. */
export function nodeTablesWriter(tables: NodeTables): IptablesWriter {
  return {
    ensureChain: (table, chain) => ensureChain(tables, table, chain),
    ensureRule: (position, table, chain, rule) => { ensureRule(tables, table, chain, rule.save, position) },
  }
}

/** The jump rules of a full sync: EnsureChain(target), then EnsureRule(Prepend) of the jump, in order. */
export function ensureJumpRules(w: IptablesWriter, rules: readonly JumpRule[]): void {
  for (const j of rules) {
    w.ensureChain(j.table, j.target)
    w.ensureRule('prepend', j.table, j.chain, j)
  }
}
