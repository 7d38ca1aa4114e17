/**
 * What a node console command gives back, and the commands a host answers beyond its own (console.ts): what
 * the node's kube-proxy mode brings — `nft list ...` (nftables mode), `ipvsadm`, `ip addr show kube-ipvs0`
 * (IPVS mode) — set on the host as one of its extensions (Host.extensions.console).
 */

export interface ConsoleResult {
  rc: number
  out: string
  err: string
}

/** `words` is the command line split as the shell does (no leading sudo); undefined: not answered here. */
export type ConsoleCommands = (words: readonly string[], stdin?: string) => ConsoleResult | undefined
