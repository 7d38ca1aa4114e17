/** The node's own addresses as kube-proxy reads them (every mode). */
import type { Node } from '../cluster/types.ts'
import { parseIPSloppy } from '../net/ipv4.ts'

/** A Node's IPv4 addresses from its status (InternalIP first, as kubelet reports them). */
export function nodeAddresses(node: Node | undefined): string[] {
  if (!node) return []
  const order = { InternalIP: 0, ExternalIP: 1, Hostname: 2 }
  return [...node.status.addresses]
    .filter((a) => a.type !== 'Hostname')
    .sort((a, b) => order[a.type] - order[b.type])
    .map((a) => parseIPSloppy(a.address))
    .filter((ip) => ip?.family === 'IPv4')
    .map((ip) => ip!.ip)
}
