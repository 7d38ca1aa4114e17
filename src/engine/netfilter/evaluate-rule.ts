/**
 * What the traversal engine calls for each rule: evaluateRule() checks the base clauses (-s, -d, -p, -i,
 * -o, -f, each with its `!`) and then every match module in order, stopping at the first clause that fails
 * (as the kernel does) but reporting it; applyTarget() runs a module target. Jumps, gotos and RETURN's
 * effect on the chain stack are the traversal's business.
 */
import type { Cidr, ClauseResult, EvalContext, Negatable, Rule, TargetEffects } from './types.ts'
import { getMatch, getTarget } from './registry.ts'
import { cidrMask, cidrText, protocolSaveText, ruleProtocolNumber } from './format-rule.ts'
import { inMaskedNetwork, parseXtablesIPv4, parseStrictIPv4 } from '../net/ipv4.ts'
import { parseProtocol } from './protocols.ts'

function packetProtocolNumber(proto: EvalContext['packet']['proto']): number {
  return typeof proto === 'number' ? proto : (parseProtocol(proto) ?? -1)
}

/**
 * A rule's -s/-d as numbers, parsed once per Cidr object: commands replace rules rather than edit them, so
 * the object's text never changes under its parsed form.
 */
const numericCidrs = new WeakMap<Cidr, { network: number; mask: number }>()

function numericCidr(c: Cidr): { network: number; mask: number } {
  let n = numericCidrs.get(c)
  if (!n) {
    n = { network: parseXtablesIPv4(c.address) ?? 0, mask: cidrMask(c) }
    numericCidrs.set(c, n)
  }
  return n
}

/**
 * A packet's address as a number. A traversal matches the same packet's source and destination against
 * every rule, so the parse is remembered per address text (bounded; a packet's text is all it depends on).
 */
const packetAddresses = new Map<string, number | undefined>()

function packetAddress(text: string): number | undefined {
  if (packetAddresses.has(text)) return packetAddresses.get(text)
  const n = parseStrictIPv4(text)
  if (packetAddresses.size >= 4096) packetAddresses.clear()
  packetAddresses.set(text, n)
  return n
}

function addressClause(flag: '-s' | '-d', n: NonNullable<Rule['source']>, address: string): ClauseResult {
  const c = n.value
  const { network, mask } = numericCidr(c)
  const addr = packetAddress(address)
  const inside = addr !== undefined && inMaskedNetwork(addr, network, mask)
  const side = flag === '-s' ? 'source' : 'destination'
  return {
    clause: `${n.negated ? '! ' : ''}${flag} ${cidrText(c)}`,
    matched: inside !== n.negated,
    why: `${side} ${address} is ${inside ? '' : 'not '}in ${cidrText(c)}${n.negated ? ' (negated)' : ''}`,
  }
}

/** iptables interface matching: exact, or a prefix when the name ends in `+`. */
export function interfaceMatches(pattern: string, name: string | undefined): boolean {
  if (name === undefined) return false
  if (pattern.endsWith('+')) return name.startsWith(pattern.slice(0, -1))
  return name === pattern
}

function ifaceClause(flag: '-i' | '-o', n: Negatable<string>, name: string | undefined): ClauseResult {
  const hit = interfaceMatches(n.value, name)
  const side = flag === '-i' ? 'arrived on' : 'leaves by'
  return {
    clause: `${n.negated ? '! ' : ''}${flag} ${n.value}`,
    matched: hit !== n.negated,
    why: name === undefined
      ? `the packet has no ${flag === '-i' ? 'input' : 'output'} interface here`
      : `packet ${side} ${name}, which ${hit ? 'matches' : 'does not match'} ${n.value}${n.negated ? ' (negated)' : ''}`,
  }
}

/** A stable key for per-rule match state (statistic nth, limit). */
export function ruleStateKey(rule: Rule, ctx: EvalContext, matchIndex: number): string {
  return `${ctx.table}/${ctx.chain}/${rule.id ?? 'anon'}/${matchIndex}`
}

export function evaluateRule(rule: Rule, ctx: EvalContext): { matched: boolean; clauses: ClauseResult[] } {
  const clauses: ClauseResult[] = []
  const push = (c: ClauseResult): boolean => {
    clauses.push(c)
    return c.matched
  }
  const p = ctx.packet
  if (rule.source && !push(addressClause('-s', rule.source, p.src))) return { matched: false, clauses }
  if (rule.destination && !push(addressClause('-d', rule.destination, p.dst))) return { matched: false, clauses }
  if (rule.inInterface && !push(ifaceClause('-i', rule.inInterface, p.inIface))) return { matched: false, clauses }
  if (rule.outInterface && !push(ifaceClause('-o', rule.outInterface, p.outIface))) return { matched: false, clauses }
  const proto = ruleProtocolNumber(rule)
  if (rule.protocol && proto !== undefined && proto !== 0) {
    const have = packetProtocolNumber(p.proto)
    const hit = have === proto
    const name = protocolSaveText(proto)
    if (!push({
      clause: `${rule.protocol.negated ? '! ' : ''}-p ${name}`,
      matched: hit !== rule.protocol.negated,
      why: `protocol is ${typeof p.proto === 'number' ? p.proto : p.proto}${hit ? '' : `, not ${name}`}${rule.protocol.negated ? ' (negated)' : ''}`,
    })) return { matched: false, clauses }
  }
  if (rule.fragment) {
    // Simulated packets are never non-first fragments.
    if (!push({ clause: `${rule.fragment.negated ? '! ' : ''}-f`, matched: rule.fragment.negated, why: 'the packet is not a non-first fragment' })) {
      return { matched: false, clauses }
    }
  }
  for (let k = 0; k < rule.matches.length; k++) {
    const m = rule.matches[k]
    const mod = getMatch(m.module)
    if (!mod) {
      clauses.push({ clause: `-m ${m.module}`, matched: false, why: `unknown match module ${m.module}` })
      return { matched: false, clauses }
    }
    const results = mod.evaluate(m.options as never, ctx, ruleStateKey(rule, ctx, k))
    for (const r of results) {
      clauses.push(r)
      if (!r.matched) return { matched: false, clauses }
    }
  }
  return { matched: true, clauses }
}

/** Apply a rule's module target (ACCEPT, DROP, REJECT, LOG, MARK, DNAT, ...). Jumps and gotos are not targets here. */
export function applyTarget(rule: Rule, ctx: EvalContext): TargetEffects {
  const t = rule.target
  if (!t) return { outcome: { verdict: 'CONTINUE' }, why: 'no target: the rule only counts' }
  if (t.kind !== 'module') return { outcome: { verdict: 'CONTINUE' }, why: `${t.kind} ${t.chain} is handled by the traversal` }
  const mod = getTarget(t.module)
  if (!mod) return { outcome: { verdict: 'CONTINUE' }, why: `unknown target ${t.module}` }
  return mod.apply(t.options as never, ctx)
}
