/**
 * `-j DSCP --set-dscp N | --set-dscp-class CLASS` (mangle table): rewrite the six DSCP bits of the TOS
 * byte, keeping the two ECN bits.
 */
import type { TargetModule } from '../module-api.ts'
import { ParameterProblem } from '../module-api.ts'
import { xtUint } from '../xtopt.ts'
import { dscpOfClass, hex2 } from '../matches/dscp-classes.ts'

export interface DscpTargetOptions {
  dscp: number
}

export const dscpTarget: TargetModule<DscpTargetOptions> = {
  kind: 'target',
  name: 'DSCP',
  xtopt: true,
  table: 'mangle',
  options: [
    { name: 'set-dscp', arg: 'required', excl: ['set-dscp-class'] },
    { name: 'set-dscp-class', arg: 'required', excl: ['set-dscp'] },
  ],
  create: () => ({ dscp: 0 }),
  parse(o, option, arg) {
    o.dscp = option === 'set-dscp' ? xtUint('DSCP', option, arg ?? '', 8, 0, 63) : dscpOfClass(arg ?? '')
  },
  finalCheck(_o, env) {
    if (env.seen.length === 0) throw new ParameterProblem('DSCP target: Parameter --set-dscp is required')
  },
  save: (o) => `--set-dscp ${hex2(o.dscp)}`,
  list: (o) => `DSCP set ${hex2(o.dscp)}`,
  apply(o, ctx) {
    const tos = ctx.packet.tos ?? 0
    const next = ((o.dscp << 2) | (tos & 0x03)) & 0xff
    return { outcome: { verdict: 'CONTINUE' }, packet: { tos: next }, why: `DSCP set to ${hex2(o.dscp)}: TOS ${hex2(tos)} -> ${hex2(next)}` }
  },
}
