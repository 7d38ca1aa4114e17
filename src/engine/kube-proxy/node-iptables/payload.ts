/**
 * What kube-proxy writes into a node's iptables (iptables mode and the iptables half of IPVS mode): the
 * restore payload's tables and rules, and the jump rules it keeps in built-in chains with EnsureRule.
 */

export type PayloadTableName = 'filter' | 'nat'

export interface PayloadRule {
  table: PayloadTableName
  chain: string
  /** Arguments after `-A CHAIN`, comment values without quotes. */
  args: string[]
  /** The line as kube-proxy writes it into the restore payload. */
  text: string
  /** The line as `iptables-save` prints it once loaded. */
  save: string
  /** `namespace/name` of the Service this rule is for; undefined for kube-proxy's fixed rules. */
  service?: string
}

export interface PayloadTable {
  name: PayloadTableName
  /** Declared chains (`:NAME - [0:0]`), in emission order: each is flushed and rewritten. */
  chains: string[]
  /** `-A` rules in emission order. */
  rules: PayloadRule[]
  /** Chains deleted with `-X` (declared above too, as upstream does, so they are flushed first). */
  deletedChains: string[]
}

/** A rule kube-proxy keeps in a built-in chain with EnsureRule(Prepend) — not part of the payload. */
export interface JumpRule {
  table: 'filter' | 'nat'
  /** The built-in chain (INPUT, FORWARD, OUTPUT, PREROUTING, POSTROUTING). */
  chain: string
  /** The chain jumped to (EnsureChain makes sure it exists). */
  target: string
  args: string[]
  /** `iptables-save` form. */
  save: string
}

/** The tables of an iptables-restore payload (what `applyPayload` and a sync record need of a compile result). */
export interface RestorePayload {
  tables: { filter: PayloadTable; nat: PayloadTable }
}
