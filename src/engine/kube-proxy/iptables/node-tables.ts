/**
 * A node's iptables state as `iptables-save` shows it, for the parts kube-proxy and kubelet own: what the
 * kernel holds after kubelet's setup, kube-proxy's EnsureChain/EnsureRule calls and its
 * `iptables-restore --noflush` payloads. Used to show a Node's rules and the diff of every sync when the
 * full netfilter engine is not involved, and by the upstream-test tracer (test-support).
 *
 * What a real kind node (Kubernetes v1.32, iptables 1.8.x nf_tables) shows besides kube-proxy's chains
 * (our choice, documented): kubelet's KUBE-IPTABLES-HINT (mangle), KUBE-KUBELET-CANARY (mangle, nat, filter),
 * KUBE-FIREWALL with the anti-martian rule and `-j KUBE-FIREWALL` first in INPUT and OUTPUT; kube-proxy's
 * KUBE-PROXY-CANARY (mangle, nat, filter). Not modelled: kindnet's KIND-MASQ-AGENT chain and Docker's
 * embedded-DNS rules (DOCKER_OUTPUT / DOCKER_POSTROUTING) which a kind node also has.
 */
import { ctime } from '../../netfilter/iptables-command.ts'
import { BUILTIN_CHAINS } from '../../netfilter/types.ts'
import type { TableName } from '../../netfilter/types.ts'
import { KUBE_FIREWALL, KUBE_FIREWALL_RULE_ARGS } from './compile.ts'
import type { IptablesCompileResult, JumpRule } from './compile.ts'
import { toSaveLine } from './save-format.ts'

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

/** What kubelet sets up on an IPv4 node before kube-proxy starts (pkg/kubelet/kubelet_network_linux.go). */
export function kubeletTables(): NodeTables {
  const tables: NodeTables = {}
  ensureChain(tables, 'mangle', 'KUBE-IPTABLES-HINT')
  ensureChain(tables, 'filter', KUBE_FIREWALL)
  ensureRule(tables, 'filter', KUBE_FIREWALL, toSaveLine(KUBE_FIREWALL, KUBE_FIREWALL_RULE_ARGS), 'append')
  ensureRule(tables, 'filter', 'OUTPUT', toSaveLine('OUTPUT', ['-j', KUBE_FIREWALL]), 'prepend')
  ensureRule(tables, 'filter', 'INPUT', toSaveLine('INPUT', ['-j', KUBE_FIREWALL]), 'prepend')
  for (const t of ['mangle', 'nat', 'filter'] as const) ensureChain(tables, t, 'KUBE-KUBELET-CANARY')
  return tables
}

/** kube-proxy's iptables.Monitor canaries, created when kube-proxy starts. */
export function addKubeProxyCanaries(tables: NodeTables): void {
  for (const t of ['mangle', 'nat', 'filter'] as const) ensureChain(tables, t, 'KUBE-PROXY-CANARY')
}

/** The jump rules of a full sync: EnsureChain(target) + EnsureRule(Prepend, chain, rule). */
export function applyJumpRules(tables: NodeTables, rules: readonly JumpRule[]): void {
  for (const r of rules) {
    ensureChain(tables, r.table, r.target)
    ensureRule(tables, r.table, r.chain, r.save, 'prepend')
  }
}

/**
 * `iptables-restore --noflush` of kube-proxy's payload: a declared chain is created or flushed, `-A`
 * appends, `-X` deletes. Throws like iptables-restore when a rule names a chain that does not exist or a
 * deleted chain is still referenced — in which case nothing is changed (the restore is atomic).
 */
export function applyPayload(tables: NodeTables, result: Pick<IptablesCompileResult, 'tables'>): NodeTables {
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
      for (const d of diffSequences(old?.rules ?? [], cur?.rules ?? [])) out.push({ ...d, table: name, chain: c.name })
    }
  }
  return out
}

function diffSequences(a: readonly string[], b: readonly string[]): { op: '+' | '-'; line: string }[] {
  // Trim the common head and tail first: syncs usually change a few lines of long chains.
  let start = 0
  while (start < a.length && start < b.length && a[start] === b[start]) start++
  let endA = a.length
  let endB = b.length
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) { endA--; endB-- }
  const x = a.slice(start, endA)
  const y = b.slice(start, endB)
  if (x.length === 0) return y.map((line) => ({ op: '+' as const, line }))
  if (y.length === 0) return x.map((line) => ({ op: '-' as const, line }))
  if (x.length * y.length > 4_000_000) {
    // Too big for an LCS table: report the middle as replaced.
    return [...x.map((line) => ({ op: '-' as const, line })), ...y.map((line) => ({ op: '+' as const, line }))]
  }
  const m = x.length
  const n = y.length
  const lcs: number[][] = Array.from({ length: m + 1 }, () => new Array<number>(n + 1).fill(0))
  for (let i = m - 1; i >= 0; i--) {
    for (let j = n - 1; j >= 0; j--) lcs[i][j] = x[i] === y[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1])
  }
  const out: { op: '+' | '-'; line: string }[] = []
  let i = 0
  let j = 0
  while (i < m && j < n) {
    if (x[i] === y[j]) { i++; j++ } else if (lcs[i + 1][j] >= lcs[i][j + 1]) out.push({ op: '-', line: x[i++] })
    else out.push({ op: '+', line: y[j++] })
  }
  while (i < m) out.push({ op: '-', line: x[i++] })
  while (j < n) out.push({ op: '+', line: y[j++] })
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

/** A node as a fresh kind node has it once kubelet and kube-proxy ran their first (full) sync. */
export function nodeTablesAfterFullSync(result: IptablesCompileResult): NodeTables {
  const tables = kubeletTables()
  addKubeProxyCanaries(tables)
  applyJumpRules(tables, result.jumpRules)
  return applyPayload(tables, result)
}
