/**
 * Which iptables tables run at each netfilter hook, in the kernel's priority order: pure data that the UI
 * may import (the pipeline drawing) and the traversal runs by (traversal.ts), so there is one source.
 */
import type { Hook, TableName } from './types.ts'

/**
 * Tables registered at each hook, in priority order (conntrack runs after raw, at -200). iptables-nft
 * registers the security table at priority 150 (`nft list ruleset` shows it), not at legacy's 50: so at
 * INPUT the nat table (100) runs before security — measured with xtables-monitor --trace.
 */
export const HOOK_TABLES: Record<Hook, readonly TableName[]> = {
  PREROUTING: ['raw', 'mangle', 'nat'],
  INPUT: ['mangle', 'filter', 'nat', 'security'],
  FORWARD: ['mangle', 'filter', 'security'],
  OUTPUT: ['raw', 'mangle', 'nat', 'filter', 'security'],
  POSTROUTING: ['mangle', 'nat'],
}
