/**
 * ipset's kernel sets (net/netfilter/ipset) for the types kube-proxy's IPVS mode uses: hash:ip, hash:ip,port,
 * hash:ip,port,ip, hash:ip,port,net, hash:net and bitmap:port, IPv4 only.
 *
 * Hash sets are kept as the kernel keeps them — buckets indexed by jhash2 of the element with the set's
 * initval, slots within a bucket in insertion order with deleted slots reused — because `ipset list`
 * prints members in that order. "Size in memory" follows the kernel's accounting (ip_set_hash_gen.h:
 * a base per type, each bucket `sizeof(struct hbucket)` + slots × element size, grown and shrunk by
 * AHASH_INIT_SIZE slots), with the constants measured on kernel 6.x with ipset v7.17.
 * Not modelled: rehashing when a bucket outgrows `bucketsize` (needs > 12 colliding entries), timeouts,
 * counters and the other set types.
 */
import { formatIPv4, parseXtablesIPv4, prefixToMask } from '../net/ipv4.ts'
import { be32Word, jhash2, leWord } from './jhash.ts'

export type IpsetTypeName = 'hash:ip' | 'hash:ip,port' | 'hash:ip,port,ip' | 'hash:ip,port,net' | 'hash:net' | 'bitmap:port'

export const IPSET_TYPES: readonly IpsetTypeName[] = ['hash:ip', 'hash:ip,port', 'hash:ip,port,ip', 'hash:ip,port,net', 'hash:net', 'bitmap:port']

interface TypeInfo {
  revision: number
  /** Number of dimensions (how many src/dst flags of `-m set` it reads). */
  dims: number
  /** sizeof(struct <type>4_elem) */
  elemSize: number
  /** "Size in memory" of the empty set (hashsize 1024 or below; bitmap: without the bit array). */
  baseMemory: number
}

/** Revisions of ipset v7.17 on kernel 6.x and the measured/derived memory constants. */
const TYPE_INFO: Record<IpsetTypeName, TypeInfo> = {
  'hash:ip': { revision: 6, dims: 1, elemSize: 4, baseMemory: 216 },
  'hash:ip,port': { revision: 7, dims: 2, elemSize: 8, baseMemory: 216 },
  'hash:ip,port,ip': { revision: 6, dims: 3, elemSize: 12, baseMemory: 208 },
  'hash:ip,port,net': { revision: 8, dims: 3, elemSize: 12, baseMemory: 464 },
  'hash:net': { revision: 7, dims: 1, elemSize: 8, baseMemory: 456 },
  'bitmap:port': { revision: 3, dims: 1, elemSize: 0, baseMemory: 72 },
}

export function typeDimensions(type: IpsetTypeName): number {
  return TYPE_INFO[type].dims
}

/** AHASH_INIT_SIZE: slots a bucket starts with and grows/shrinks by. */
const AHASH_INIT_SIZE = 2
/** sizeof(struct hbucket) rounded to the u64 alignment of its value[] array. */
const HBUCKET_SIZE = 32
/** sizeof(struct ip_set_comment_rcu) before the string. */
const COMMENT_RCU_SIZE = 16
/** sizeof(struct hbucket) per region lock beyond the first (ahash_sizeof_regions). */
const REGION_SIZE = 24

export const PROTO_NUMBERS: Record<string, number> = { tcp: 6, udp: 17, sctp: 132, udplite: 136, icmp: 1 }
const PROTO_NAMES: Record<number, string> = { 6: 'tcp', 17: 'udp', 132: 'sctp', 136: 'udplite', 1: 'icmp' }

/** One element, parsed. Fields unused by a type are 0. */
export interface IpsetElement {
  ip: number
  port: number
  proto: number
  ip2: number
  /** Prefix of the net part (hash:net, hash:ip,port,net); 32 for plain addresses. */
  cidr: number
}

/** The skbinfo extension of an element: what `-j SET --map-set` writes to the packet. */
export interface SkbInfo {
  mark?: { value: number; mask: number }
  /** `MAJOR:MINOR` of the traffic class. */
  prio?: { major: number; minor: number }
  queue?: number
}

export interface IpsetMember {
  element: IpsetElement
  comment?: string
  skb?: SkbInfo
}

export interface IpsetOptions {
  family: 'inet'
  hashsize: number
  maxelem: number
  bucketsize: number
  initval: number
  comment: boolean
  /** The skbinfo extension (element fields skbmark, skbprio, skbqueue). */
  skbinfo?: boolean
  /** bitmap:port */
  range?: { first: number; last: number }
}

interface Bucket {
  /** Slot array; undefined is a deleted (unused) slot. */
  slots: (IpsetMember | undefined)[]
  /** n->size: allocated slots. */
  size: number
}

export class IpsetError extends Error {}

export class IpSet {
  /** Hash sets: bucket index → bucket. */
  private buckets = new Map<number, Bucket>()
  /** bitmap:port: port → member. */
  private bits = new Map<number, IpsetMember>()
  private extSize = 0
  private count = 0

  constructor(public name: string, readonly type: IpsetTypeName, readonly options: IpsetOptions) {}

  get isBitmap(): boolean {
    return this.type === 'bitmap:port'
  }

  get size(): number {
    return this.count
  }

  private get htableBits(): number {
    let bits = 0
    while ((1 << bits) < this.options.hashsize) bits++
    return bits
  }

  private dsize(): number {
    let size = TYPE_INFO[this.type].elemSize
    // ip_set_elem_len: each extension at its own alignment, the comment pointer (8 bytes, 8-aligned) before
    // struct ip_set_skbinfo (16 bytes, 4-aligned). Measured: hash:ip with two elements in two buckets is
    // 296 bytes plain, 344 with comment, 360 with skbinfo, 408 with both.
    if (this.options.comment) size = Math.ceil(size / 8) * 8 + 8
    if (this.options.skbinfo) size = Math.ceil(size / 4) * 4 + 16
    return size
  }

  private bucketOf(e: IpsetElement): number {
    return jhash2(hashWords(this.type, e), this.options.initval) & ((1 << this.htableBits) - 1)
  }

  /** Kernel memory as `ipset list` reports it. */
  memory(): number {
    if (this.isBitmap) {
      const { first, last } = this.options.range!
      const elements = last - first + 1
      return TYPE_INFO[this.type].baseMemory + Math.ceil(elements / 64) * 8 + (this.options.comment ? elements * 8 : 0) + this.extSize
    }
    const bits = this.htableBits
    const regions = bits < 10 ? 1 : 1 << (bits - 10)
    return TYPE_INFO[this.type].baseMemory + REGION_SIZE * (regions - 1) + this.extSize
  }

  /** Members in the order `ipset list` prints them. */
  members(): IpsetMember[] {
    if (this.isBitmap) return [...this.bits.entries()].sort((a, b) => a[0] - b[0]).map(([, m]) => m)
    const out: IpsetMember[] = []
    for (const index of [...this.buckets.keys()].sort((a, b) => a - b)) {
      for (const m of this.buckets.get(index)!.slots) if (m) out.push(m)
    }
    return out
  }

  has(e: IpsetElement): boolean {
    return this.find(e) !== undefined
  }

  private find(e: IpsetElement): IpsetMember | undefined {
    if (this.isBitmap) return this.bits.get(e.port)
    const bucket = this.buckets.get(this.bucketOf(e))
    return bucket?.slots.find((m) => m !== undefined && sameElement(m.element, e))
  }

  /** Add; throws IpsetError with the kernel's message when it is already there (unless `exist`). */
  add(e: IpsetElement, comment: string | undefined, exist: boolean, skb?: SkbInfo): void {
    if (comment !== undefined && !this.options.comment) throw new IpsetError('Comment cannot be used: set was created without comment support')
    if (skb !== undefined && !this.options.skbinfo) throw new IpsetError('Skbinfo mapping cannot be used: set was created without skbinfo support')
    const existing = this.find(e)
    if (existing) {
      if (!exist) throw new IpsetError("Element cannot be added to the set: it's already added")
      // -exist overwrites the extensions.
      this.setComment(existing, comment)
      existing.skb = skb
      return
    }
    if (this.count >= this.options.maxelem) throw new IpsetError('Hash is full, cannot add more elements')
    const member: IpsetMember = skb ? { element: e, skb } : { element: e }
    this.setComment(member, comment)
    this.count++
    if (this.isBitmap) {
      this.bits.set(e.port, member)
      return
    }
    const index = this.bucketOf(e)
    let bucket = this.buckets.get(index)
    const dsize = this.dsize()
    if (!bucket) {
      bucket = { slots: [], size: AHASH_INIT_SIZE }
      this.buckets.set(index, bucket)
      this.extSize += HBUCKET_SIZE + AHASH_INIT_SIZE * dsize
    }
    const free = bucket.slots.indexOf(undefined)
    if (free >= 0) {
      bucket.slots[free] = member
      return
    }
    if (bucket.slots.length >= bucket.size) {
      bucket.size += AHASH_INIT_SIZE
      // The kernel accounts a whole hbucket header again on each growth (ext_size(AHASH_INIT_SIZE, dsize)).
      this.extSize += HBUCKET_SIZE + AHASH_INIT_SIZE * dsize
    }
    bucket.slots.push(member)
  }

  private setComment(member: IpsetMember, comment: string | undefined): void {
    if (member.comment !== undefined) this.extSize -= COMMENT_RCU_SIZE + member.comment.length + 1
    member.comment = comment
    if (comment !== undefined) this.extSize += COMMENT_RCU_SIZE + comment.length + 1
  }

  /** Delete; throws IpsetError when absent (unless `exist`). */
  del(e: IpsetElement, exist: boolean): void {
    const member = this.find(e)
    if (!member) {
      if (exist) return
      throw new IpsetError("Element cannot be deleted from the set: it's not added")
    }
    this.setComment(member, undefined)
    this.count--
    if (this.isBitmap) {
      this.bits.delete(e.port)
      return
    }
    const index = this.bucketOf(e)
    const bucket = this.buckets.get(index)!
    const i = bucket.slots.indexOf(member)
    bucket.slots[i] = undefined
    // mtype_del: only the last slot shrinks pos; then count the holes.
    if (i + 1 === bucket.slots.length) bucket.slots.pop()
    const holes = bucket.slots.filter((m) => m === undefined).length
    const dsize = this.dsize()
    // Every remaining position unused: the bucket is freed (stable fix "ipset: ... deleted slots", in 6.x).
    if (holes === bucket.slots.length) {
      this.extSize -= HBUCKET_SIZE + bucket.size * dsize
      this.buckets.delete(index)
    } else if (holes >= AHASH_INIT_SIZE) {
      bucket.slots = bucket.slots.filter((m) => m !== undefined)
      bucket.size -= AHASH_INIT_SIZE
      this.extSize -= HBUCKET_SIZE + AHASH_INIT_SIZE * dsize
    }
  }

  flush(): void {
    this.buckets.clear()
    this.bits.clear()
    this.extSize = 0
    this.count = 0
  }

  /** The `Header:` line's text. */
  header(): string {
    const o = this.options
    if (this.isBitmap) return `range ${o.range!.first}-${o.range!.last}${o.comment ? ' comment' : ''}`
    return `family ${o.family} hashsize ${o.hashsize} maxelem ${o.maxelem}${o.comment ? ' comment' : ''}${o.skbinfo ? ' skbinfo' : ''} bucketsize ${o.bucketsize} initval 0x${o.initval.toString(16).padStart(8, '0')}`
  }

  get revision(): number {
    return TYPE_INFO[this.type].revision
  }
}

function sameElement(a: IpsetElement, b: IpsetElement): boolean {
  return a.ip === b.ip && a.port === b.port && a.proto === b.proto && a.ip2 === b.ip2 && a.cidr === b.cidr
}

/** The element struct as the words jhash2 reads (HKEY_DATALEN = sizeof(struct <type>4_elem)). */
function hashWords(type: IpsetTypeName, e: IpsetElement): number[] {
  const portHi = e.port >>> 8
  const portLo = e.port & 0xff
  switch (type) {
    case 'hash:ip': return [be32Word(e.ip)]
    // { __be32 ip; __be16 port; u8 proto; u8 padding; }
    case 'hash:ip,port': return [be32Word(e.ip), leWord(portHi, portLo, e.proto, 0)]
    // { __be32 ip; __be32 ip2; __be16 port; u8 proto; u8 padding; }
    case 'hash:ip,port,ip': return [be32Word(e.ip), be32Word(e.ip2), leWord(portHi, portLo, e.proto, 0)]
    // { __be32 ip; __be32 ip2; __be16 port; u8 cidr:7 (stored as cidr - 1); u8 nomatch:1; u8 proto; }
    case 'hash:ip,port,net': return [be32Word(e.ip), be32Word(e.ip2), leWord(portHi, portLo, (e.cidr - 1) & 0x7f, e.proto)]
    // { __be32 ip; u16 padding0; u8 nomatch; u8 cidr; }
    case 'hash:net': return [be32Word(e.ip), leWord(0, 0, 0, e.cidr)]
    case 'bitmap:port': return [e.port]
  }
}

// ------------------------------------------------------------------------------------------- element text

/** An element as `ipset list` prints it. */
export function formatElement(type: IpsetTypeName, e: IpsetElement): string {
  const proto = PROTO_NAMES[e.proto] ?? String(e.proto)
  switch (type) {
    case 'hash:ip': return formatIPv4(e.ip)
    case 'hash:ip,port': return `${formatIPv4(e.ip)},${proto}:${e.port}`
    case 'hash:ip,port,ip': return `${formatIPv4(e.ip)},${proto}:${e.port},${formatIPv4(e.ip2)}`
    // ipset prints a host network without its /32.
    case 'hash:ip,port,net': return `${formatIPv4(e.ip)},${proto}:${e.port},${formatIPv4(e.ip2)}${e.cidr === 32 ? '' : `/${e.cidr}`}`
    case 'hash:net': return e.cidr === 32 ? formatIPv4(e.ip) : `${formatIPv4(e.ip)}/${e.cidr}`
    case 'bitmap:port': return String(e.port)
  }
}

function parseAddress(text: string): number {
  const ip = parseXtablesIPv4(text)
  if (ip === undefined) throw new IpsetError(`Syntax error: cannot parse ${text}: resolving to IPv4 address failed`)
  return ip
}

function parseNet(text: string): { ip: number; cidr: number } {
  const [addr, prefixText] = text.split('/')
  const ip = parseAddress(addr)
  if (prefixText === undefined) return { ip, cidr: 32 }
  const cidr = /^\d+$/.test(prefixText) ? Number(prefixText) : NaN
  if (!(cidr >= 1 && cidr <= 32)) throw new IpsetError('The value of the CIDR parameter of the IP address is invalid')
  return { ip: (ip & prefixToMask(cidr)) >>> 0, cidr }
}

function parsePort(text: string, proto: string): number {
  const n = /^\d+$/.test(text) ? Number(text) : NaN
  if (!(n >= 0 && n <= 65535)) {
    throw new IpsetError(`Syntax error: '${text}' is out of range 0-65535\nSyntax error: '${proto}' is invalid as number\ncannot parse '${text}' as a ${proto} port`)
  }
  return n
}

/** `[proto:]port` as ipset parses the port part (default protocol tcp). */
function parseProtoPort(text: string): { proto: number; port: number } {
  const colon = text.indexOf(':')
  const protoName = colon >= 0 ? text.slice(0, colon) : 'tcp'
  const portText = colon >= 0 ? text.slice(colon + 1) : text
  const proto = PROTO_NUMBERS[protoName]
  if (proto === undefined || proto === 1) throw new IpsetError(proto === 1 ? `Cannot parse ${portText} as an ICMP type/code.` : `Syntax error: cannot parse '${protoName}' as a protocol`)
  return { proto, port: parsePort(portText, protoName) }
}

/** Parse an element written for a set of `type`, with ipset's error texts. */
export function parseElement(type: IpsetTypeName, text: string, range?: { first: number; last: number }): IpsetElement {
  const parts = text.split(',')
  const e: IpsetElement = { ip: 0, port: 0, proto: 0, ip2: 0, cidr: 32 }
  const need = TYPE_INFO[type].dims
  if (type !== 'bitmap:port' && type !== 'hash:ip' && type !== 'hash:net' && parts.length < need) {
    throw new IpsetError(`Syntax error: ${parts.length === 1 ? 'Second' : 'Third'} element is missing from ${text}.`)
  }
  switch (type) {
    case 'hash:ip':
      e.ip = parseAddress(parts[0])
      break
    case 'hash:net': {
      const n = parseNet(parts[0])
      e.ip = n.ip
      e.cidr = n.cidr
      break
    }
    case 'hash:ip,port':
    case 'hash:ip,port,ip':
    case 'hash:ip,port,net': {
      e.ip = parseAddress(parts[0])
      Object.assign(e, parseProtoPort(parts[1]))
      if (type === 'hash:ip,port,ip') e.ip2 = parseAddress(parts[2])
      if (type === 'hash:ip,port,net') {
        const n = parseNet(parts[2])
        e.ip2 = n.ip
        e.cidr = n.cidr
      }
      break
    }
    case 'bitmap:port': {
      const { port } = parseProtoPort(parts[0])
      if (range && (port < range.first || port > range.last)) throw new IpsetError('Element is out of the range of the set')
      e.port = port
      break
    }
  }
  return e
}

/** The skbinfo fields as `ipset list`/`save` print them after the element (and its comment). */
export function skbInfoText(skb: SkbInfo | undefined): string {
  if (!skb) return ''
  const parts: string[] = []
  if (skb.mark) parts.push(`skbmark 0x${skb.mark.value.toString(16)}${skb.mark.mask === 0xffffffff ? '' : `/0x${skb.mark.mask.toString(16)}`}`)
  if (skb.prio) parts.push(`skbprio ${skb.prio.major.toString(16)}:${skb.prio.minor.toString(16)}`)
  if (skb.queue !== undefined) parts.push(`skbqueue ${skb.queue}`)
  return parts.map((p) => ` ${p}`).join('')
}
