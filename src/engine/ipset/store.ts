/**
 * A node's ipsets (the kernel's set list, in creation order as `ipset list` walks it), their `ipset list` /
 * `ipset save` text exactly as ipset v7.17 prints it, and the membership test behind `-m set --match-set`
 * (what a host's NodeNetView.ipsetTest answers with).
 */
import type { Packet } from '../netfilter/types.ts'
import { PROTO_NUMBERS, IpSet, IpsetError, formatElement, parseElement, skbInfoText, typeDimensions } from './model.ts'
import type { IpsetElement, IpsetMember, IpsetOptions, IpsetTypeName } from './model.ts'
import { inPrefix, parseXtablesIPv4 } from '../net/ipv4.ts'

export const IPSET_VERSION = 'v7.17'

export class IpsetStore {
  /**
   * The kernel's set array (ip_set_list): a new set takes the first free slot, so a set created after a
   * destroy lists where the destroyed one was (measured: create A B C, destroy B, create D → A D C).
   */
  private slots: (IpSet | undefined)[] = []
  /**
   * How many iptables rules reference each set (the kernel's `References:`). The node wires this to its
   * ruleset; a store on its own reports 0.
   */
  references: (name: string) => number = () => 0

  /** Every set in the order `ipset list` walks them. */
  all(): IpSet[] {
    return this.slots.filter((s): s is IpSet => s !== undefined)
  }

  get(name: string): IpSet | undefined {
    return this.slots.find((s) => s?.name === name)
  }

  create(name: string, type: IpsetTypeName, options: IpsetOptions, exist = false): IpSet {
    const existing = this.get(name)
    if (existing) {
      if (exist && existing.type === type) return existing
      throw new IpsetError('Set cannot be created: set with the same name already exists')
    }
    const set = new IpSet(name, type, options)
    const free = this.slots.indexOf(undefined)
    if (free >= 0) this.slots[free] = set
    else this.slots.push(set)
    return set
  }

  destroy(name?: string): void {
    const sets = name === undefined ? this.all() : [this.get(name)]
    for (const s of sets) {
      if (!s) throw new IpsetError('The set with the given name does not exist')
      if (this.references(s.name) > 0) throw new IpsetError('Set cannot be destroyed: it is in use by a kernel component')
    }
    for (const s of sets) this.slots[this.slots.indexOf(s)] = undefined
  }

  /** `ipset swap`: the two sets exchange slots and names (each name keeps its place in the list). */
  swap(a: IpSet, b: IpSet): void {
    const ia = this.slots.indexOf(a)
    const ib = this.slots.indexOf(b)
    this.slots[ia] = b
    this.slots[ib] = a
    const name = a.name
    a.name = b.name
    b.name = name
  }

  /** A deep copy (for clone() of a simulation). */
  clone(): IpsetStore {
    const copy = new IpsetStore()
    copy.references = this.references
    copy.slots = this.slots.map((set) => {
      if (!set) return undefined
      const s = new IpSet(set.name, set.type, { ...set.options })
      for (const m of set.members()) s.add(m.element, m.comment, false, m.skb)
      return s
    })
    return copy
  }
}

// ------------------------------------------------------------------------------------------- printing

function memberLine(set: IpSet, m: IpsetMember): string {
  return formatElement(set.type, m.element) + (m.comment !== undefined ? ` comment "${m.comment}"` : '') + skbInfoText(m.skb)
}

/**
 * `ipset list -sorted` order (measured): address, then protocol number, port, second address, and for
 * networks the longer prefix first.
 */
function compareMembers(a: IpsetElement, b: IpsetElement): number {
  return (a.ip - b.ip) || (a.proto - b.proto) || (a.port - b.port) || (a.ip2 - b.ip2) || (b.cidr - a.cidr)
}

/** One set as `ipset list NAME` prints it (`terse`: without members, as `-t`; `sorted`: as `-s`). */
export function listSet(store: IpsetStore, set: IpSet, terse = false, sorted = false): string {
  const lines = [
    `Name: ${set.name}`,
    `Type: ${set.type}`,
    `Revision: ${set.revision}`,
    `Header: ${set.header()}`,
    `Size in memory: ${set.memory()}`,
    `References: ${store.references(set.name)}`,
    `Number of entries: ${set.size}`,
  ]
  if (!terse) {
    lines.push('Members:')
    const members = set.members()
    if (sorted) members.sort((x, y) => compareMembers(x.element, y.element))
    for (const m of members) lines.push(memberLine(set, m))
  }
  return lines.join('\n') + '\n'
}

/** `ipset list [NAME]`: sets separated by an empty line. */
export function listSets(store: IpsetStore, name?: string, terse = false, sorted = false): string {
  const sets = name === undefined ? store.all() : [store.get(name)].filter((s): s is IpSet => !!s)
  return sets.map((s) => listSet(store, s, terse, sorted)).join('\n')
}

/** `ipset save [NAME]`: create line then add lines per set. */
export function saveSets(store: IpsetStore, name?: string): string {
  const sets = name === undefined ? store.all() : [store.get(name)].filter((s): s is IpSet => !!s)
  let out = ''
  for (const s of sets) {
    out += `create ${s.name} ${s.type} ${s.header()}\n`
    for (const m of s.members()) out += `add ${s.name} ${memberLine(s, m)}\n`
  }
  return out
}

// ------------------------------------------------------------------------------------------- matching

/** What the kernel reads from a packet for one direction flag: address and port (ip_set_get_ip4_port). */
function packetPart(packet: Packet, dir: 'src' | 'dst'): { ip: number; port: number; proto: number; withPorts: boolean } {
  const ip = parseXtablesIPv4(dir === 'src' ? packet.src : packet.dst) ?? 0
  const proto = typeof packet.proto === 'number' ? packet.proto : PROTO_NUMBERS[packet.proto] ?? 0
  const withPorts = proto === 6 || proto === 17 || proto === 132 || proto === 136
  let port = 0
  if (withPorts) port = (dir === 'src' ? packet.sport : packet.dport) ?? 0
  else if (proto === 1) port = ((packet.icmpType ?? 0) << 8) | (packet.icmpCode ?? 0)
  return { ip, port, proto, withPorts }
}

/**
 * Whether the set holds the element built from the packet for these direction flags; undefined when the set
 * does not exist. This is the shape of NodeNetView.ipsetTest.
 */
export function ipsetTest(store: IpsetStore, name: string, packet: Packet, dirs: ('src' | 'dst')[]): boolean | undefined {
  const set = store.get(name)
  if (!set) return undefined
  const dims = typeDimensions(set.type)
  // Fewer flags than dimensions: the kernel refuses to match (IPSET_ERR_TYPE_MISMATCH -> no match).
  if (dirs.length < dims) return false
  const first = packetPart(packet, dirs[0])
  switch (set.type) {
    case 'hash:ip':
      return set.has({ ip: first.ip, port: 0, proto: 0, ip2: 0, cidr: 32 })
    case 'hash:net':
      return set.members().some((m) => inPrefix(first.ip, m.element.ip, m.element.cidr))
    case 'bitmap:port':
      // bitmap:port reads the port of the first flag; protocols without ports never match.
      return first.withPorts && set.has({ ip: 0, port: first.port, proto: 0, ip2: 0, cidr: 32 })
    case 'hash:ip,port':
    case 'hash:ip,port,ip':
    case 'hash:ip,port,net': {
      // The port/protocol come from the second flag's direction.
      const second = packetPart(packet, dirs[1])
      if (!second.withPorts && second.proto !== 1) return false
      const base = { ip: first.ip, port: second.port, proto: second.proto }
      if (set.type === 'hash:ip,port') return set.has({ ...base, ip2: 0, cidr: 32 })
      const third = packetPart(packet, dirs[2])
      if (set.type === 'hash:ip,port,ip') return set.has({ ...base, ip2: third.ip, cidr: 32 })
      return set.members().some((m) => m.element.ip === base.ip && m.element.port === base.port &&
        m.element.proto === base.proto && inPrefix(third.ip, m.element.ip2, m.element.cidr))
    }
  }
}

export { parseElement }
