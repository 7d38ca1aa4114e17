/**
 * `iptables -L` (with -n, -v, -x, --line-numbers) and `iptables -S` output, column for column as
 * iptables 1.8.9 (nf_tables) prints it: print_header(), print_rule_details(), print_ifaces(),
 * print_ipv4_addresses() and each module's print(). Quirks kept on purpose: with -n the protocol column
 * shows the number (`6`, `0`), the byte column is 8 wide under a 10-wide header with -x, and interface
 * wildcards read `*` with -n but `any` without.
 */
import type { Chain, Rule, TableName } from './types.ts'
import type { Ruleset } from './ruleset.ts'
import { getMatch, getTarget } from './registry.ts'
import { appendLine, cidrMask, ruleProtocolNumber } from './format-rule.ts'
import { addressToName, listMaskSuffix } from '../net/ipv4.ts'
import { protocolName } from './protocols.ts'

export interface ListFormat {
  numeric: boolean
  verbose: boolean
  exact: boolean
  lineNumbers: boolean
}

/** xtables_print_num: exact, or K/M/G/T rounded, each followed by a space. */
export function formatCount(n: number, exact: boolean, table = true): string {
  if (exact) return table ? `${String(n).padStart(8)} ` : `${n} `
  if (n <= 99999) return table ? `${String(n).padStart(5)} ` : `${n} `
  let v = n
  for (const unit of ['K', 'M', 'G']) {
    v = Math.floor((v + 500) / 1000)
    if (v <= 9999) return table ? `${String(v).padStart(4)}${unit} ` : `${v}${unit} `
  }
  v = Math.floor((v + 500) / 1000)
  return table ? `${String(v).padStart(4)}T ` : `${v}T `
}

function header(refs: Map<string, number>, chain: Chain, f: ListFormat): string {
  let s = `Chain ${chain.name}`
  if (chain.policy) {
    s += ` (policy ${chain.policy}`
    if (f.verbose) {
      const c = chain.policyCounters ?? { packets: 0, bytes: 0 }
      s += ` ${formatCount(c.packets, f.exact, false)}packets, ${formatCount(c.bytes, f.exact, false)}bytes`
    }
    s += ')\n'
  } else {
    s += ` (${refs.get(chain.name) ?? 0} references)\n`
  }
  if (f.lineNumbers) s += 'num  '
  if (f.verbose) s += f.exact ? `${'pkts'.padStart(8)} ${'bytes'.padStart(10)} ` : `${'pkts'.padStart(5)} ${'bytes'.padStart(5)} `
  s += `${'target'.padEnd(9)} `
  s += ' prot opt'
  if (f.verbose) s += ` ${'in'.padEnd(6)} ${'out'.padEnd(6)} `
  s += ` ${'source'.padEnd(19)} `
  s += ` ${'destination'.padEnd(19)} `
  return `${s}\n`
}

function addressText(cidr: Rule['source'], numeric: boolean): string {
  if (!cidr) return numeric ? '0.0.0.0/0' : 'anywhere'
  const v = cidr.value
  const mask = cidrMask(v)
  const addr = numeric ? v.address : addressToName(v.address, mask)
  return `${addr}${listMaskSuffix(mask)}`
}

export function ruleListLine(rule: Rule, num: number, f: ListFormat): string {
  let s = ''
  if (f.lineNumbers) s += `${String(num).padEnd(4)} `
  if (f.verbose) s += formatCount(rule.counters.packets, f.exact) + formatCount(rule.counters.bytes, f.exact)
  const t = rule.target
  const targetName = !t ? '' : t.kind === 'module' ? (getTarget(t.module)?.listName ?? t.module) : t.chain
  s += `${targetName.padEnd(9)} `
  s += rule.protocol?.negated ? '!' : ' '
  const proto = ruleProtocolNumber(rule) ?? 0
  const protoText = f.numeric ? String(proto) : (protocolName(proto) ?? String(proto))
  s += `${protoText.padEnd(4)} `
  s += `${rule.fragment?.negated ? '!' : '-'}${rule.fragment ? 'f' : '-'} `
  if (f.verbose) {
    const any = f.numeric ? '*' : 'any'
    const iface = (n: Rule['inInterface']) => (n ? `${n.negated ? '!' : ''}${n.value}` : any)
    s += ` ${iface(rule.inInterface).padEnd(6)} `
    s += `${iface(rule.outInterface).padEnd(6)} `
  }
  s += rule.source?.negated ? '!' : ' '
  s += `${addressText(rule.source, f.numeric).padEnd(19)} `
  s += rule.destination?.negated ? '!' : ' '
  s += `${addressText(rule.destination, f.numeric).padEnd(19)} `
  if (t?.kind === 'goto') s += '[goto] '
  for (const m of rule.matches) {
    const mod = getMatch(m.module)
    const text = mod?.list(m.options as never, f.numeric) ?? ''
    if (text) s += mod?.listGlued ? text : ` ${text}`
  }
  if (t?.kind === 'module') {
    const text = getTarget(t.module)?.list(t.options as never, f.numeric) ?? ''
    if (text) s += ` ${text}`
  }
  return `${s}\n`
}

/** `iptables -L [CHAIN [N]]`; the chain must exist (checked by the caller). */
export function listTable(ruleset: Ruleset, table: TableName, f: ListFormat, chainName?: string, ruleNumber?: number): string {
  const chains = chainName === undefined
    ? ruleset.chainsInOrder(table)
    : ruleset.chainsInOrder(table).filter((c) => c.name === chainName)
  if (chainName !== undefined && ruleNumber !== undefined) {
    const rule = chains[0]?.rules[ruleNumber - 1]
    return rule ? ruleListLine(rule, ruleNumber, f) : ''
  }
  const refs = ruleset.referenceCounts(table)
  return chains
    .map((c) => header(refs, c, f) + c.rules.map((r, idx) => ruleListLine(r, idx + 1, f)).join(''))
    .join('\n')
}

/** `iptables -S [CHAIN [N]]` (with -v: counters as `-c P B`). */
export function listRulesTable(ruleset: Ruleset, table: TableName, verbose: boolean, chainName?: string, ruleNumber?: number): string {
  const chains = chainName === undefined
    ? ruleset.chainsInOrder(table)
    : ruleset.chainsInOrder(table).filter((c) => c.name === chainName)
  if (chainName !== undefined && ruleNumber !== undefined) {
    const rule = chains[0]?.rules[ruleNumber - 1]
    return rule ? `${appendLine(chainName, rule, { counters: verbose })}\n` : ''
  }
  let s = ''
  for (const c of chains) {
    if (c.policy) {
      const pc = c.policyCounters ?? { packets: 0, bytes: 0 }
      s += `-P ${c.name} ${c.policy}${verbose ? ` -c ${pc.packets} ${pc.bytes}` : ''}\n`
    }
  }
  for (const c of chains) if (!c.policy) s += `-N ${c.name}\n`
  for (const c of chains) {
    for (const r of c.rules) s += `${appendLine(c.name, r, { counters: verbose })}\n`
  }
  return s
}

/**
 * The line `iptables -v` prints for each rule it adds, inserts, deletes or checks (print_rule with
 * FMT_NOTABLE: labelled fields instead of columns), e.g.
 * `ACCEPT  tcp opt -- in * out *  1.2.3.4  -> 0.0.0.0/0   tcp dpt:22`.
 */
export function ruleVerboseLine(rule: Rule): string {
  const t = rule.target
  const targetName = !t ? '' : t.kind === 'module' ? (getTarget(t.module)?.listName ?? t.module) : t.chain
  const proto = ruleProtocolNumber(rule) ?? 0
  let s = `${targetName} ${rule.protocol?.negated ? '!' : ' '}${protocolName(proto) ?? proto} `
  s += `opt ${rule.fragment?.negated ? '!' : '-'}${rule.fragment ? 'f' : '-'} `
  const iface = (n: Rule['inInterface']) => (n ? `${n.negated ? '!' : ''}${n.value}` : '*')
  s += `in ${iface(rule.inInterface)} out ${iface(rule.outInterface)} `
  s += `${rule.source?.negated ? '!' : ' '}${addressText(rule.source, true)} `
  s += `${rule.destination?.negated ? '!' : ' '}-> ${addressText(rule.destination, true)}`
  s += '  '
  if (t?.kind === 'goto') s += '[goto] '
  for (const m of rule.matches) {
    const mod = getMatch(m.module)
    const text = mod?.list(m.options as never, true) ?? ''
    if (text) s += mod?.listGlued ? text : ` ${text}`
  }
  if (t?.kind === 'module') {
    const text = getTarget(t.module)?.list(t.options as never, true) ?? ''
    if (text) s += ` ${text}`
  }
  return `${s}\n`
}
