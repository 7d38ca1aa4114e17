/** `-m multiport --sports/--dports/--ports`: up to 15 ports, ranges counting as two. */
import type { MatchModule } from '../module-api.ts'
import { ParameterProblem, checkExclusive } from '../module-api.ts'
import { listPort, parsePort, protoForServices } from '../values.ts'

export interface MultiportOptions {
  which?: 'sports' | 'dports' | 'ports'
  ports: [number, number][]
  inverted: boolean
  /** The rule's protocol name, for service names in `-L`. */
  proto?: string
  /** Canonical names of the options given (for xtopt's exclusivity check). */
  seen?: string[]
}

const ORDER = ['source-ports', 'destination-ports', 'ports']

const PROTOS = new Set([6, 17, 136, 132, 33])

export const multiportMatch: MatchModule<MultiportOptions> = {
  kind: 'match',
  name: 'multiport',
  options: [
    { name: 'source-ports', arg: 'required', invertible: true }, { name: 'sports', arg: 'required', invertible: true },
    { name: 'destination-ports', arg: 'required', invertible: true }, { name: 'dports', arg: 'required', invertible: true },
    { name: 'ports', arg: 'required', invertible: true },
  ],
  create: () => ({ ports: [], inverted: false }),
  parse(o, option, arg, inverted, env) {
    if (env.protocol === undefined || env.protocol === 0) {
      throw new ParameterProblem("multiport needs `-p tcp', `-p udp', `-p udplite', `-p sctp' or `-p dccp'")
    }
    if (!PROTOS.has(env.protocol) || env.protocolInverted) {
      throw new ParameterProblem('multiport only works with TCP, UDP, UDPLITE, SCTP and DCCP')
    }
    o.which = option === 'source-ports' || option === 'sports' ? 'sports'
      : option === 'destination-ports' || option === 'dports' ? 'dports' : 'ports'
    o.seen = [...(o.seen ?? []), o.which === 'sports' ? 'source-ports' : o.which === 'dports' ? 'destination-ports' : 'ports']
    o.ports = []
    o.inverted = inverted
    const proto = protoForServices(env.protocol)
    o.proto = proto
    let count = 0
    for (const part of (arg ?? '').split(',')) {
      const colon = part.indexOf(':')
      const range: [number, number] = colon >= 0
        ? [parsePort(part.slice(0, colon), proto), parsePort(part.slice(colon + 1), proto)]
        : [parsePort(part, proto), parsePort(part, proto)]
      if (range[0] > range[1]) throw new ParameterProblem('invalid portrange specified')
      count += colon >= 0 ? 2 : 1
      if (count > 15) throw new ParameterProblem('too many ports specified')
      o.ports.push(range)
    }
  },
  finalCheck(o) {
    checkExclusive('multiport', ORDER, new Set(o.seen ?? []), [ORDER])
    if (!o.which) throw new ParameterProblem('multiport expection an option')
  },
  save(o) {
    const list = o.ports.map(([a, b]) => (a === b ? String(a) : `${a}:${b}`)).join(',')
    return `${o.inverted ? '! ' : ''}--${o.which} ${list}`
  },
  list(o, numeric) {
    const name = (p: number) => listPort(p, o.proto, numeric)
    const list = o.ports.map(([a, b]) => (a === b ? name(a) : `${name(a)}:${name(b)}`)).join(',')
    return `multiport ${o.which} ${o.inverted ? ' !' : ''}${list}`
  },
  evaluate(o, ctx) {
    const p = ctx.packet
    const clause = `-m multiport ${this.save(o)}`
    const ports = o.which === 'sports' ? [p.sport] : o.which === 'dports' ? [p.dport] : [p.sport, p.dport]
    const present = ports.filter((x): x is number => x !== undefined)
    if (present.length === 0) return [{ clause, matched: false, why: 'the packet has no ports' }]
    const hit = present.some((x) => o.ports.some(([a, b]) => x >= a && x <= b))
    const label = o.which === 'sports' ? 'source port' : o.which === 'dports' ? 'destination port' : 'ports'
    return [{ clause, matched: hit !== o.inverted, why: `${label} ${present.join('/')} ${hit ? 'is' : 'is not'} in the list${o.inverted ? ' (negated)' : ''}` }]
  },
}
