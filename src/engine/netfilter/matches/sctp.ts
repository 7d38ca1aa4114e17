/**
 * `-m sctp` (loaded implicitly by `-p sctp`; kube-proxy uses it for SCTP Service ports): `--sport`,
 * `--dport` with ranges and `!`. Chunk-type matching (`--chunk-types`) is not simulated. Unlike tcp and
 * udp, a missing `-p sctp` is refused by the kernel (EINVAL), not by the parser (measured).
 */
import type { MatchModule } from '../module-api.ts'
import { ParameterProblem } from '../module-api.ts'
import type { ClauseResult } from '../types.ts'
import { parsePortRange, joinParts } from '../values.ts'
import { evaluatePorts, listPorts, savePorts, type PortClause } from './ports-common.ts'

export interface SctpOptions {
  sport?: PortClause
  dport?: PortClause
}

export const sctpMatch: MatchModule<SctpOptions> = {
  kind: 'match',
  name: 'sctp',
  options: [
    { name: 'source-port', arg: 'required', invertible: true }, { name: 'sport', arg: 'required', invertible: true },
    { name: 'destination-port', arg: 'required', invertible: true }, { name: 'dport', arg: 'required', invertible: true },
  ],
  create: () => ({}),
  parse(o, option, arg, inverted) {
    const range = parsePortRange(arg ?? '', 'sctp')
    if (option === 'source-port' || option === 'sport') {
      if (o.sport) throw new ParameterProblem("Only one `--source-port' allowed")
      o.sport = { range, inverted }
    } else {
      if (o.dport) throw new ParameterProblem("Only one `--destination-port' allowed")
      o.dport = { range, inverted }
    }
  },
  kernelCheck: (_o, rule) => (rule.protocol !== 132 || rule.protocolInverted ? 'EINVAL' : undefined),
  save: (o) => joinParts([savePorts('sport', o.sport), savePorts('dport', o.dport)]),
  list: (o, numeric) => joinParts(['sctp', listPorts('spt', o.sport, 'sctp', numeric), listPorts('dpt', o.dport, 'sctp', numeric)]),
  evaluate(o, ctx) {
    const p = ctx.packet
    if (p.proto !== 'sctp') return [{ clause: `-m sctp ${this.save(o)}`.trim(), matched: false, why: 'not an SCTP packet' }]
    const out: ClauseResult[] = []
    if (o.sport) out.push(evaluatePorts('sctp', 'sport', o.sport, p))
    if (o.dport) out.push(evaluatePorts('sctp', 'dport', o.dport, p))
    if (out.length === 0) out.push({ clause: '-m sctp', matched: true, why: 'an SCTP packet' })
    return out
  },
}
