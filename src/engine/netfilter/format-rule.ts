/**
 * Rules as text: the canonical form iptables-save and `iptables -S` print after `-A CHAIN`
 * (`-s 10.0.0.1/32 -p tcp -m tcp --dport 80 -j ACCEPT`), used by traces too.
 */
import type { Cidr, Rule } from './types.ts'
import { getMatch, getTarget } from './registry.ts'
import { parseProtocol, protocolName } from './protocols.ts'
import { parseXtablesIPv4, prefixToMask } from '../net/ipv4.ts'

export function cidrText(c: Cidr): string {
  return `${c.address}/${c.prefix >= 0 ? c.prefix : c.netmask}`
}

/** A rule address's mask as a number: from the prefix, or the dotted netmask when not contiguous. */
export function cidrMask(c: Cidr): number {
  return c.prefix >= 0 ? prefixToMask(c.prefix) : (parseXtablesIPv4(c.netmask ?? '') ?? 0)
}

/** The rule's protocol number (undefined when the rule has no -p). */
export function ruleProtocolNumber(rule: Rule): number | undefined {
  const p = rule.protocol?.value
  if (p === undefined) return undefined
  return typeof p === 'number' ? p : parseProtocol(p)
}

/** `-p` as save prints it: the name when iptables knows one, else the number. */
export function protocolSaveText(num: number): string {
  return protocolName(num) ?? String(num)
}

export function matchSaveText(module: string, options: unknown): string {
  const m = getMatch(module)
  const text = m ? m.save(options as never) : ''
  return text ? `-m ${module} ${text}` : `-m ${module}`
}

export function targetSaveText(rule: Rule): string {
  const t = rule.target
  if (!t) return ''
  if (t.kind === 'jump') return `-j ${t.chain}`
  if (t.kind === 'goto') return `-g ${t.chain}`
  const m = getTarget(t.module)
  const text = m ? m.save(t.options as never) : ''
  return text ? `-j ${t.module} ${text}` : `-j ${t.module}`
}

/** The pieces before the matches, each with its `!`. */
export function baseClauseTexts(rule: Rule): string[] {
  const parts: string[] = []
  const neg = (n: { negated: boolean }) => (n.negated ? '! ' : '')
  if (rule.source) parts.push(`${neg(rule.source)}-s ${cidrText(rule.source.value)}`)
  if (rule.destination) parts.push(`${neg(rule.destination)}-d ${cidrText(rule.destination.value)}`)
  if (rule.inInterface) parts.push(`${neg(rule.inInterface)}-i ${rule.inInterface.value}`)
  if (rule.outInterface) parts.push(`${neg(rule.outInterface)}-o ${rule.outInterface.value}`)
  const proto = ruleProtocolNumber(rule)
  if (rule.protocol && proto !== undefined && proto !== 0) parts.push(`${neg(rule.protocol)}-p ${protocolSaveText(proto)}`)
  if (rule.fragment) parts.push(`${neg(rule.fragment)}-f`)
  return parts
}

/**
 * The rule as iptables-save prints it after `-A CHAIN` (no leading space). With `counters`, `-c P B`
 * goes before the target as `iptables -S -v` prints it.
 */
export function ruleToSaveText(rule: Rule, opts: { counters?: boolean } = {}): string {
  const parts = baseClauseTexts(rule)
  for (const m of rule.matches) parts.push(matchSaveText(m.module, m.options))
  if (opts.counters) parts.push(`-c ${rule.counters.packets} ${rule.counters.bytes}`)
  const target = targetSaveText(rule)
  if (target) parts.push(target)
  return parts.join(' ')
}

/** What printing the rule writes to standard error (modules' printWarning, in print order). */
export function rulePrintWarnings(rule: Rule): string {
  let err = ''
  for (const m of rule.matches) err += getMatch(m.module)?.printWarning?.(m.options as never) ?? ''
  const t = rule.target
  if (t?.kind === 'module') err += getTarget(t.module)?.printWarning?.(t.options as never) ?? ''
  return err
}

/** `-A CHAIN RULE` as iptables-save and `-S` print it (a rule with nothing to print is `-A CHAIN`). */
export function appendLine(chain: string, rule: Rule, opts: { counters?: boolean } = {}): string {
  const text = ruleToSaveText(rule, opts)
  return text === '' ? `-A ${chain}` : `-A ${chain} ${text}`
}
