/**
 * `-m devgroup [!] --src-group G[/MASK] [!] --dst-group G[/MASK]`: the device group of the incoming and
 * outgoing interface (`ip link set DEV group G`; names from /etc/iproute2/group). The kernel allows
 * `--src-group` where there is an input device and `--dst-group` where there is an output one. The
 * simulated interfaces are all in group 0 (default).
 */
import type { MatchModule } from '../module-api.ts'
import { ParameterProblem } from '../module-api.ts'
import type { ClauseResult, Hook } from '../types.ts'
import { DEVICE_GROUPS, parseValMask, valMaskText } from '../lmap.ts'

interface Group { value: number; mask: number; inverted: boolean }

export interface DevgroupOptions {
  src?: Group
  dst?: Group
}

const IN_HOOKS: Hook[] = ['PREROUTING', 'INPUT', 'FORWARD']
const OUT_HOOKS: Hook[] = ['FORWARD', 'OUTPUT', 'POSTROUTING']

export const devgroupMatch: MatchModule<DevgroupOptions> = {
  kind: 'match',
  name: 'devgroup',
  xtopt: true,
  options: [{ name: 'src-group', arg: 'required', invertible: true }, { name: 'dst-group', arg: 'required', invertible: true }],
  create: () => ({}),
  parse(o, option, arg, inverted) {
    const g = { ...parseValMask('devgroup', option, arg ?? '', DEVICE_GROUPS), inverted }
    if (option === 'src-group') o.src = g
    else o.dst = g
  },
  finalCheck(o) {
    if (!o.src && !o.dst) throw new ParameterProblem("devgroup match: You must specify either '--src-group' or '--dst-group'")
  },
  hooks(o) {
    if (o.src && o.dst) return ['FORWARD']
    return o.src ? IN_HOOKS : o.dst ? OUT_HOOKS : undefined
  },
  save: (o) => [o.src && `${o.src.inverted ? '! ' : ''}--src-group ${valMaskText(o.src.value, o.src.mask, DEVICE_GROUPS)}`,
    o.dst && `${o.dst.inverted ? '! ' : ''}--dst-group ${valMaskText(o.dst.value, o.dst.mask, DEVICE_GROUPS)}`].filter(Boolean).join(' '),
  list: (o, numeric) => [o.src && `${o.src.inverted ? '! ' : ''}src-group ${valMaskText(o.src.value, o.src.mask, numeric ? undefined : DEVICE_GROUPS)}`,
    o.dst && `${o.dst.inverted ? '! ' : ''}dst-group ${valMaskText(o.dst.value, o.dst.mask, numeric ? undefined : DEVICE_GROUPS)}`].filter(Boolean).join(' '),
  evaluate(o, ctx) {
    const out: ClauseResult[] = []
    for (const [side, g, dev] of [['src', o.src, ctx.packet.inIface], ['dst', o.dst, ctx.packet.outIface]] as const) {
      if (!g) continue
      const group = 0
      const hit = ((group & g.mask) >>> 0) === g.value
      const clause = `-m devgroup ${g.inverted ? '! ' : ''}--${side}-group ${valMaskText(g.value, g.mask, DEVICE_GROUPS)}`
      out.push({ clause, matched: hit !== g.inverted, why: `${dev ?? 'the device'} is in device group ${group} (default; the simulated interfaces have no other)${g.inverted ? ' (negated)' : ''}` })
      if (hit === g.inverted) break
    }
    return out
  },
}
