/**
 * `-j TCPMSS --set-mss N | --clamp-mss-to-pmtu`: rewrite the MSS option of TCP SYN packets. The kernel
 * requires `-p tcp`, and clamping is only allowed in FORWARD, OUTPUT and POSTROUTING.
 */
import type { TargetModule } from '../module-api.ts'
import { ParameterProblem, xtopt } from '../module-api.ts'
import type { Hook } from '../types.ts'

export interface TcpmssOptions {
  mss?: number
  clamp: boolean
}

export const tcpmssTarget: TargetModule<TcpmssOptions> = {
  kind: 'target',
  name: 'TCPMSS',
  options: [{ name: 'set-mss', arg: 'required' }, { name: 'clamp-mss-to-pmtu', arg: 'none' }],
  create: () => ({ clamp: false }),
  parse(o, option, arg) {
    if (option === 'clamp-mss-to-pmtu') {
      if (o.mss !== undefined) throw xtopt.conflict('TCPMSS', 'set-mss', 'clamp-mss-to-pmtu')
      o.clamp = true
      return
    }
    if (o.clamp) throw xtopt.conflict('TCPMSS', 'set-mss', 'clamp-mss-to-pmtu')
    const n = /^[0-9]+$/.test(arg ?? '') ? Number(arg) : NaN
    if (!(n >= 0 && n <= 65495)) throw new ParameterProblem(`TCPMSS: bad value for option "--set-mss", or out of range (0-65495).\n`)
    o.mss = n
  },
  finalCheck(o) {
    if (!o.clamp && o.mss === undefined) throw new ParameterProblem('TCPMSS target: At least one parameter is required')
  },
  save: (o) => (o.clamp ? '--clamp-mss-to-pmtu' : `--set-mss ${o.mss}`),
  list: (o) => (o.clamp ? 'TCPMSS clamp to PMTU' : `TCPMSS set ${o.mss}`),
  kernelCheck: (_o, rule) => (rule.protocol !== 6 || rule.protocolInverted ? 'EINVAL' : undefined),
  hooks: (o): readonly Hook[] | undefined => (o.clamp ? ['FORWARD', 'OUTPUT', 'POSTROUTING'] : undefined),
  apply: (o) => ({ outcome: { verdict: 'CONTINUE' }, why: o.clamp ? 'TCP MSS clamped to the path MTU' : `TCP MSS set to ${o.mss}` }),
}
