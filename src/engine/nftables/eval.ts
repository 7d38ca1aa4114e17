/**
 * An nftables interpreter for the rules kube-proxy writes: a packet goes through the base chains of one
 * netfilter hook (all tables, by priority), rule by rule, with jump/goto/return, verdict maps, sets
 * (static, anonymous and dynamic with timeouts), `numgen random` (from a seeded generator), marks, `dnat to`,
 * `masquerade` and `reject`; NAT base chains only see the first packet of a connection (ct state new), as
 * in the kernel. Every step is reported as the line `nft monitor trace` prints for it (measured with
 * nftables v1.0.6 / Linux 6.x in network namespaces):
 *
 *   trace id 9f12ba27 ip kube-proxy nat-output packet: oif "kn0" ip saddr 10.0.0.1 ip daddr 172.30.0.41 …
 *   trace id 9f12ba27 ip kube-proxy services rule ip daddr . meta l4proto . th dport vmap @service-ips (verdict goto service-…)
 *   trace id 9f12ba27 ip kube-proxy filter-output policy accept meta mark 0x00004000
 *
 * (the packet line opens every base chain; rules that do not match print nothing; falling off a regular
 * chain prints nothing; `reject` is reported as `verdict drop`; `dnat`/`masquerade` as `verdict accept`;
 * packet and policy lines end with a space.)
 */
import ipaddr from 'ipaddr.js'
import { formatRuleText } from './list-format.ts'
import type { NftChain, NftElement, NftHook, NftRule, NftSet, NftTable } from './model.ts'

export type NftL4Proto = 'tcp' | 'udp' | 'sctp'

export interface NftPacket {
  iif?: string
  oif?: string
  etherSaddr?: string
  etherDaddr?: string
  saddr: string
  daddr: string
  /** DSCP name as nft prints it (cs0 for best effort). */
  dscp?: string
  ttl: number
  id: number
  length: number
  protocol: NftL4Proto
  sport: number
  dport: number
  /** TCP flags as nft prints them after `tcp flags ==` (`syn`, `0x14`). */
  tcpFlags?: string
  tcpWindow?: number
  mark: number
  /** Conntrack state of the packet's connection. */
  ct: 'new' | 'established' | 'related'
}

export interface NftHostContext {
  /** `fib saddr/daddr type local`: is this address one of the host's? */
  isLocal(ip: string): boolean
  /** Seeded generator in [0, 1) for `numgen random`. */
  random(): number
  /** Seconds, for dynamic set element timeouts. */
  now: number
  /** Elements added from the packet path (`update @set`): set name → element → expiry (s). */
  dynamicSets: Map<string, Map<string, number>>
}

export type NftNat = { type: 'dnat'; addr: string; port: number } | { type: 'masquerade'; fullyRandom: boolean }

export interface NftTraceLine {
  table: string
  chain: string
  kind: 'packet' | 'rule' | 'policy'
  /** The rule as listed (rule lines). */
  rule?: string
  verdict?: string
  /** The whole line as `nft monitor trace` prints it. */
  text: string
}

export interface NftHookResult {
  verdict: 'accept' | 'drop'
  /** The drop came from a `reject` statement (the sender gets an ICMP error / TCP reset). */
  rejected: boolean
  /** The packet after the hook (NAT applied). */
  packet: NftPacket
  nat: NftNat[]
  trace: NftTraceLine[]
  /** Rules looked at (matched or not), the cost measure. */
  rulesEvaluated: number
}

// ---------------------------------------------------------------------------------------------------
// Rule parsing (the subset kube-proxy writes)

type Field = 'ip saddr' | 'ip daddr' | 'meta l4proto' | 'th dport'

type Expr =
  | { op: 'ct-state'; states: string[] }
  | { op: 'addr'; field: 'ip saddr' | 'ip daddr'; negate: boolean; values: string[] }
  | { op: 'addr-set'; field: 'ip saddr' | 'ip daddr'; negate: boolean; set: string }
  | { op: 'lookup'; fields: Field[]; set: string }
  | { op: 'vmap'; fields: Field[]; map: string }
  | { op: 'l4proto'; proto: string }
  | { op: 'dport'; proto: string; port: number }
  | { op: 'fib-local'; field: 'saddr' | 'daddr' }
  | { op: 'mark-match'; mask: number; cmp: '==' | '!='; value: number }
  | { op: 'mark-set'; how: 'or' | 'xor'; value: number }
  | { op: 'numgen'; mod: number; entries: Map<number, string> }
  | { op: 'update'; set: string }
  | { op: 'dnat'; addr: string; port: number }
  | { op: 'masquerade'; fullyRandom: boolean }
  | { op: 'reject' }
  | { op: 'verdict'; verdict: string }

export class NftRuleSyntaxError extends Error {}

function tokenize(text: string): string[] {
  const tokens: string[] = []
  let i = 0
  while (i < text.length) {
    if (text[i] === ' ') {
      i++
      continue
    }
    if (text[i] === '{') {
      const end = text.indexOf('}', i)
      tokens.push(text.slice(i, end + 1))
      i = end + 1
      continue
    }
    let j = i
    while (j < text.length && text[j] !== ' ') j++
    tokens.push(text.slice(i, j))
    i = j
  }
  return tokens
}

const braceItems = (tok: string) => tok.slice(1, -1).split(',').map((s) => s.trim()).filter(Boolean)
const num = (t: string) => Number(t)

function parseRule(text: string): Expr[] {
  const t = tokenize(text)
  const out: Expr[] = []
  let i = 0
  const fail = (): never => {
    throw new NftRuleSyntaxError(`rule not understood at "${t.slice(i).join(' ')}": ${text}`)
  }
  const field = (): Field | undefined => {
    const two = `${t[i]} ${t[i + 1]}`
    if (two === 'ip saddr' || two === 'ip daddr' || two === 'meta l4proto' || two === 'th dport') {
      i += 2
      return two
    }
    return undefined
  }
  while (i < t.length) {
    const tok = t[i]
    if (tok === 'ct' && t[i + 1] === 'state') {
      out.push({ op: 'ct-state', states: t[i + 2].split(',') })
      i += 3
    } else if ((tok === 'ip' || tok === 'meta') && (t[i + 1] === 'saddr' || t[i + 1] === 'daddr' || t[i + 1] === 'l4proto')) {
      const first = field() ?? fail()
      if (t[i] === '.') {
        const fields: Field[] = [first]
        while (t[i] === '.') {
          i++
          fields.push(field() ?? fail())
        }
        if (t[i] === 'vmap' && t[i + 1]?.startsWith('@')) {
          out.push({ op: 'vmap', fields, map: t[i + 1].slice(1) })
          i += 2
        } else if (t[i]?.startsWith('@')) {
          out.push({ op: 'lookup', fields, set: t[i].slice(1) })
          i++
        } else fail()
      } else if (first === 'meta l4proto') {
        out.push({ op: 'l4proto', proto: t[i++] })
      } else if (first === 'ip saddr' || first === 'ip daddr') {
        let negate = false
        if (t[i] === '!=') {
          negate = true
          i++
        }
        const v = t[i++] ?? fail()
        if (v.startsWith('@')) out.push({ op: 'addr-set', field: first, negate, set: v.slice(1) })
        else out.push({ op: 'addr', field: first, negate, values: v.startsWith('{') ? braceItems(v) : [v] })
      } else fail()
    } else if ((tok === 'tcp' || tok === 'udp' || tok === 'sctp') && t[i + 1] === 'dport') {
      out.push({ op: 'dport', proto: tok, port: num(t[i + 2]) })
      i += 3
    } else if (tok === 'fib' && t[i + 2] === 'type' && t[i + 3] === 'local') {
      out.push({ op: 'fib-local', field: t[i + 1] as 'saddr' | 'daddr' })
      i += 4
    } else if (tok === 'mark' && t[i + 1] === 'and') {
      out.push({ op: 'mark-match', mask: num(t[i + 2]), cmp: t[i + 3] as '==' | '!=', value: num(t[i + 4]) })
      i += 5
    } else if (tok === 'mark' && t[i + 1] === 'set' && t[i + 2] === 'mark') {
      out.push({ op: 'mark-set', how: t[i + 3] as 'or' | 'xor', value: num(t[i + 4]) })
      i += 5
    } else if (tok === 'numgen' && t[i + 1] === 'random' && t[i + 2] === 'mod' && t[i + 4] === 'vmap') {
      const entries = new Map<number, string>()
      for (const item of braceItems(t[i + 5])) {
        const m = /^(\d+) : (.*)$/.exec(item)
        if (!m) fail()
        entries.set(Number(m![1]), m![2])
      }
      out.push({ op: 'numgen', mod: num(t[i + 3]), entries })
      i += 6
    } else if (tok === 'update' && t[i + 1]?.startsWith('@')) {
      out.push({ op: 'update', set: t[i + 1].slice(1) })
      i += 3
    } else if (tok === 'dnat' && t[i + 1] === 'to') {
      const target = t[i + 2]
      const colon = target.lastIndexOf(':')
      out.push({ op: 'dnat', addr: target.slice(0, colon), port: Number(target.slice(colon + 1)) })
      i += 3
    } else if (tok === 'masquerade') {
      const fullyRandom = t[i + 1] === 'fully-random'
      out.push({ op: 'masquerade', fullyRandom })
      i += fullyRandom ? 2 : 1
    } else if (tok === 'reject') {
      out.push({ op: 'reject' })
      i++
    } else if (tok === 'jump' || tok === 'goto') {
      out.push({ op: 'verdict', verdict: `${tok} ${t[i + 1]}` })
      i += 2
    } else if (tok === 'return' || tok === 'accept' || tok === 'drop' || tok === 'continue') {
      out.push({ op: 'verdict', verdict: tok })
      i++
    } else fail()
  }
  return out
}

const parsed = new Map<string, Expr[]>()
function rulePlan(text: string): Expr[] {
  let plan = parsed.get(text)
  if (!plan) {
    plan = parseRule(text)
    if (parsed.size > 100_000) parsed.clear()
    parsed.set(text, plan)
  }
  return plan
}

// ---------------------------------------------------------------------------------------------------
// Evaluation

interface TableIndex {
  chains: Map<string, NftChain>
  sets: Map<string, NftSet>
  /** Per set: elements by key text, when no element is an interval (then lookups are exact). */
  elements: Map<string, Map<string, NftElement> | null>
}

/** Name and element indexes per table (tables are not changed once built: transactions make new ones). */
const indexes = new WeakMap<NftTable, TableIndex>()

function indexOf(t: NftTable): TableIndex {
  let ix = indexes.get(t)
  if (!ix) {
    ix = { chains: new Map(t.chains.map((c) => [c.name, c])), sets: new Map(t.sets.map((s) => [s.name, s])), elements: new Map() }
    indexes.set(t, ix)
  }
  return ix
}

function elementIndex(t: NftTable, set: NftSet): Map<string, NftElement> | null {
  const ix = indexOf(t)
  let m = ix.elements.get(set.name)
  if (m === undefined) {
    m = set.elements.some((e) => e.key.some((k) => k.includes('/'))) ? null : new Map(set.elements.map((e) => [e.key.join(' . '), e]))
    ix.elements.set(set.name, m)
  }
  return m
}

/** The element of a named set or map with exactly this key (intervals: the first containing it). */
function lookup(t: NftTable, name: string, key: string[]): NftElement | undefined {
  const set = indexOf(t).sets.get(name)
  if (!set) return undefined
  const m = elementIndex(t, set)
  if (m) return m.get(key.join(' . '))
  return set.elements.find((e) => e.key.length === key.length && e.key.every((k, i) => (k.includes('/') ? addrIn(key[i], k) : k === key[i])))
}

function addrIn(ip: string, value: string): boolean {
  const a = ipaddr.parse(ip)
  if (value.includes('/')) {
    const [net, prefix] = ipaddr.parseCIDR(value)
    return a.kind() === net.kind() && a.match(net, prefix)
  }
  return ip === value
}

function fieldValue(p: NftPacket, f: Field): string {
  switch (f) {
    case 'ip saddr': return p.saddr
    case 'ip daddr': return p.daddr
    case 'meta l4proto': return p.protocol
    case 'th dport': return String(p.dport)
  }
}

interface RuleOutcome {
  matched: boolean
  verdict?: string
}

class Evaluator {
  readonly trace: NftTraceLine[] = []
  readonly nat: NftNat[] = []
  rulesEvaluated = 0
  rejected = false
  constructor(readonly table: NftTable, public packet: NftPacket, readonly ctx: NftHostContext, readonly traceId: string) {}

  private line(chain: string, kind: NftTraceLine['kind'], body: string, extra: Partial<NftTraceLine> = {}): void {
    this.trace.push({
      table: this.table.name, chain, kind, ...extra,
      text: `trace id ${this.traceId} ${this.table.family} ${this.table.name} ${chain} ${body}`,
    })
  }

  private setHas(name: string, key: string[]): boolean {
    const dyn = this.ctx.dynamicSets.get(name)
    if (dyn && key.length === 1) {
      const expiry = dyn.get(key[0])
      if (expiry !== undefined && expiry > this.ctx.now) return true
    }
    return lookup(this.table, name, key) !== undefined
  }

  evalRule(rule: NftRule): RuleOutcome {
    let verdict: string | undefined
    for (const e of rulePlan(rule.text)) {
      const p = this.packet
      switch (e.op) {
        case 'ct-state':
          if (!e.states.includes(p.ct)) return { matched: false }
          break
        case 'addr': {
          const v = e.field === 'ip saddr' ? p.saddr : p.daddr
          if (e.values.some((x) => addrIn(v, x)) === e.negate) return { matched: false }
          break
        }
        case 'addr-set': {
          const v = e.field === 'ip saddr' ? p.saddr : p.daddr
          if (this.setHas(e.set, [v]) === e.negate) return { matched: false }
          break
        }
        case 'lookup':
          if (!this.setHas(e.set, e.fields.map((f) => fieldValue(p, f)))) return { matched: false }
          break
        case 'vmap': {
          const key = e.fields.map((f) => fieldValue(p, f))
          const el = lookup(this.table, e.map, key)
          if (!el) return { matched: false }
          verdict = el.value![0]
          break
        }
        case 'l4proto':
          if (p.protocol !== e.proto) return { matched: false }
          break
        case 'dport':
          if (p.protocol !== e.proto || p.dport !== e.port) return { matched: false }
          break
        case 'fib-local':
          if (!this.ctx.isLocal(e.field === 'saddr' ? p.saddr : p.daddr)) return { matched: false }
          break
        case 'mark-match':
          if (((p.mark & e.mask) === e.value) !== (e.cmp === '==')) return { matched: false }
          break
        case 'mark-set':
          this.packet = { ...p, mark: e.how === 'or' ? (p.mark | e.value) : (p.mark ^ e.value) }
          break
        case 'numgen': {
          const n = Math.floor(this.ctx.random() * e.mod)
          const v = e.entries.get(n)
          if (v === undefined) return { matched: false }
          verdict = v
          break
        }
        case 'update': {
          const set = indexOf(this.table).sets.get(e.set)
          let dyn = this.ctx.dynamicSets.get(e.set)
          if (!dyn) this.ctx.dynamicSets.set(e.set, (dyn = new Map()))
          dyn.set(this.packet.saddr, this.ctx.now + (set?.timeout ?? 0))
          break
        }
        case 'dnat':
          this.nat.push({ type: 'dnat', addr: e.addr, port: e.port })
          verdict = 'accept'
          break
        case 'masquerade':
          this.nat.push({ type: 'masquerade', fullyRandom: e.fullyRandom })
          verdict = 'accept'
          break
        case 'reject':
          this.rejected = true
          verdict = 'drop'
          break
        case 'verdict':
          verdict = e.verdict
          break
      }
      // A verdict ends the rule.
      if (verdict !== undefined) break
    }
    return { matched: true, verdict }
  }

  /** One base chain: returns its verdict. */
  runBaseChain(base: NftChain): 'accept' | 'drop' {
    this.line(base.name, 'packet', `packet: ${packetText(this.packet)}`)
    const stack: { chain: NftChain; index: number }[] = []
    let chain = base
    let index = 0
    for (;;) {
      if (index >= chain.rules.length) {
        const top = stack.pop()
        if (!top) break
        chain = top.chain
        index = top.index
        continue
      }
      const rule = chain.rules[index++]
      this.rulesEvaluated++
      const r = this.evalRule(rule)
      if (!r.matched) continue
      const v = r.verdict ?? 'continue'
      const listed = formatRuleText(rule.text) + (rule.comment !== undefined ? ` comment "${rule.comment}"` : '')
      this.line(chain.name, 'rule', `rule ${listed} (verdict ${v})`, { rule: listed, verdict: v })
      if (v === 'continue') continue
      if (v === 'accept') return 'accept'
      if (v === 'drop') return 'drop'
      if (v === 'return') {
        const top = stack.pop()
        if (!top) break
        chain = top.chain
        index = top.index
        continue
      }
      const [kind, target] = v.split(' ')
      const next = indexOf(this.table).chains.get(target)
      if (!next) throw new NftRuleSyntaxError(`${kind} to a chain that does not exist: ${target}`)
      if (kind === 'jump') stack.push({ chain, index })
      chain = next
      index = 0
    }
    const mark = this.packet.mark ? `meta mark 0x${this.packet.mark.toString(16).padStart(8, '0')} ` : ''
    this.line(base.name, 'policy', `policy accept ${mark}`, { verdict: 'accept' })
    return 'accept'
  }
}

/** The packet part of a trace line, fields as nft prints them, each followed by a space. */
export function packetText(p: NftPacket): string {
  let s = ''
  if (p.iif) s += `iif "${p.iif}" `
  if (p.oif) s += `oif "${p.oif}" `
  if (p.etherSaddr) s += `ether saddr ${p.etherSaddr} ether daddr ${p.etherDaddr} `
  s += `ip saddr ${p.saddr} ip daddr ${p.daddr} ip dscp ${p.dscp ?? 'cs0'} ip ecn not-ect ip ttl ${p.ttl} ip id ${p.id} ip length ${p.length} `
  if (p.protocol === 'tcp') {
    s += `tcp sport ${p.sport} tcp dport ${p.dport} tcp flags == ${p.tcpFlags ?? 'syn'} tcp window ${p.tcpWindow ?? 64240} `
  } else if (p.protocol === 'udp') {
    s += `udp sport ${p.sport} udp dport ${p.dport} udp length ${p.length - 20} `
  } else {
    s += `sctp sport ${p.sport} sctp dport ${p.dport} `
  }
  return s
}

/** nft's trace id: 32 random bits, 8 hex digits. */
export function traceIdFrom(random: () => number): string {
  return Math.floor(random() * 0x100000000).toString(16).padStart(8, '0')
}

/**
 * The base chains of a hook across tables (given in creation order), in the order the kernel runs them:
 * by priority, and at equal priority the one registered last first (measured: of two tables with output
 * chains at priority 0, the table created second traces first).
 */
export function hookChains(tables: readonly NftTable[], hook: NftHook): { table: NftTable; chain: NftChain }[] {
  const list: { table: NftTable; chain: NftChain; order: number }[] = []
  tables.forEach((table) => {
    for (const chain of table.chains) if (chain.base?.hook === hook) list.push({ table, chain, order: list.length })
  })
  return list.sort((a, b) => a.chain.base!.priority - b.chain.base!.priority || b.order - a.order)
}

/**
 * A packet through one hook. NAT chains run for the first packet of a connection only; a DNAT in a
 * prerouting/output NAT chain rewrites the destination for the chains after it, a masquerade in
 * postrouting is reported (the source address is the caller's to choose).
 */
export function evaluateHook(
  tables: readonly NftTable[], hook: NftHook, packet: NftPacket, ctx: NftHostContext, traceId: string,
): NftHookResult {
  let p = packet
  const trace: NftTraceLine[] = []
  const nat: NftNat[] = []
  let rulesEvaluated = 0
  for (const { table, chain } of hookChains(tables, hook)) {
    if (chain.base!.type === 'nat' && p.ct !== 'new') continue
    const ev = new Evaluator(table, p, ctx, traceId)
    const verdict = ev.runBaseChain(chain)
    trace.push(...ev.trace)
    rulesEvaluated += ev.rulesEvaluated
    p = ev.packet
    for (const n of ev.nat) {
      nat.push(n)
      if (n.type === 'dnat') p = { ...p, daddr: n.addr, dport: n.port }
    }
    if (verdict === 'drop') return { verdict, rejected: ev.rejected, packet: p, nat, trace, rulesEvaluated }
  }
  return { verdict: 'accept', rejected: false, packet: p, nat, trace, rulesEvaluated }
}

/**
 * One base chain of one table (what evaluateHook does for each chain of a hook), for a caller that runs
 * other stages between the chains (iptables-nft's tables, IPVS: see hook-stages.ts). NAT statements
 * are reported, not applied: the caller sets up the connection's binding as the kernel's NAT core does.
 */
export function evaluateBaseChain(table: NftTable, chain: NftChain, packet: NftPacket, ctx: NftHostContext, traceId: string): NftHookResult {
  const ev = new Evaluator(table, packet, ctx, traceId)
  const verdict = ev.runBaseChain(chain)
  return { verdict, rejected: ev.rejected, packet: ev.packet, nat: ev.nat, trace: ev.trace, rulesEvaluated: ev.rulesEvaluated }
}

export interface RuleVerdictShare {
  rule: NftRule
  /** The rule's verdict (`goto endpoint-…`, `drop`, …). */
  verdict: string
  /** The probability that this rule ends the chain with this verdict, for packets like this one. */
  share: number
}

/**
 * Where one chain sends a packet, with the probability of each way: its rules in order, `numgen random mod N`
 * taking each of its N values with probability 1/N, everything else decided by the packet and the dynamic
 * sets as they are now (nothing changes: `update @set` and mark changes stay in a copy). A `jump` returns, so
 * it does not end the chain. Every way out a rule offers is listed, with share 0 once an earlier rule took
 * every packet. Undefined when there is no such chain.
 */
export function chainVerdictShares(
  table: NftTable, chainName: string, packet: NftPacket, ctx: Omit<NftHostContext, 'random'>,
): RuleVerdictShare[] | undefined {
  const chain = indexOf(table).chains.get(chainName)
  if (!chain) return undefined
  const out: RuleVerdictShare[] = []
  let remaining = 1
  for (const rule of chain.rules) {
    // Rules after the certain one still say where they would send (with share 0).
    const numgen = rulePlan(rule.text).find((e) => e.op === 'numgen')
    const draws = numgen?.op === 'numgen' ? numgen.mod : 1
    let taken = 0
    for (let k = 0; k < draws; k++) {
      const dynamicSets = new Map([...ctx.dynamicSets].map(([name, elements]) => [name, new Map(elements)]))
      const ev = new Evaluator(table, packet, { ...ctx, dynamicSets, random: () => (k + 0.5) / draws }, '')
      const r = ev.evalRule(rule)
      const verdict = r.verdict ?? 'continue'
      if (!r.matched || verdict === 'continue' || verdict.startsWith('jump ')) continue
      const share = remaining / draws
      const same = out.find((o) => o.rule === rule && o.verdict === verdict)
      if (same) same.share += share
      else out.push({ rule, verdict, share })
      taken += 1 / draws
    }
    remaining *= 1 - taken
  }
  return out
}
