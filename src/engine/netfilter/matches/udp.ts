/** `-m udp` (loaded implicitly by `-p udp`): `--sport`, `--dport` with ranges and `!`. */
import type { MatchModule } from '../module-api.ts'
import { ParameterProblem } from '../module-api.ts'
import type { ClauseResult } from '../types.ts'
import { parsePortRange, joinParts } from '../values.ts'
import { evaluatePorts, listPorts, normalisePortClause, savePorts, type PortClause } from './ports-common.ts'

export interface UdpOptions {
  sport?: PortClause
  dport?: PortClause
}

export const udpMatch: MatchModule<UdpOptions> = {
  kind: 'match',
  name: 'udp',
  options: [
    { name: 'source-port', arg: 'required', invertible: true }, { name: 'sport', arg: 'required', invertible: true },
    { name: 'destination-port', arg: 'required', invertible: true }, { name: 'dport', arg: 'required', invertible: true },
  ],
  create: () => ({}),
  parse(o, option, arg, inverted) {
    if (option === 'source-port' || option === 'sport') {
      if (o.sport) throw new ParameterProblem("Only one `--source-port' allowed")
      o.sport = normalisePortClause(parsePortRange(arg ?? '', undefined), inverted)
    } else {
      if (o.dport) throw new ParameterProblem("Only one `--destination-port' allowed")
      o.dport = normalisePortClause(parsePortRange(arg ?? '', undefined), inverted)
    }
  },
  finalCheck(_o, env) {
    if (env.protocol !== 17) throw new ParameterProblem("UDP match requires '-p udp'")
  },
  save(o) {
    return joinParts([savePorts('sport', o.sport), savePorts('dport', o.dport)])
  },
  list(o, numeric) {
    return joinParts(['udp', listPorts('spt', o.sport, 'udp', numeric), listPorts('dpt', o.dport, 'udp', numeric)])
  },
  evaluate(o, ctx) {
    const p = ctx.packet
    if (p.proto !== 'udp') return [{ clause: `-m udp ${this.save(o)}`.trim(), matched: false, why: 'not a UDP packet' }]
    const out: ClauseResult[] = []
    if (o.sport) out.push(evaluatePorts('udp', 'sport', o.sport, p))
    if (o.dport) out.push(evaluatePorts('udp', 'dport', o.dport, p))
    if (out.length === 0) out.push({ clause: '-m udp', matched: true, why: 'a UDP packet' })
    return out
  },
}
