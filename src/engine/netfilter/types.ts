/**
 * The contract between netfilter's parts: the rule model (built by the iptables command line and
 * iptables-restore, printed by iptables-save / -S / -L), the match and target modules (one file each,
 * behind one registry) and the traversal engine (hooks, routing, conntrack) that evaluates them.
 */

export type TableName = 'raw' | 'mangle' | 'nat' | 'filter' | 'security'

export type Hook = 'PREROUTING' | 'INPUT' | 'FORWARD' | 'OUTPUT' | 'POSTROUTING'

/** Built-in chains of each table, in the order iptables-save lists them. */
export const BUILTIN_CHAINS: Record<TableName, readonly Hook[]> = {
  raw: ['PREROUTING', 'OUTPUT'],
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  security: ['INPUT', 'FORWARD', 'OUTPUT'],
}

export type Policy = 'ACCEPT' | 'DROP'

// ---------------------------------------------------------------------------------------------- packets

export type L4Proto = 'tcp' | 'udp' | 'icmp' | 'sctp'

export interface TcpFlags {
  SYN: boolean
  ACK: boolean
  FIN: boolean
  RST: boolean
  PSH: boolean
  URG: boolean
  ECE?: boolean
  CWR?: boolean
}

/** What the kernel looks at in an IPv4 packet. Immutable: a change makes a new packet. */
export interface Packet {
  src: string
  dst: string
  /** Protocol name when iptables knows one, else the IP protocol number. */
  proto: L4Proto | number
  sport?: number
  dport?: number
  tcpFlags?: TcpFlags
  icmpType?: number
  icmpCode?: number
  /** ICMP echo identifier (conntrack uses it as the "port" of an ICMP flow). */
  icmpId?: number
  /** Total length in bytes (IP header included): what byte counters add up. */
  length: number
  ttl: number
  tos?: number
  /** Interface the packet arrived on (PREROUTING, INPUT, FORWARD). */
  inIface?: string
  /** Interface the packet will leave by (FORWARD, OUTPUT, POSTROUTING). */
  outIface?: string
  /** skb->mark */
  mark: number
  // Optional header details the LOG target prints (nf_log_syslog.c); defaults are used when absent.
  /** The link-layer header as the kernel logs it (`MAC=` field), e.g. `02:42:...:08:00`. */
  macHeader?: string
  /** IP identification field (`ID=`). */
  ipId?: number
  /** Don't-fragment bit (`DF`). */
  dontFragment?: boolean
  /** TCP window (`WINDOW=`), sequence and acknowledgement numbers (`SEQ=`/`ACK=` with --log-tcp-sequence). */
  tcpWindow?: number
  tcpSeq?: number
  tcpAck?: number
  /** ICMP echo sequence number (`SEQ=`). */
  icmpSeq?: number
  /** Owner of the sending socket for locally generated packets (`UID=`/`GID=` with --log-uid). */
  uid?: number
  gid?: number
  /**
   * ICMP errors (destination unreachable, time exceeded, ...): the header of the packet the error is
   * about, as quoted inside it. Conntrack finds the connection from it (state RELATED) and NAT rewrites it.
   */
  quoted?: ConnTuple
  // Header fields some matches and targets read or write; absent means the default stated in each module.
  /** AH/ESP security parameter index, or the IPComp CPI. */
  spi?: number
  /** DCCP packet type (0 REQUEST ... 9 SYNCACK). */
  dccpType?: number
  /** The MSS option of a TCP segment (SYN and SYN-ACK carry one), absent when the segment has none. */
  tcpMss?: number
  /** TCP option kinds the segment carries besides MSS (e.g. 4 SACK permitted, 8 timestamps). */
  tcpOptions?: number[]
  /** The payload bytes after the transport header (each character one byte, 0-255); absent: zero bytes. */
  payload?: string
  /** skb->priority (CLASSIFY sets it; tc classifies by it). */
  priority?: number
  /** skb->secmark (SECMARK, CONNSECMARK). */
  secmark?: number
  /** Whether the IP checksum / transport checksum were filled in (CHECKSUM --checksum-fill). */
  checksumFilled?: boolean
}

export type ConntrackState = 'NEW' | 'ESTABLISHED' | 'RELATED' | 'INVALID' | 'UNTRACKED'

export interface ConnTuple {
  proto: L4Proto | number
  src: string
  dst: string
  sport?: number
  dport?: number
  /** ICMP tuples carry type, code and echo id instead of ports (`conntrack -L` prints `type= code= id=`). */
  icmpType?: number
  icmpCode?: number
  icmpId?: number
}

/** A conntrack entry as the kernel keeps it (and `conntrack -L` prints it). */
export interface ConntrackEntry {
  id: number
  original: ConnTuple
  reply: ConnTuple
  /** TCP state name for TCP (`SYN_SENT`, `ESTABLISHED`, ...). */
  tcpState?: string
  status: { seenReply: boolean; assured: boolean; confirmed: boolean; srcNat: boolean; dstNat: boolean }
  mark: number
  timeout: number
  /** The conntrack helper attached (CT --helper), e.g. `ftp`. */
  helper?: string
  /** The conntrack zone (CT --zone); absent means zone 0. */
  zone?: number
  /** CT --zone-orig / --zone-reply: the zone holds for one direction's tuple only (absent: both). */
  zoneDir?: 'orig' | 'reply'
  /** ct->secmark (CONNSECMARK --save). */
  secmark?: number
  /** Packets and bytes per direction, when accounting is shown. */
  counters?: { original: { packets: number; bytes: number }; reply: { packets: number; bytes: number } }
}

/** The conntrack view a match sees while a packet traverses (ctstate, ctdir, tuples, ctmark). */
export interface ConntrackInfo {
  state: ConntrackState
  /** Direction of this packet within its connection. */
  direction: 'ORIGINAL' | 'REPLY'
  entry?: ConntrackEntry
  /** The entry was created for this packet and is not confirmed yet (it joins the table if the packet survives). */
  unconfirmed?: boolean
  /** Seconds until the entry expires (what `--ctexpire` compares). */
  expiresIn?: number
}

/** What matches may ask of the node's connection tracking table (connlimit's garbage collection). */
export interface ConntrackView {
  /** Whether the connection is in the table and not closed (TCP CLOSE and TIME_WAIT count as closed). */
  isLive(id: number): boolean
}

// ---------------------------------------------------------------------------------------------- node view

/** Address type as `-m addrtype` understands it (RTN_* names). */
export type AddrType =
  | 'UNSPEC' | 'UNICAST' | 'LOCAL' | 'BROADCAST' | 'ANYCAST' | 'MULTICAST'
  | 'BLACKHOLE' | 'UNREACHABLE' | 'PROHIBIT' | 'THROW' | 'NAT' | 'XRESOLVE'

/** What a match may ask about the node a packet is on. */
export interface NodeNetView {
  /** The address type of `addr` as seen from this node, optionally limited to one interface's table. */
  addrType(addr: string, limitIface?: string): AddrType
  /** The primary address of an interface (MASQUERADE uses the outgoing interface's). */
  primaryAddress(iface: string): string | undefined
  /** Whether an ipset by this name exists and contains the entry built from the given packet fields. */
  ipsetTest?(setName: string, packet: Packet, dirs: ('src' | 'dst')[]): boolean | undefined
}

/** A deterministic random source: a float in [0, 1). */
export interface Rng {
  next(): number
}

export interface EvalContext {
  packet: Packet
  hook: Hook
  table: TableName
  chain: string
  ct: ConntrackInfo | undefined
  node: NodeNetView
  rng: Rng
  /** Simulated time in milliseconds (for `limit`, `recent`). */
  now: number
  /** The node's conntrack table (absent where a context is built without one, e.g. in unit tests). */
  conntrack?: ConntrackView
  /** The packet is a copy TEE sent (nf_skb_duplicated): TEE does not copy it again. */
  duplicated?: boolean
  /** The node's route to an address (absent where a context is built without a host). */
  route?: (dst: string) => { dev: string; local: boolean } | undefined
  /**
   * Persistent state for stateful matches (`statistic --mode nth` counters, `limit` buckets,
   * `recent` lists): one Map per node, the same across packets. Modules key their entries themselves:
   * per rule by `table/chain/Rule.id/match index` (nth, limit), per list name for `recent` (`recent:NAME`,
   * shared by every rule naming the list, as the kernel's lists are).
   */
  state: Map<string, unknown>
}

// ---------------------------------------------------------------------------------------------- rules

/** Why a clause of a rule matched or did not: shown to the learner for each skipped rule. */
export interface ClauseResult {
  /** The clause as iptables-save prints it, e.g. `-d 10.96.0.10/32` or `-m statistic --mode random --probability 0.5`. */
  clause: string
  matched: boolean
  /** Human explanation, e.g. `destination 10.96.0.1 is not in 10.96.0.10/32`. */
  why: string
}

/** An IPv4 address with a prefix, stored canonically (the network address, as iptables prints it). */
export interface Cidr {
  /** Address as iptables prints it after masking, e.g. `10.96.0.0`. */
  address: string
  /** Prefix length; -1 when the mask is not contiguous (then `netmask` holds it). */
  prefix: number
  /** The dotted mask, only for a non-contiguous mask such as `/255.0.255.0` (iptables accepts and prints those). */
  netmask?: string
}

export interface Negatable<T> {
  value: T
  negated: boolean
}

/** The instance of a `-m NAME` module (or an implicit protocol match) in one rule. */
export interface MatchInstance {
  /** Registry key, e.g. `tcp`, `comment`, `statistic`. */
  module: string
  /** Module-specific parsed options (the module's own exhaustive type). */
  options: unknown
}

/** The target of a rule: a registered target module, or a jump/goto to a user chain. */
export type TargetInstance =
  | { kind: 'module'; module: string; options: unknown }
  | { kind: 'jump'; chain: string }
  | { kind: 'goto'; chain: string }

export interface Rule {
  /**
   * Stable identity of the rule across rule-set clones (set by the rule set when the rule is added):
   * stateful matches (`statistic --mode nth`, `limit`) key their state in EvalContext.state by it.
   */
  id?: number
  /** `-s` (absent when any). */
  source?: Negatable<Cidr>
  /** `-d` (absent when any). */
  destination?: Negatable<Cidr>
  /** `-p`, as a name iptables prints (`tcp`) or a number. */
  protocol?: Negatable<L4Proto | number | string>
  inInterface?: Negatable<string>
  outInterface?: Negatable<string>
  /** `-f` */
  fragment?: Negatable<true>
  /** Matches in the order iptables-save prints them. */
  matches: MatchInstance[]
  /** No target is allowed (a rule that only counts). */
  target?: TargetInstance
  counters: { packets: number; bytes: number }
}

export interface Chain {
  name: string
  /** Built-in chains only. */
  policy?: Policy
  /** Counters on a built-in chain's policy. */
  policyCounters?: { packets: number; bytes: number }
  rules: Rule[]
}

export interface Table {
  name: TableName
  /** Built-in chains first in BUILTIN_CHAINS order, then user chains in creation order. */
  chains: Map<string, Chain>
}

// ---------------------------------------------------------------------------------------------- verdicts and traces

export type RejectKind =
  | 'icmp-net-unreachable' | 'icmp-host-unreachable' | 'icmp-port-unreachable' | 'icmp-proto-unreachable'
  | 'icmp-net-prohibited' | 'icmp-host-prohibited' | 'icmp-admin-prohibited' | 'tcp-reset'

/** What a target does to a packet. */
export type TargetOutcome =
  | { verdict: 'ACCEPT' }
  | { verdict: 'DROP' }
  | { verdict: 'REJECT'; kind: RejectKind }
  | { verdict: 'RETURN' }
  /** Non-terminating (LOG, MARK, CONNMARK, CT, ...): evaluation continues with the next rule. */
  | { verdict: 'CONTINUE' }
  /** NAT: bind the connection and accept. `to` is the new address and optional port (range). */
  | { verdict: 'NAT'; nat: NatAction }

export interface NatAction {
  /** DNAT and REDIRECT change the destination; SNAT and MASQUERADE the source. */
  kind: 'DNAT' | 'SNAT' | 'MASQUERADE' | 'REDIRECT' | 'NETMAP'
  /** Chosen address (for MASQUERADE: the outgoing interface's; for REDIRECT: the incoming's primary). */
  address?: string
  addressRange?: [string, string]
  port?: number
  portRange?: [number, number]
  /** `PORT-PORT/BASE` (NF_NAT_RANGE_PROTO_OFFSET): the new port is min + (port - BASE) mod the range's size. */
  portBase?: number
  random?: boolean
  randomFully?: boolean
  persistent?: boolean
}

export interface TargetEffects {
  outcome: TargetOutcome
  /** New packet mark, when the target set one. */
  mark?: number
  /** New conntrack mark, when the target set one. */
  ctMark?: number
  /** Untrack the connection (NOTRACK, CT --notrack). */
  notrack?: boolean
  /** A kernel log line to append to the node's dmesg (LOG). */
  log?: string
  /** Header fields the target rewrote (TTL, TOS/DSCP/ECN, TCP MSS and options, priority, secmark). */
  packet?: Partial<Packet>
  /** What the target sets on the packet's connection (CONNSECMARK --save: its secmark). */
  conn?: Partial<Pick<ConntrackEntry, 'secmark'>>
  /**
   * CT in the raw table: the conntrack template attached to the packet; the connection conntrack then
   * creates for it takes the template's zone and helper (an existing connection keeps its own).
   */
  ctTemplate?: ConntrackTemplate
  /**
   * A packet the target sends in answer, attached to the packet's connection (untracked when the packet
   * is): SYNPROXY's SYN-ACK. It leaves through OUTPUT and POSTROUTING.
   */
  answer?: Packet
  /** TEE: send a copy of the packet towards this gateway (nf_dup_ipv4), untracked, through OUTPUT. */
  duplicate?: { gateway: string; oif?: string }
  /** Human explanation for the trace. */
  why?: string
}

/** What CT in the raw table attaches to a packet for the connection conntrack then finds or creates. */
export interface ConntrackTemplate {
  zone?: number
  zoneDir?: 'orig' | 'reply'
  helper?: string
}

/** One step of a packet's way through netfilter. */
export interface TraceStep {
  hook: Hook
  table: TableName
  chain: string
  /** 1-based rule number in the chain, or null when the chain's policy applied / a chain returned. */
  rule: number | null
  /** The rule as iptables-save prints it (`-A CHAIN ...`), or `policy ACCEPT`, or `return from CHAIN`. */
  text: string
  matched: boolean
  clauses: ClauseResult[]
  /** The verdict or jump this step produced, e.g. `ACCEPT`, `jump KUBE-SERVICES`, `DNAT to 10.244.1.2:80`. */
  verdict?: string
  packetBefore: Packet
  packetAfter: Packet
  /** `xtables-monitor --trace` style line. */
  kernelTrace: string
  /**
   * Set when the step is not an iptables rule: `nftables` for a rule or policy of an nftables base chain
   * (then `table` is the chain's type — nat or filter —, `chain` the nftables chain, `text` the rule as
   * `nft list` prints it, `kernelTrace` the `nft monitor trace` line(s)); `ipvs` for IPVS at its hook
   * (then `table` is nat, `chain` the kernel hook function, e.g. ip_vs_remote_request4).
   */
  engine?: 'nftables' | 'ipvs'
  /** The nftables table of an `nftables` step (`ip kube-proxy`). */
  nftTable?: string
}

// ---------------------------------------------------------------------------------------------- modules

/**
 * A `-m NAME` module (or the implicit match `-p tcp` loads). Each lives in its own file under
 * `matches/` and is registered once in `registry.ts`; adding `-m foo` touches only those two places.
 * Parsing and printing are the module's own (see registry.ts for the parse interface); evaluation is
 * the part the traversal engine calls.
 */
export interface MatchEvaluator<O = unknown> {
  /** One result per clause of this module instance (e.g. `--dport 80` and `--tcp-flags ...`). */
  evaluate(options: O, ctx: EvalContext): ClauseResult[]
}

/** A `-j NAME` target module: what it does to a packet that reached it. */
export interface TargetApplier<O = unknown> {
  apply(options: O, ctx: EvalContext): TargetEffects
}
