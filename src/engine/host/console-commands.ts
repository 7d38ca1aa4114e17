/**
 * Console commands a host answers beyond its own (console.ts): what the node's kube-proxy mode brings —
 * `nft list ...` (nftables mode), `ipvsadm`, `ipset`, `ip addr show kube-ipvs0` (IPVS mode). Registered per
 * host by the node's kube-proxy (kube-proxy/backend.ts); a registry so hosts without one carry nothing.
 */
import type { ConsoleResult } from './console.ts'

/** `words` is the command line split as the shell does (no leading sudo); undefined: not answered here. */
export type ConsoleCommands = (words: readonly string[], stdin?: string) => ConsoleResult | undefined

const registry = new WeakMap<object, ConsoleCommands>()

export function setConsoleCommands(host: object, commands: ConsoleCommands | undefined): void {
  if (commands) registry.set(host, commands)
  else registry.delete(host)
}

export function consoleCommandsOf(host: object): ConsoleCommands | undefined {
  return registry.get(host)
}
