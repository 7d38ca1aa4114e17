/**
 * `-m physdev`: the bridge ports a bridged packet came in on and leaves by (`--physdev-in`, `--physdev-out`,
 * with `+` wildcards), and whether it is bridged at all (`--physdev-is-in`, `-is-out`, `-is-bridged`). The
 * kernel refuses `--physdev-out`/`--physdev-is-out` where the output port cannot be known yet — OUTPUT —
 * unless the rule also requires `--physdev-is-bridged`.
 *
 * The simulated nodes have no Linux bridge: no packet crosses a bridge port, and xt_physdev, finding no
 * bridge information on a packet, matches only when every option given is negated.
 */
import type { MatchModule } from '../module-api.ts'
import { ParameterProblem } from '../module-api.ts'
import type { Hook } from '../types.ts'
import { joinParts } from '../values.ts'

type Op = 'is-in' | 'in' | 'is-out' | 'out' | 'is-bridged'

export interface PhysdevOptions {
  ops: Partial<Record<Op, { inverted: boolean; name?: string }>>
}

const ORDER: Op[] = ['is-in', 'in', 'is-out', 'out', 'is-bridged']

function parseInterface(name: string): string {
  if (name.length + 1 > 16) throw new ParameterProblem(`interface name \`${name}' must be shorter than IFNAMSIZ (15)`)
  return name
}

function text(o: PhysdevOptions): string {
  return joinParts(ORDER.map((op) => {
    const v = o.ops[op]
    if (!v) return undefined
    return `${v.inverted ? '! ' : ''}--physdev-${op}${op === 'in' || op === 'out' ? ` ${v.name}` : ''}`
  }))
}

export const physdevMatch: MatchModule<PhysdevOptions> = {
  kind: 'match',
  name: 'physdev',
  xtopt: true,
  options: [
    { name: 'physdev-in', arg: 'required', invertible: true }, { name: 'physdev-out', arg: 'required', invertible: true },
    { name: 'physdev-is-in', arg: 'none', invertible: true }, { name: 'physdev-is-out', arg: 'none', invertible: true },
    { name: 'physdev-is-bridged', arg: 'none', invertible: true },
  ],
  create: () => ({ ops: {} }),
  parse(o, option, arg, inverted) {
    const op = option.slice(8) as Op
    o.ops[op] = op === 'in' || op === 'out' ? { inverted, name: parseInterface(arg ?? '') } : { inverted }
  },
  finalCheck(o) {
    if (Object.keys(o.ops).length === 0) throw new ParameterProblem('PHYSDEV: no physdev option specified')
  },
  hooks(o): readonly Hook[] | undefined {
    const out = o.ops.out || o.ops['is-out']
    const bridged = o.ops['is-bridged'] && !o.ops['is-bridged'].inverted
    return out && !bridged ? ['PREROUTING', 'INPUT', 'FORWARD', 'POSTROUTING'] : undefined
  },
  save: text,
  list: (o) => `PHYSDEV match ${text(o)}`,
  evaluate(o) {
    const given = ORDER.filter((op) => o.ops[op])
    const all = given.every((op) => o.ops[op]?.inverted)
    return [{
      clause: `-m physdev ${text(o)}`, matched: all,
      why: `no bridge on this node: the packet did not cross a bridge port${all ? ', and every option is negated' : `, so ${given.filter((op) => !o.ops[op]?.inverted).map((op) => `--physdev-${op}`).join(', ')} cannot hold`}`,
    }]
  },
}
