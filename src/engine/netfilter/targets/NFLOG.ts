/**
 * `-j NFLOG [--nflog-group N] [--nflog-prefix TEXT] [--nflog-size N] [--nflog-threshold N]`: hand the
 * packet to the nfnetlink_log group N for a user-space logger (ulogd, Weave's NPC). Non-terminating. The
 * nf_tables backend keeps a prefix of up to 127 bytes; `--nflog-range` never worked and is dropped with a
 * warning. A simulated node runs no logger, so the copy reaches nobody — the trace says where it went.
 */
import type { TargetModule } from '../module-api.ts'
import { ParameterProblem } from '../module-api.ts'
import { cutBytes, xtString, xtUint } from '../xtopt.ts'
import { saveString } from '../values.ts'

export interface NflogOptions {
  group: number
  prefix: string
  size?: number
  threshold: number
}

/** libxt_NFLOG's nflog_print: `-S` with `--` before each name, `-L` without. */
function fields(o: NflogOptions, dashes: string): string {
  const parts: string[] = []
  if (o.prefix) parts.push(`${dashes}nflog-prefix ${saveString(o.prefix)}`)
  if (o.group) parts.push(`${dashes}nflog-group ${o.group}`)
  if (o.size !== undefined) parts.push(`${dashes}nflog-size ${o.size}`)
  if (o.threshold) parts.push(`${dashes}nflog-threshold ${o.threshold}`)
  return parts.join(' ')
}

export const nflogTarget: TargetModule<NflogOptions> = {
  kind: 'target',
  name: 'NFLOG',
  xtopt: true,
  options: [
    { name: 'nflog-group', arg: 'required' }, { name: 'nflog-prefix', arg: 'required' },
    { name: 'nflog-range', arg: 'required', excl: ['nflog-size'] }, { name: 'nflog-size', arg: 'required', excl: ['nflog-range'] },
    { name: 'nflog-threshold', arg: 'required' },
  ],
  create: () => ({ group: 0, prefix: '', threshold: 0 }),
  parse(o, option, arg, _inverted, env) {
    const text = arg ?? ''
    switch (option) {
      case 'nflog-group': o.group = xtUint('NFLOG', option, text, 16); return
      case 'nflog-prefix':
        if (text.includes('\n')) throw new ParameterProblem('Newlines not allowed in --log-prefix')
        o.prefix = cutBytes(xtString(text, { min: 1 }), 127)
        return
      case 'nflog-range':
        xtUint('NFLOG', option, text)
        env.warn?.('warn: --nflog-range has never worked and is no longer supported, please use --nflog-size instead\n')
        return
      case 'nflog-size': o.size = xtUint('NFLOG', option, text); return
      case 'nflog-threshold': o.threshold = xtUint('NFLOG', option, text, 16)
    }
  },
  save: (o) => fields(o, '--'),
  list: (o) => fields(o, ''),
  apply(o) {
    const prefix = o.prefix ? ` with prefix ${saveString(o.prefix)}` : ''
    return { outcome: { verdict: 'CONTINUE' }, why: `copy sent to nflog group ${o.group}${prefix}; no logger listens on this node` }
  },
}
