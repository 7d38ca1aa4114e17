/**
 * Where nftables base chains run relative to iptables' tables at a netfilter hook. With iptables-nft the
 * iptables tables are nftables tables too, registered at their classic priorities; every base chain of
 * every table at a hook runs in priority order, and at equal priority the one registered *last* runs first
 * (measured with nft monitor trace: two tables with output chains at priority 0 — the table created second
 * is traced first). kubelet's and iptables' tables exist before kube-proxy creates `ip kube-proxy`, so at
 * equal priority kube-proxy's chains run before them.
 *
 * NAT is special: the NAT core runs the nat-type chains of a hook in priority order only until one of them
 * sets up a NAT binding for the connection; the others are then skipped (nf_nat_inet_fn). So after a mode
 * switch that left iptables' KUBE-SERVICES in place, whichever DNATs first wins.
 */
import type { Hook, TableName } from '../netfilter/types.ts'
import type { NftChain, NftHook, NftTable } from './model.ts'

/** iptables-nft table priorities at each hook (nat: dstnat -100 before routing, srcnat 100 after). */
export function iptablesPriority(table: TableName, hook: NftHook): number {
  switch (table) {
    case 'raw': return -300
    case 'mangle': return -150
    case 'nat': return hook === 'prerouting' || hook === 'output' ? -100 : 100
    case 'filter': return 0
    case 'security': return 150
  }
}

export const NFT_HOOK: Record<Hook, NftHook> = {
  PREROUTING: 'prerouting', INPUT: 'input', FORWARD: 'forward', OUTPUT: 'output', POSTROUTING: 'postrouting',
}

export type HookStage =
  | { kind: 'iptables'; table: TableName; priority: number; nat: boolean }
  | { kind: 'nft'; table: NftTable; chain: NftChain; priority: number; nat: boolean }

/**
 * The stages a packet meets at a hook: iptables tables (registered first, in the given order) and
 * nftables base chains (tables in creation order, registered after iptables').
 */
export function hookSchedule(hook: NftHook, iptablesTables: readonly TableName[], nftTables: readonly NftTable[]): HookStage[] {
  const registered: HookStage[] = [
    ...iptablesTables.map((table): HookStage => ({ kind: 'iptables', table, priority: iptablesPriority(table, hook), nat: table === 'nat' })),
    // hookChains returns tie-reversed order; restore registration order before the common sort.
    ...nftTables.flatMap((table) => table.chains.filter((c) => c.base?.hook === hook).map((chain): HookStage => ({
      kind: 'nft', table, chain, priority: chain.base!.priority, nat: chain.base!.type === 'nat',
    }))),
  ]
  const order = new Map(registered.map((s, i) => [s, i]))
  return registered.sort((a, b) => a.priority - b.priority || order.get(b)! - order.get(a)!)
}
