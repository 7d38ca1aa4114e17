/** `-m icmp --icmp-type` (loaded implicitly by `-p icmp`): type names, numbers and `type/code`. */
import type { MatchModule } from '../module-api.ts'
import { ParameterProblem } from '../module-api.ts'

interface IcmpName { name: string; type: number; min: number; max: number }

/** libxt_icmp's table, in its order (the first name for a type/code range is what -L prints). */
const ICMP_NAMES: IcmpName[] = [
  { name: 'any', type: 0xff, min: 0, max: 0xff },
  { name: 'echo-reply', type: 0, min: 0, max: 0xff },
  { name: 'destination-unreachable', type: 3, min: 0, max: 0xff },
  { name: 'network-unreachable', type: 3, min: 0, max: 0 },
  { name: 'host-unreachable', type: 3, min: 1, max: 1 },
  { name: 'protocol-unreachable', type: 3, min: 2, max: 2 },
  { name: 'port-unreachable', type: 3, min: 3, max: 3 },
  { name: 'fragmentation-needed', type: 3, min: 4, max: 4 },
  { name: 'source-route-failed', type: 3, min: 5, max: 5 },
  { name: 'network-unknown', type: 3, min: 6, max: 6 },
  { name: 'host-unknown', type: 3, min: 7, max: 7 },
  { name: 'network-prohibited', type: 3, min: 9, max: 9 },
  { name: 'host-prohibited', type: 3, min: 10, max: 10 },
  { name: 'TOS-network-unreachable', type: 3, min: 11, max: 11 },
  { name: 'TOS-host-unreachable', type: 3, min: 12, max: 12 },
  { name: 'communication-prohibited', type: 3, min: 13, max: 13 },
  { name: 'host-precedence-violation', type: 3, min: 14, max: 14 },
  { name: 'precedence-cutoff', type: 3, min: 15, max: 15 },
  { name: 'source-quench', type: 4, min: 0, max: 0xff },
  { name: 'redirect', type: 5, min: 0, max: 0xff },
  { name: 'network-redirect', type: 5, min: 0, max: 0 },
  { name: 'host-redirect', type: 5, min: 1, max: 1 },
  { name: 'TOS-network-redirect', type: 5, min: 2, max: 2 },
  { name: 'TOS-host-redirect', type: 5, min: 3, max: 3 },
  { name: 'echo-request', type: 8, min: 0, max: 0xff },
  { name: 'router-advertisement', type: 9, min: 0, max: 0xff },
  { name: 'router-solicitation', type: 10, min: 0, max: 0xff },
  { name: 'time-exceeded', type: 11, min: 0, max: 0xff },
  { name: 'ttl-zero-during-transit', type: 11, min: 0, max: 0 },
  { name: 'ttl-zero-during-reassembly', type: 11, min: 1, max: 1 },
  { name: 'parameter-problem', type: 12, min: 0, max: 0xff },
  { name: 'ip-header-bad', type: 12, min: 0, max: 0 },
  { name: 'required-option-missing', type: 12, min: 1, max: 1 },
  { name: 'timestamp-request', type: 13, min: 0, max: 0xff },
  { name: 'timestamp-reply', type: 14, min: 0, max: 0xff },
  { name: 'address-mask-request', type: 17, min: 0, max: 0xff },
  { name: 'address-mask-reply', type: 18, min: 0, max: 0xff },
]
const ALIASES: Record<string, string> = { pong: 'echo-reply', ping: 'echo-request', 'ttl-exceeded': 'time-exceeded' }

export interface IcmpOptions {
  type: number
  codeMin: number
  codeMax: number
  inverted: boolean
  given: boolean
}

function parseIcmpType(text: string): { type: number; min: number; max: number } {
  const alias = ALIASES[text.toLowerCase()]
  const wanted = (alias ?? text).toLowerCase()
  const exact = ICMP_NAMES.find((n) => n.name.toLowerCase() === wanted)
  if (exact) return exact
  const prefixed = ICMP_NAMES.filter((n) => n.name.toLowerCase().startsWith(wanted))
  if (prefixed.length > 1) throw new ParameterProblem(`Ambiguous ICMP type \`${text}': \`${prefixed[0].name}' or \`${prefixed[1].name}'?`)
  if (prefixed.length === 1 && wanted !== '') return prefixed[0]
  const m = /^([0-9]+)(?:\/(.*))?$/.exec(text)
  if (!m || Number(m[1]) > 255) throw new ParameterProblem(`Unknown ICMP type \`${text}'`)
  if (m[2] !== undefined && !(/^[0-9]+$/.test(m[2]) && Number(m[2]) <= 255)) throw new ParameterProblem(`Unknown ICMP code \`${text}'`)
  const type = Number(m[1])
  if (m[2] !== undefined) return { type, min: Number(m[2]), max: Number(m[2]) }
  return { type, min: 0, max: 0xff }
}

export function icmpTypeName(type: number, code?: number): string | undefined {
  if (code === undefined) return ICMP_NAMES.find((n) => n.type === type && n.max === 0xff)?.name
  return ICMP_NAMES.find((n) => n.type === type && n.min === code && n.max === code)?.name
}

export const icmpMatch: MatchModule<IcmpOptions> = {
  kind: 'match',
  name: 'icmp',
  options: [{ name: 'icmp-type', arg: 'required', invertible: true }],
  create: () => ({ type: 0xff, codeMin: 0, codeMax: 0xff, inverted: false, given: false }),
  parse(o, _option, arg, inverted) {
    const t = parseIcmpType(arg ?? '')
    o.type = t.type
    o.codeMin = t.min
    o.codeMax = t.max
    o.inverted = inverted
    o.given = true
  },
  kernelCheck: (_o, rule) => (rule.protocol !== 1 || rule.protocolInverted ? 'EINVAL' : undefined),
  save(o) {
    if (!o.given && o.type === 0xff) return ''
    const inv = o.inverted ? '! ' : ''
    if (o.type === 0xff && o.codeMin === 0 && o.codeMax === 0xff) return `${inv}--icmp-type any`
    const code = o.codeMin === o.codeMax ? `/${o.codeMin}` : ''
    return `${inv}--icmp-type ${o.type}${code}`
  },
  list(o, numeric) {
    if (!numeric) {
      const named = ICMP_NAMES.find((n) => n.type === o.type && n.min === o.codeMin && n.max === o.codeMax)
      if (named) return `icmp ${o.inverted ? '!' : ''}${named.name}`
    }
    let text = `icmp${o.inverted ? ' !' : ''}type ${o.type}`
    if (o.codeMin === o.codeMax) text += ` code ${o.codeMin}`
    else if (o.codeMin !== 0 || o.codeMax !== 0xff) text += ` codes ${o.codeMin}-${o.codeMax}`
    return text
  },
  evaluate(o, ctx) {
    const p = ctx.packet
    const clause = `-m icmp ${this.save(o)}`.trim()
    if (p.proto !== 'icmp') return [{ clause, matched: false, why: 'not an ICMP packet' }]
    const type = p.icmpType ?? 8
    const code = p.icmpCode ?? 0
    const hit = (o.type === 0xff || (type === o.type && code >= o.codeMin && code <= o.codeMax))
    const matched = hit !== o.inverted
    const name = icmpTypeName(type) ?? `type ${type}`
    return [{ clause, matched, why: `ICMP ${name} (type ${type} code ${code}) ${hit ? 'is' : 'is not'} ${this.list(o, false).replace(/^icmp /, '')}${o.inverted ? ' (negated)' : ''}` }]
  },
}
