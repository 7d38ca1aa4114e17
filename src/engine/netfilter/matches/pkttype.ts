/** `-m pkttype --pkt-type unicast|broadcast|multicast`: the link-layer class of the packet's destination. */
import type { MatchModule } from '../module-api.ts'
import { ParameterProblem } from '../module-api.ts'
import type { EvalContext } from '../types.ts'
import { parseStrictIPv4 } from '../../net/ipv4.ts'

type PktType = 'unicast' | 'broadcast' | 'multicast' | 'otherhost'

export interface PkttypeOptions {
  type?: PktType
  inverted: boolean
}

function packetType(ctx: EvalContext): PktType {
  const dst = ctx.packet.dst
  const n = parseStrictIPv4(dst) ?? 0
  if (n >>> 28 === 0xe) return 'multicast'
  if (dst === '255.255.255.255' || ctx.node.addrType(dst) === 'BROADCAST') return 'broadcast'
  return 'unicast'
}

export const pkttypeMatch: MatchModule<PkttypeOptions> = {
  kind: 'match',
  name: 'pkttype',
  xtopt: true,
  options: [{ name: 'pkt-type', arg: 'required', invertible: true }],
  create: () => ({ inverted: false }),
  parse(o, _option, arg, inverted) {
    const t = (arg ?? '').toLowerCase()
    if (t !== 'unicast' && t !== 'broadcast' && t !== 'multicast' && t !== 'host' && t !== 'otherhost') {
      throw new ParameterProblem(`Bad packet type '${arg}'`)
    }
    o.type = t === 'host' ? 'unicast' : t
    o.inverted = inverted
  },
  finalCheck(o) {
    if (!o.type) throw new ParameterProblem('pkttype: option "--pkt-type" must be specified\n')
  },
  save: (o) => `${o.inverted ? '! ' : ''}--pkt-type ${o.type}`,
  list: (o) => `PKTTYPE ${o.inverted ? '!=' : '='} ${o.type}`,
  evaluate(o, ctx) {
    const t = packetType(ctx)
    const hit = t === o.type
    return [{ clause: `-m pkttype ${this.save(o)}`, matched: hit !== o.inverted, why: `the packet is ${t}${o.inverted ? ' (negated)' : ''}` }]
  },
}
