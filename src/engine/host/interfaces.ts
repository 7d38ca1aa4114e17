/** Network interfaces of a simulated host, as `ip link` / `ip addr` know them. */
import { broadcastOf, formatIPv4, parseCidr } from '../net/ipv4.ts'

export interface InterfaceAddress {
  /** Dotted quad, e.g. `172.18.0.2`. */
  address: string
  prefix: number
  /** Broadcast address (`brd`), as Docker-created interfaces carry one. */
  broadcast: string
}

export interface NetInterface {
  /** ifindex: lo is 1, then in creation order. */
  index: number
  name: string
  kind: 'loopback' | 'veth'
  mac: string
  mtu: number
  /** Peer ifindex printed as `eth0@ifN` for veth interfaces. */
  peerIndex?: number
  /** The first address is the primary one (MASQUERADE and source selection use it). */
  addresses: InterfaceAddress[]
}

export function interfaceAddress(cidr: string): InterfaceAddress {
  const { address, prefix } = parseCidr(cidr)
  return { address: formatIPv4(address), prefix, broadcast: formatIPv4(broadcastOf(address, prefix)) }
}

export function loopback(): NetInterface {
  return {
    index: 1, name: 'lo', kind: 'loopback', mac: '00:00:00:00:00:00', mtu: 65536,
    addresses: [{ address: '127.0.0.1', prefix: 8, broadcast: '127.255.255.255' }],
  }
}

/** A deterministic locally administered MAC from the interface's first address (as Docker derives them). */
export function macFor(addr: string | undefined, index: number): string {
  const parts = addr ? addr.split('.').map(Number) : [0, 0, 0, index]
  return ['02', '42', ...parts.map((n) => n.toString(16).padStart(2, '0'))].join(':')
}
