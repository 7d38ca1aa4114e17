/**
 * An nftables table as the kernel holds it, in the terms `nft` uses on its command line: chains with their
 * rules, named sets and verdict maps with their elements. Rules are kept as the text a program (kube-proxy,
 * through knftables) writes in an `nft -f` transaction; list-format.ts turns them into what
 * `nft list table` prints back.
 *
 * Order matters and is kept: the kernel lists sets and chains in the order they were created, rules in
 * chain order. Elements are kept in insertion order; `nft list` sorts them on output (list-format.ts).
 */

export type NftFamily = 'ip' | 'ip6' | 'inet'
export type NftHook = 'prerouting' | 'input' | 'forward' | 'output' | 'postrouting'
export type NftChainType = 'filter' | 'nat' | 'route'

export interface NftBaseChainSpec {
  type: NftChainType
  hook: NftHook
  /** Numeric priority as the kernel stores it (e.g. dstnat-10 = -110). */
  priority: number
}

export interface NftRule {
  /** The rule's statements as written to `nft add rule`, without the comment. */
  text: string
  comment?: string
}

export interface NftChain {
  name: string
  /** Present for base chains (attached to a netfilter hook). */
  base?: NftBaseChainSpec
  comment?: string
  rules: NftRule[]
}

export interface NftElement {
  /** Key parts (`172.30.0.41`, `tcp`, `80`) as written, joined by ` . ` in nft syntax. */
  key: string[]
  /** For maps: the value parts (for a verdict map, one part such as `goto chain` or `drop`). */
  value?: string[]
  comment?: string
}

export interface NftSet {
  name: string
  kind: 'set' | 'map'
  /** The type clause as written: `ipv4_addr`, `ipv4_addr . inet_proto . inet_service : verdict`. */
  type: string
  flags?: string[]
  /** Default element timeout in seconds (sets with the timeout flag). */
  timeout?: number
  /**
   * Maximum size. nft gives a set that a rule updates dynamically (`update @set { ... }`) the size 65535
   * when none was asked for, in the same batch; it is then listed.
   */
  size?: number
  comment?: string
  elements: NftElement[]
}

export interface NftTable {
  family: NftFamily
  name: string
  comment?: string
  /** Sets and maps, in creation order. */
  sets: NftSet[]
  /** Chains, in creation order. */
  chains: NftChain[]
}

export function emptyTable(family: NftFamily, name: string): NftTable {
  return { family, name, sets: [], chains: [] }
}

export function cloneTable(t: NftTable): NftTable {
  return {
    ...t,
    sets: t.sets.map((s) => ({ ...s, flags: s.flags && [...s.flags], elements: s.elements.map((e) => ({ ...e })) })),
    chains: t.chains.map((c) => ({ ...c, rules: c.rules.map((r) => ({ ...r })) })),
  }
}

export function findChain(t: NftTable, name: string): NftChain | undefined {
  return t.chains.find((c) => c.name === name)
}

export function findSet(t: NftTable, name: string): NftSet | undefined {
  return t.sets.find((s) => s.name === name)
}

export function ruleCount(t: NftTable): number {
  return t.chains.reduce((n, c) => n + c.rules.length, 0)
}
