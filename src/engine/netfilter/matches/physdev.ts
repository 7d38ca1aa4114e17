/**
 * `-m physdev [!] --physdev-in NAME [!] --physdev-out NAME [!] --physdev-is-in [!] --physdev-is-out
 * [!] --physdev-is-bridged`: the bridge ports of a bridged packet (IPVS mode's external-IP rules use
 * `! --physdev-is-in`). The simulated hosts have no bridges, so no packet is bridged: as xt_physdev does for
 * such a packet, the match holds exactly when every option given is negated.
 *
 * Measured with iptables 1.8.9 (nf_tables): options print in the order is-in, in, is-out, out, is-bridged
 * (`-L`: `PHYSDEV match` then the same); without an option `PHYSDEV: no physdev option specified`; each
 * option once; `--physdev-out` / `--physdev-is-out` without `--physdev-is-bridged` are refused in OUTPUT.
 */
import type { MatchModule } from '../module-api.ts'
import { ParameterProblem } from '../module-api.ts'
import type { Hook } from '../types.ts'

type Flag = 'is-in' | 'in' | 'is-out' | 'out' | 'is-bridged'

/** The kernel's print order (libxt_physdev's save). */
const ORDER: readonly Flag[] = ['is-in', 'in', 'is-out', 'out', 'is-bridged']

export interface PhysdevOptions {
  /** The options given, with their device name (`in`, `out`) and whether `!` preceded them. */
  given: Partial<Record<Flag, { name?: string; inverted: boolean }>>
}

export const physdevMatch: MatchModule<PhysdevOptions> = {
  kind: 'match',
  name: 'physdev',
  options: ORDER.map((f) => ({ name: `physdev-${f}`, arg: f === 'in' || f === 'out' ? 'required' as const : 'none' as const, invertible: true })),
  create: () => ({ given: {} }),
  parse(o, option, arg, inverted) {
    const flag = option.replace(/^physdev-/, '') as Flag
    if (o.given[flag]) throw new ParameterProblem(`physdev: option "--${option}" can only be used once.\n`)
    o.given[flag] = flag === 'in' || flag === 'out' ? { name: arg ?? '', inverted } : { inverted }
  },
  finalCheck(o) {
    if (ORDER.every((f) => !o.given[f])) throw new ParameterProblem('PHYSDEV: no physdev option specified')
  },
  save: (o) => ORDER.filter((f) => o.given[f]).map((f) => {
    const g = o.given[f]!
    return `${g.inverted ? '! ' : ''}--physdev-${f}${g.name !== undefined ? ` ${g.name}` : ''}`
  }).join(' '),
  list(o) {
    return `PHYSDEV match ${this.save(o)}`
  },
  hooks(o): readonly Hook[] | undefined {
    const out = o.given.out ?? o.given['is-out']
    const bridged = o.given['is-bridged']
    // xt_physdev checkentry: the output port is known only for bridged traffic, never at LOCAL_OUT.
    if (out && (!bridged || bridged.inverted)) return ['PREROUTING', 'INPUT', 'FORWARD', 'POSTROUTING']
    return undefined
  },
  evaluate(o) {
    const clause = `-m physdev ${this.save(o)}`
    const plain = ORDER.filter((f) => o.given[f] && !o.given[f]!.inverted)
    return [{
      clause,
      matched: plain.length === 0,
      why: plain.length === 0
        ? 'the packet was not bridged, and every physdev option is negated'
        : `the packet was not bridged: --physdev-${plain[0]} does not hold`,
    }]
  },
}
