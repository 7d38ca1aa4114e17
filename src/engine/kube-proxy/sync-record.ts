/**
 * What one sync of a node's kube-proxy did, in every mode: when and why, which Services it rewrote, what it
 * sent to the kernel and which lines of the node's listing it changed, plus what only that mode has
 * (`detail`). The node's kube-proxy (node-kube-proxy.ts) keeps the last SYNC_HISTORY_LIMIT of them.
 */
import type { TableName } from '../netfilter/types.ts'
import type { ProxyMode } from './proxy-modes.ts'

/** How many sync records a node's kube-proxy keeps. */
export const SYNC_HISTORY_LIMIT = 50

/** A line of the node's listing a sync added or removed. */
export interface SyncDiffLine {
  op: '+' | '-'
  line: string
  /** iptables-save lines (iptables and IPVS modes): the table and the chain the line belongs to. */
  table?: TableName
  chain?: string
}

export interface IptablesSyncDetail {
  mode: 'iptables'
  /** Payload `-A` lines written (nat + filter), and chains declared (without `-X`'d ones). */
  rulesWritten: number
  chainsWritten: number
  /** Stale chains deleted (`-X`). */
  deletedChains: string[]
}

export interface IpvsSyncDetail {
  mode: 'ipvs'
  /** Payload `-A` lines written and chains declared (IPVS mode rewrites them all on every sync). */
  rulesWritten: number
  chainsWritten: number
  /** The ipset commands the sync ran (`create … -exist` of every set, then `del` and `add` of entries). */
  ipsetCommands: number
  /** Virtual servers after the sync. */
  virtualServers: number
}

export interface NftablesSyncDetail {
  mode: 'nftables'
  /** Operations in the sync's transaction (upstream's nft.LastTransaction.NumOperations()). */
  operations: number
  /** Chains flushed and waiting to be deleted. */
  staleChains: string[]
}

export type SyncDetail = IptablesSyncDetail | IpvsSyncDetail | NftablesSyncDetail

/** What a sync reports in every mode (each mode's proxier adds what only it has). */
export interface SyncFacts {
  /** 1, 2, 3 … per node (in a SyncRecord: across mode switches). */
  seq: number
  kind: 'full' | 'partial'
  /** Simulated time of the sync in ms (since the epoch when the cluster clock's RFC 3339 time was given). */
  time: number
  /** The cluster clock's time of the sync (RFC 3339), when the caller gave it. */
  at?: string
  /** Wall-clock time the compile + apply took here (performance.now()). */
  durationMs: number
  /** Why the sync was full (first sync, configuration changed, mode changed, restore failed, …). */
  reason?: string
  /** Services whose rules were rewritten (all of them in a full sync). */
  services: string[]
  /** Rules kube-proxy has on the node after the sync, as upstream's metrics count them. */
  totalRules: number
  /** What the sync sent to the kernel: the iptables-restore input, or the nft transaction(s). */
  payload: string
  /**
   * Lines the sync added and removed: of iptables-save chain by chain (iptables and IPVS modes), of
   * `nft list table ip kube-proxy` (nftables mode).
   */
  diff: SyncDiffLine[]
  /** Set when the kernel refused the sync; the next one is then full. */
  error?: string
}

export interface SyncRecord extends SyncFacts {
  mode: ProxyMode
  detail: SyncDetail
}

/** What the node's listing is that a mode's sync diff is made of. */
export function diffListingOf(mode: ProxyMode): string {
  return mode === 'nftables' ? 'nft list table ip kube-proxy' : 'iptables-save'
}
