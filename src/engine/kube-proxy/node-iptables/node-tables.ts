/**
 * A node's iptables state as `iptables-save` shows it, for the parts kube-proxy and kubelet own: what the
 * kernel holds after kubelet's setup (kubelet.ts), kube-proxy's EnsureChain/EnsureRule calls (writer.ts) and
 * its `iptables-restore --noflush` payloads. Used to show a Node's rules and the diff of every sync when the
 * full netfilter engine is not involved, and by the upstream-test tracer (test-support).
 */
import { ctime } from '../../netfilter/iptables-command.ts'
import { BUILTIN_CHAINS } from '../../netfilter/types.ts'
import type { TableName } from '../../netfilter/types.ts'
import { diffLines } from '../line-diff.ts'
import type { RestorePayload } from './payload.ts'

export interface NodeChain {
  name: string
  /** Policy of a built-in chain; undefined for user chains. */
  policy?: 'ACCEPT' | 'DROP'
  /** Rules in `iptables-save` form, in order. */
  rules: string[]
}

/**
 * Tables in the order iptables-nft's iptables-save prints them: checked with 1.8.9 in a namespace where all
 * four were created in the order nat, filter, raw, mangle — it printed mangle, raw, filter, nat.
 */
export const SAVE_TABLE_ORDER: readonly TableName[] = ['mangle', 'security', 'raw', 'filter', 'nat']

export type NodeTables = Partial<Record<TableName, Record<string, NodeChain>>>

function table(tables: NodeTables, name: TableName): Record<string, NodeChain> {
  let t = tables[name]
  if (!t) {
    t = {}
    for (const c of BUILTIN_CHAINS[name]) t[c] = { name: c, policy: 'ACCEPT', rules: [] }
    tables[name] = t
  }
  return t
}

/** `iptables -N` if absent (EnsureChain). */
export function ensureChain(tables: NodeTables, tableName: TableName, chain: string): void {
  const t = table(tables, tableName)
  if (!t[chain]) t[chain] = { name: chain, rules: [] }
}

/** EnsureRule(Prepend/Append): `iptables -C` then `-I chain 1` / `-A` when the rule is not there yet. */
export function ensureRule(tables: NodeTables, tableName: TableName, chain: string, saveLine: string, position: 'prepend' | 'append'): boolean {
  ensureChain(tables, tableName, chain)
  const c = table(tables, tableName)[chain]
  if (c.rules.includes(saveLine)) return false
  if (position === 'prepend') c.rules.unshift(saveLine)
  else c.rules.push(saveLine)
  return true
}

/**
 * `iptables-restore --noflush` of kube-proxy's payload: a declared chain is created or flushed, `-A`
 * appends, `-X` deletes. Throws like iptables-restore when a rule names a chain that does not exist or a
 * deleted chain is still referenced — in which case nothing is changed (the restore is atomic).
 */
export function applyPayload(tables: NodeTables, result: RestorePayload): NodeTables {
  // Copy on write: the result shares every chain the payload does not touch (a partial sync touches few).
  const next: NodeTables = { ...tables }
  for (const p of [result.tables.filter, result.tables.nat]) {
    const t: Record<string, NodeChain> = tables[p.name] ? { ...tables[p.name] } : fresh(p.name)
    next[p.name] = t
    const declared = new Set<string>()
    for (const c of p.chains) {
      t[c] = t[c] ? { ...t[c], rules: [] } : { name: c, rules: [] }
      declared.add(c)
    }
    for (const r of p.rules) {
      const c = t[r.chain]
      if (!c) throw new Error(`iptables-restore: chain ${r.chain} does not exist (table ${p.name})`)
      if (!declared.has(r.chain)) {
        t[r.chain] = { ...c, rules: [...c.rules] }
        declared.add(r.chain)
      }
      t[r.chain].rules.push(r.save)
    }
    if (p.deletedChains.length > 0) {
      const targets = new Set<string>()
      for (const c of Object.values(t)) {
        for (const rule of c.rules) {
          const j = rule.indexOf(' -j ')
          if (j >= 0) targets.add(rule.slice(j + 4).split(' ')[0])
        }
      }
      for (const c of p.deletedChains) {
        if (targets.has(c)) throw new Error(`iptables-restore: chain ${c} is still referenced (table ${p.name})`)
        delete t[c]
      }
    }
  }
  return next
}

function fresh(name: TableName): Record<string, NodeChain> {
  const t: Record<string, NodeChain> = {}
  for (const c of BUILTIN_CHAINS[name]) t[c] = { name: c, policy: 'ACCEPT', rules: [] }
  return t
}

export function cloneTables(tables: NodeTables): NodeTables {
  const out: NodeTables = {}
  for (const [name, chains] of Object.entries(tables) as [TableName, Record<string, NodeChain>][]) {
    const copy: Record<string, NodeChain> = {}
    for (const [k, c] of Object.entries(chains)) copy[k] = { ...c, rules: [...c.rules] }
    out[name] = copy
  }
  return out
}

/** Chains of one table in iptables-save order: built-ins in kernel order, then user chains by name (ASCII). */
export function orderedChains(tableName: TableName, chains: Record<string, NodeChain>): NodeChain[] {
  const builtins = BUILTIN_CHAINS[tableName].filter((c) => chains[c]).map((c) => chains[c])
  const user = Object.values(chains).filter((c) => c.policy === undefined)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  return [...builtins, ...user]
}

export interface SaveOptions {
  /** Header time; without it the `# Generated by` / `# Completed on` lines are left out. */
  now?: Date
  /** Only these tables (default: every table present). */
  tables?: readonly TableName[]
}

/** `iptables-save` text of the node's tables (counters all [0:0]: no traffic in this view). */
export function renderIptablesSave(tables: NodeTables, options: SaveOptions = {}): string {
  const out: string[] = []
  for (const name of SAVE_TABLE_ORDER) {
    const t = tables[name]
    if (!t || (options.tables && !options.tables.includes(name))) continue
    const stamp = options.now ? ctime(options.now) : undefined
    if (stamp) out.push(`# Generated by iptables-save v1.8.9 (nf_tables) on ${stamp}`)
    out.push(`*${name}`)
    const chains = orderedChains(name, t)
    for (const c of chains) out.push(`:${c.name} ${c.policy ?? '-'} [0:0]`)
    for (const c of chains) out.push(...c.rules)
    out.push('COMMIT')
    if (stamp) out.push(`# Completed on ${stamp}`)
  }
  return out.join('\n') + '\n'
}

export interface SaveDiffLine {
  op: '+' | '-'
  table: TableName
  /** The chain the line belongs to (for `:CHAIN` lines, the chain itself). */
  chain: string
  line: string
}

/**
 * What changed between two states, as added/removed iptables-save lines, chain by chain: a chain that
 * appeared or vanished shows its `:CHAIN` line; rules are compared per chain as sequences (an LCS), so a
 * rule inserted in the middle shows as one `+` line.
 */
export function diffTables(before: NodeTables, after: NodeTables): SaveDiffLine[] {
  const out: SaveDiffLine[] = []
  for (const name of SAVE_TABLE_ORDER) {
    const a = before[name] ?? {}
    const b = after[name] ?? {}
    if (!before[name] && !after[name]) continue
    // Only chains whose object changed can differ (applyPayload copies on write); order those as
    // iptables-save does.
    const changed: Record<string, NodeChain> = {}
    for (const [n, c] of Object.entries(b)) if (a[n] !== c) changed[n] = c
    for (const [n, c] of Object.entries(a)) if (!(n in b)) changed[n] = c
    for (const c of orderedChains(name, changed)) {
      const old = a[c.name]
      const cur = b[c.name]
      if (!old) out.push({ op: '+', table: name, chain: c.name, line: `:${c.name} ${cur.policy ?? '-'} [0:0]` })
      if (!cur) out.push({ op: '-', table: name, chain: c.name, line: `:${c.name} ${old.policy ?? '-'} [0:0]` })
      for (const d of diffLines(old?.rules ?? [], cur?.rules ?? [])) out.push({ ...d, table: name, chain: c.name })
    }
  }
  return out
}

/** The tables an `iptables-save` text shows (headers and counters ignored). */
export function tablesFromSave(text: string): NodeTables {
  const tables: NodeTables = {}
  let current: Record<string, NodeChain> | undefined
  for (const line of text.split('\n')) {
    if (line.startsWith('*')) {
      current = {}
      tables[line.slice(1) as TableName] = current
    } else if (line.startsWith(':') && current) {
      const [name, policy] = line.slice(1).split(' ')
      current[name] = policy === '-' ? { name, rules: [] } : { name, policy: policy as 'ACCEPT' | 'DROP', rules: [] }
    } else if (line.startsWith('-A ') && current) {
      const chain = line.slice(3, line.indexOf(' ', 3) < 0 ? undefined : line.indexOf(' ', 3))
      current[chain]?.rules.push(line)
    }
  }
  return tables
}
