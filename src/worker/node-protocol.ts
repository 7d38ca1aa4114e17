/**
 * Messages about one Node's host: its console transcript, its netfilter rule set (a page at a time), its
 * `iptables-save` text and kube-proxy's sync records, plus the chain names of a Service. Every request
 * carries the scenario, like the cluster requests, so the engine answers for exactly that state. Big data
 * (rule sets with thousands of rules) stays in the worker: the UI asks for one chain's page of rules.
 */
import type { SyncRecord } from '../engine/kube-proxy/sync-record.ts'
import type { TableName } from '../engine/netfilter/types.ts'
import type { ConsoleRecord } from '../engine/scenario/run-operation.ts'
import type { Scenario } from './operations.ts'

export type NodeRequest =
  /** Every console line typed on the node so far (operations of type `console`), with its output. */
  | { type: 'nodeConsole'; scenario: Scenario; node: string }
  /** A table's chains and, when `chain` is given, one page of that chain's rules. */
  | { type: 'nodeTable'; scenario: Scenario; node: string; query: TableQuery }
  /** `iptables-save` (with `-c` when counters); with `maxLines`, only the first lines (a big node has 100,000s). */
  | { type: 'nodeSave'; scenario: Scenario; node: string; counters: boolean; maxLines?: number }
  /** kube-proxy's last syncs on the node, newest first. */
  | { type: 'nodeSyncs'; scenario: Scenario; node: string }
  /** The iptables chains kube-proxy names after one Service (the same on every Node). */
  | { type: 'serviceChains'; scenario: Scenario; namespace: string; name: string }

export type NodeResponse =
  | { type: 'nodeConsole'; entries: ConsoleEntry[] }
  | { type: 'nodeTable'; table: TableView }
  | { type: 'nodeSave'; text: string; totalLines: number }
  | { type: 'nodeSyncs'; syncs: SyncView[] }
  | { type: 'serviceChains'; chains: string[] }

/** A console line as the UI shows it (`clear`: the UI shows only what comes after the last one). */
export interface ConsoleEntry extends ConsoleRecord {
  /** Set when `out` was cut to its beginning (iptables-save on a big node): the full output's length. */
  outChars?: number
}

export interface TableQuery {
  table: TableName
  /** Case-insensitive text: chains whose name or any rule contains it; rules that contain it. */
  filter?: string
  chain?: string
  offset?: number
  limit?: number
}

export interface ChainSummary {
  name: string
  /** Built-in chains only. */
  policy?: string
  policyPackets?: number
  policyBytes?: number
  rules: number
  /** Rules that jump or go to this chain (the "N references" of `iptables -L`). */
  references: number
}

export interface RuleRow {
  /** 1-based, as `--line-numbers` counts. */
  num: number
  packets: number
  bytes: number
  /** The counters as `iptables -L -v` prints them (`  12K`). */
  pktsText: string
  bytesText: string
  /** The target column (`ACCEPT`, `KUBE-SVC-…`, `DNAT`, or empty). */
  target: string
  /** Set when the target is a user chain (jump or goto): the UI links to it. */
  targetChain?: string
  goto?: boolean
  /** The fixed columns of `iptables -L -v -n` after the target: prot, opt, in, out, source, destination. */
  columns: string
  /** What -L prints after the destination: each match's and the target's options (a comment, `tcp dpt:80`, ...). */
  extra: string
  /** The rule as `iptables -S` prints it (`-A CHAIN ...`). */
  spec: string
}

export interface SelectedChain {
  name: string
  policy?: string
  policyPackets?: number
  policyBytes?: number
  references: number
  /** Rules after filtering; `rows` is the page [offset, offset + rows.length). */
  total: number
  offset: number
  rows: RuleRow[]
  /** Chains with a rule that jumps or goes here, and chains this one jumps or goes to (each once, in order; the first 50). */
  callers: string[]
  callees: string[]
  callersTotal: number
  calleesTotal: number
}

export interface TableView {
  node: string
  table: string
  /** Whether the table exists in the kernel (iptables-save prints it). */
  exists: boolean
  /** The Kubernetes release whose kube-proxy layout the rules reproduce. */
  release: string
  /** Chains in `iptables -L` order (built-ins first), after filtering; at most the first 1000. */
  chains: ChainSummary[]
  /** Chains the filter keeps (all of them without a filter). */
  matchingChains: number
  /** Chains before filtering. */
  totalChains: number
  /** Every jump/goto between chains of the table, when the table is small enough to draw whole. */
  edges?: [from: string, to: string][]
  selected?: SelectedChain
}

/** A sync record as the Syncs view shows it (`time`: simulated ms since the simulation started). */
export interface SyncView extends Pick<SyncRecord, 'mode' | 'seq' | 'kind' | 'time' | 'durationMs' | 'reason' | 'services' | 'totalRules' | 'detail' | 'error'> {
  /** What the diff is of: `iptables-save`, or `nft list table ip kube-proxy`. */
  listing: string
  added: number
  removed: number
  /**
   * The diff, possibly cut short (`diffTotal` says how many lines there are). iptables-save lines carry
   * their table and chain.
   */
  diff: { op: '+' | '-'; table?: string; chain?: string; line: string }[]
  diffTotal: number
}
