/**
 * Answers the node requests (node-protocol.ts) from a Simulation: plain functions over its hosts,
 * kube-proxies and cluster snapshot, shaped for the UI (pages of rules, counters as iptables prints them).
 */
import { KUBE_PROXY_LAYOUT_RELEASE } from '../engine/kube-proxy/modes/iptables/compile.ts'
import type { SyncRecord } from '../engine/kube-proxy/sync-record.ts'
import { diffListingOf } from '../engine/kube-proxy/sync-record.ts'
import type { Simulation } from '../engine/simulation/simulation.ts'
import { ruleToSaveText } from '../engine/netfilter/format-rule.ts'
import { formatCount, ruleListLine } from '../engine/netfilter/list-rules.ts'
import { getTarget } from '../engine/netfilter/registry.ts'
import type { Ruleset } from '../engine/netfilter/ruleset.ts'
import type { Chain, Rule, TableName } from '../engine/netfilter/types.ts'
import type { ChainSummary, ConsoleEntry, RuleRow, SelectedChain, SyncView, TableQuery, TableView } from './node-protocol.ts'

/** Tables up to this many chains come with all their edges, for a graph of the whole table. */
export const WHOLE_GRAPH_LIMIT = 120
export const DEFAULT_PAGE = 200
/** Chains listed at most; a filter narrows a bigger table. */
export const CHAIN_LIST_LIMIT = 1000
/** Callers and callees of the open chain sent at most (KUBE-SERVICES jumps to every Service). */
export const NEIGHBOUR_LIMIT = 50
/** Diff lines sent per sync record; a full sync of a big cluster rewrites tens of thousands. */
export const DIFF_LINE_LIMIT = 2000
export const SYNC_RECORDS_SENT = 20
/** Characters of one console command's output sent to the UI (a transcript is sent whole on every change). */
export const CONSOLE_OUTPUT_LIMIT = 200_000

function jumpTarget(rule: Rule): string | undefined {
  const t = rule.target
  return t && (t.kind === 'jump' || t.kind === 'goto') ? t.chain : undefined
}

const LIST = { numeric: true, verbose: true, exact: false, lineNumbers: false } as const

/** One rule as the rules view shows it: `iptables -L -v -n` columns, split at the target. */
export function ruleRow(chain: string, rule: Rule, num: number): RuleRow {
  const pktsText = formatCount(rule.counters.packets, false)
  const bytesText = formatCount(rule.counters.bytes, false)
  const t = rule.target
  const targetChain = jumpTarget(rule)
  // The target column is what -L prints there: the chain, or the module's list name (e.g. MASQUERADE).
  const line = ruleListLine(rule, num, LIST).replace(/\n$/, '')
  const target = !t ? '' : t.kind === 'module' ? (getTarget(t.module)?.listName ?? t.module) : t.chain
  // list-rules pads the target to 9 columns and adds a space; the prot column follows.
  const rest = line.slice(pktsText.length + bytesText.length + Math.max(9, target.length) + 1)
  // The same rule without matches or target prints exactly the fixed columns: what follows is the options.
  const bare = ruleListLine({ ...rule, matches: [], target: undefined }, num, LIST).replace(/\n$/, '')
  const fixed = bare.length - pktsText.length - bytesText.length - 10
  const row: RuleRow = {
    num,
    packets: rule.counters.packets,
    bytes: rule.counters.bytes,
    pktsText,
    bytesText,
    target,
    columns: rest.slice(0, fixed).trimEnd(),
    extra: rest.slice(fixed).trim(),
    spec: `-A ${chain} ${ruleToSaveText(rule)}`.trimEnd(),
  }
  if (targetChain) row.targetChain = targetChain
  if (t?.kind === 'goto') row.goto = true
  return row
}

function saveLine(chain: string, rule: Rule): string {
  return `-A ${chain} ${ruleToSaveText(rule)}`
}

/**
 * What the rules view needs of a whole table, computed in one pass over its rules and kept while the table
 * is unchanged: a rule set holding 10,000 Services has over 100,000 chains, and a person clicks through
 * them one page at a time.
 */
interface TableIndex {
  /** Chains and rules counted when the index was built: a different count means the table changed. */
  fingerprint: string
  chains: Chain[]
  references: Map<string, number>
  /** Chains with a rule that jumps or goes to the key, each once, in list order. */
  callers: Map<string, string[]>
  edges: [string, string][]
  /** The last filter asked for, and the chains it keeps (typing refines one filter many times). */
  filtered?: { needle: string; chains: Chain[] }
}

const indexes = new WeakMap<Ruleset, Map<TableName, TableIndex>>()

function fingerprintOf(ruleset: Ruleset, table: TableName): string {
  let rules = 0
  const chains = ruleset.table(table).chains
  for (const c of chains.values()) rules += c.rules.length
  return `${chains.size}/${rules}`
}

function tableIndex(ruleset: Ruleset, table: TableName): TableIndex {
  let byTable = indexes.get(ruleset)
  if (!byTable) indexes.set(ruleset, (byTable = new Map()))
  const fingerprint = fingerprintOf(ruleset, table)
  const cached = byTable.get(table)
  if (cached && cached.fingerprint === fingerprint) return cached
  const chains = ruleset.chainsInOrder(table)
  const references = new Map<string, number>()
  const callers = new Map<string, string[]>()
  const edges: [string, string][] = []
  for (const c of chains) {
    for (const r of c.rules) {
      const to = jumpTarget(r)
      if (!to) continue
      references.set(to, (references.get(to) ?? 0) + 1)
      const from = callers.get(to)
      if (!from) callers.set(to, [c.name])
      else if (from[from.length - 1] !== c.name) from.push(c.name)
      else continue
      edges.push([c.name, to])
    }
  }
  const index: TableIndex = { fingerprint, chains, references, callers, edges }
  byTable.set(table, index)
  return index
}

function filteredChains(index: TableIndex, needle: string): Chain[] {
  if (needle === '') return index.chains
  if (index.filtered?.needle === needle) return index.filtered.chains
  const chains = index.chains.filter((c) => c.name.toLowerCase().includes(needle) || c.rules.some((r) => saveLine(c.name, r).toLowerCase().includes(needle)))
  index.filtered = { needle, chains }
  return chains
}

function summary(chain: Chain, references: Map<string, number>): ChainSummary {
  const s: ChainSummary = { name: chain.name, rules: chain.rules.length, references: references.get(chain.name) ?? 0 }
  if (chain.policy) {
    s.policy = chain.policy
    s.policyPackets = chain.policyCounters?.packets ?? 0
    s.policyBytes = chain.policyCounters?.bytes ?? 0
  }
  return s
}

/** A table's chains (filtered, at most CHAIN_LIST_LIMIT), its edges when small, and a page of the open chain. */
export function tableView(ruleset: Ruleset, node: string, query: TableQuery): TableView {
  const { table } = query
  const needle = query.filter?.trim().toLowerCase() ?? ''
  const index = tableIndex(ruleset, table)
  const shown = filteredChains(index, needle)
  const view: TableView = {
    node,
    table,
    exists: ruleset.exists(table),
    release: KUBE_PROXY_LAYOUT_RELEASE,
    chains: shown.slice(0, CHAIN_LIST_LIMIT).map((c) => summary(c, index.references)),
    matchingChains: shown.length,
    totalChains: index.chains.length,
  }
  if (index.chains.length <= WHOLE_GRAPH_LIMIT) view.edges = index.edges
  const chain = query.chain === undefined ? undefined : ruleset.chain(table, query.chain)
  if (chain) view.selected = selectedChain(index, chain, needle, query.offset ?? 0, query.limit ?? DEFAULT_PAGE)
  return view
}

function selectedChain(index: TableIndex, chain: Chain, needle: string, offset: number, limit: number): SelectedChain {
  // A filter that names the chain itself shows all of its rules.
  const filterRules = needle !== '' && !chain.name.toLowerCase().includes(needle)
  const numbered = chain.rules.map((rule, i) => ({ rule, num: i + 1 }))
  const kept = filterRules ? numbered.filter(({ rule }) => saveLine(chain.name, rule).toLowerCase().includes(needle)) : numbered
  const start = Math.max(0, Math.min(offset, Math.max(0, kept.length - 1)))
  const callers = index.callers.get(chain.name) ?? []
  const callees = unique(chain.rules.map(jumpTarget).filter((c): c is string => c !== undefined))
  const s = summary(chain, index.references)
  const selected: SelectedChain = {
    name: chain.name,
    references: s.references,
    total: kept.length,
    offset: start,
    rows: kept.slice(start, start + limit).map(({ rule, num }) => ruleRow(chain.name, rule, num)),
    callers: callers.slice(0, NEIGHBOUR_LIMIT),
    callees: callees.slice(0, NEIGHBOUR_LIMIT),
    callersTotal: callers.length,
    calleesTotal: callees.length,
  }
  if (s.policy) {
    selected.policy = s.policy
    selected.policyPackets = s.policyPackets
    selected.policyBytes = s.policyBytes
  }
  return selected
}

function unique(values: Iterable<string>): string[] {
  return [...new Set(values)]
}

/** Sync records newest first, their diffs cut to DIFF_LINE_LIMIT lines. */
export function syncViews(records: readonly SyncRecord[]): SyncView[] {
  return records.slice(-SYNC_RECORDS_SENT).reverse().map((r) => {
    const view: SyncView = {
      mode: r.mode,
      seq: r.seq,
      kind: r.kind,
      time: r.time,
      durationMs: r.durationMs,
      services: r.services,
      totalRules: r.totalRules,
      detail: r.detail,
      listing: diffListingOf(r.mode),
      added: r.diff.filter((d) => d.op === '+').length,
      removed: r.diff.filter((d) => d.op === '-').length,
      diff: r.diff.slice(0, DIFF_LINE_LIMIT).map((d) => (d.table === undefined ? { op: d.op, line: d.line } : { op: d.op, table: d.table, chain: d.chain, line: d.line })),
      diffTotal: r.diff.length,
    }
    if (r.reason !== undefined) view.reason = r.reason
    if (r.error !== undefined) view.error = r.error
    return view
  })
}

/**
 * The iptables chains kube-proxy has for a Service (KUBE-SVC-/SVL-/EXT-/FW- per service port, KUBE-SEP- per
 * endpoint) on any Node, as each Node's kube-proxy reports them: the same names on every Node.
 */
export function serviceChains(sim: Simulation, namespace: string, name: string): string[] {
  const chains: string[] = []
  for (const node of sim.nodeNames()) {
    // Only what is an iptables chain on the node (IPVS's virtual servers and nftables' chains are not).
    for (const c of sim.kubeProxy(node).chainsOf(`${namespace}/${name}`)) {
      if (sim.host(node).ruleset.chain('nat', c) !== undefined) chains.push(c)
    }
  }
  const rank = (c: string) => CHAIN_KIND_ORDER.findIndex((p) => c.startsWith(p))
  return unique(chains).sort((a, b) => rank(a) - rank(b))
}

/** A Service's chains listed as kube-proxy names them per service port: policy chains, then endpoints. */
const CHAIN_KIND_ORDER = ['KUBE-SVC-', 'KUBE-SVL-', 'KUBE-EXT-', 'KUBE-FW-', 'KUBE-SEP-']

/** The first `maxLines` lines of a text (all of it without a limit), and how many lines it has. */
export function firstLines(text: string, maxLines?: number): { text: string; totalLines: number } {
  let count = 0
  let cut = -1
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
    count++
    if (maxLines !== undefined && count === maxLines) cut = i + 1
  }
  if (text.length > 0 && !text.endsWith('\n')) count++
  return { text: cut >= 0 && maxLines !== undefined && count > maxLines ? text.slice(0, cut) : text, totalLines: count }
}

/** A console entry as sent to the UI: a huge output cut at a line end before CONSOLE_OUTPUT_LIMIT. */
export function consoleEntryView(entry: ConsoleEntry): ConsoleEntry {
  if (entry.out.length <= CONSOLE_OUTPUT_LIMIT) return entry
  const end = entry.out.lastIndexOf('\n', CONSOLE_OUTPUT_LIMIT)
  return { ...entry, out: entry.out.slice(0, end >= 0 ? end + 1 : CONSOLE_OUTPUT_LIMIT), outChars: entry.out.length }
}
