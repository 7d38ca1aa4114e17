/**
 * `-j ULOG` (the IPv4-only logger NFLOG replaced): the kernel here has no ipt_ULOG, so iptables-nft warns
 * when the extension loads and the rule is refused with ENOENT.
 */
import type { TargetModule } from '../module-api.ts'
import { ParameterProblem } from '../module-api.ts'
import { xtString, xtUint, xtUint64 } from '../xtopt.ts'
import { saveString } from '../values.ts'

export interface UlogOptions {
  group: number
  prefix: string
  copyRange: bigint
  threshold: bigint
}

export const ulogTarget: TargetModule<UlogOptions> = {
  kind: 'target',
  name: 'ULOG',
  xtopt: true,
  unsupported: true,
  options: [
    { name: 'ulog-nlgroup', arg: 'required' }, { name: 'ulog-prefix', arg: 'required' },
    { name: 'ulog-cprange', arg: 'required' }, { name: 'ulog-qthreshold', arg: 'required' },
  ],
  create: () => ({ group: 1, prefix: '', copyRange: 0n, threshold: 1n }),
  parse(o, option, arg) {
    const text = arg ?? ''
    switch (option) {
      case 'ulog-nlgroup': o.group = xtUint('ULOG', option, text, 8, 1, 32); return
      case 'ulog-prefix':
        if (text.includes('\n')) throw new ParameterProblem('Newlines not allowed in --ulog-prefix')
        o.prefix = xtString(text, { min: 1, size: 32 })
        return
      case 'ulog-cprange': o.copyRange = xtUint64('ULOG', option, text); return
      case 'ulog-qthreshold': o.threshold = xtUint64('ULOG', option, text, 64, 1n, 50n)
    }
  },
  save(o) {
    const parts: string[] = []
    if (o.prefix) parts.push(`--ulog-prefix ${saveString(o.prefix)}`)
    if (o.group !== 1) parts.push(`--ulog-nlgroup ${o.group}`)
    if (o.copyRange) parts.push(`--ulog-cprange ${o.copyRange}`)
    if (o.threshold !== 1n) parts.push(`--ulog-qthreshold ${o.threshold}`)
    return parts.join(' ')
  },
  list: (o) => `ULOG copy_range ${o.copyRange} nlgroup ${o.group}${o.prefix ? ` prefix ${saveString(o.prefix)}` : ''} queue_threshold ${o.threshold}`,
  apply: () => ({ outcome: { verdict: 'CONTINUE' }, why: 'no ULOG: the kernel has no ipt_ULOG' }),
}
