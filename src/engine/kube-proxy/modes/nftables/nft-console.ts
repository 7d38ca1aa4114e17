/** What nft answers on a node for a table that does not exist (nftables mode after cleanup, other modes). */
import type { ConsoleResult } from '../../../host/console-types.ts'

/** What nft says for `nft list table FAMILY NAME` when there is no such table (measured, nftables 1.0.6). */
export function missingNftTable(args: readonly string[]): ConsoleResult {
  const [family, name] = args.length >= 2 ? args : ['ip', args[0] ?? '']
  const prefix = `list table ${family} `
  return { rc: 1, out: '', err: `Error: No such file or directory\n${prefix}${name}\n${' '.repeat(prefix.length)}${'^'.repeat(name.length)}\n` }
}
