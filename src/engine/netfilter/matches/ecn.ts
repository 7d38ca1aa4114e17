/**
 * `-m ecn`: the ECN bits — `--ecn-tcp-cwr`, `--ecn-tcp-ece` (TCP flags; the kernel requires `-p tcp` for
 * them, EINVAL otherwise) and `--ecn-ip-ect 0..3` (the low two bits of the IP TOS byte).
 */
import type { MatchModule } from '../module-api.ts'
import { ParameterProblem } from '../module-api.ts'
import type { ClauseResult } from '../types.ts'
import { joinParts } from '../values.ts'
import { xtUint } from '../xtopt.ts'

interface Flag { inverted: boolean }

export interface EcnOptions {
  cwr?: Flag
  ece?: Flag
  ect?: { value: number; inverted: boolean }
}

export const ecnMatch: MatchModule<EcnOptions> = {
  kind: 'match',
  name: 'ecn',
  xtopt: true,
  options: [
    { name: 'ecn-tcp-cwr', arg: 'none', invertible: true }, { name: 'ecn-tcp-ece', arg: 'none', invertible: true },
    { name: 'ecn-ip-ect', arg: 'required', invertible: true },
  ],
  create: () => ({}),
  parse(o, option, arg, inverted) {
    if (option === 'ecn-tcp-cwr') o.cwr = { inverted }
    else if (option === 'ecn-tcp-ece') o.ece = { inverted }
    else o.ect = { value: xtUint('ecn', option, arg ?? '', 8, 0, 3), inverted }
  },
  finalCheck(o) {
    if (!o.cwr && !o.ece && !o.ect) throw new ParameterProblem('ECN match: some option required')
  },
  kernelCheck: (o, rule) => ((o.cwr || o.ece) && (rule.protocol !== 6 || rule.protocolInverted) ? 'EINVAL' : undefined),
  save: (o) => joinParts([
    o.ece && `${o.ece.inverted ? '! ' : ''}--ecn-tcp-ece`, o.cwr && `${o.cwr.inverted ? '! ' : ''}--ecn-tcp-cwr`,
    o.ect && `${o.ect.inverted ? '! ' : ''}--ecn-ip-ect ${o.ect.value}`,
  ]),
  list: (o) => joinParts([
    'ECN match', o.ece && `${o.ece.inverted ? '!' : ''}ECE`, o.cwr && `${o.cwr.inverted ? '!' : ''}CWR`,
    o.ect && `${o.ect.inverted ? '!' : ''}ECT=${o.ect.value}`,
  ]),
  evaluate(o, ctx) {
    const p = ctx.packet
    const out: ClauseResult[] = []
    const push = (clause: string, hit: boolean, inverted: boolean, why: string) => {
      out.push({ clause: `-m ecn ${clause}`, matched: hit !== inverted, why: `${why}${inverted ? ' (negated)' : ''}` })
      return hit !== inverted
    }
    for (const [key, flag] of [['ece', 'ECE'], ['cwr', 'CWR']] as const) {
      const c = o[key]
      if (!c) continue
      const set = p.tcpFlags?.[flag] === true
      if (!push(`${c.inverted ? '! ' : ''}--ecn-tcp-${key}`, set, c.inverted, `TCP ${flag} is ${set ? 'set' : 'clear'}`)) return out
    }
    if (o.ect) {
      const ect = (p.tos ?? 0) & 3
      push(`${o.ect.inverted ? '! ' : ''}--ecn-ip-ect ${o.ect.value}`, ect === o.ect.value, o.ect.inverted, `the IP ECN field is ${ect}`)
    }
    return out
  },
}
