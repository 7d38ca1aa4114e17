/** `-j CT --notrack | --zone N ...` and its older spelling `-j NOTRACK` (raw table only). */
import type { TargetModule } from '../module-api.ts'
import { ParameterProblem } from '../module-api.ts'

export interface CtOptions {
  notrack: boolean
  zone?: number
  helper?: string
}

export const ctTarget: TargetModule<CtOptions> = {
  kind: 'target',
  name: 'CT',
  table: 'raw',
  options: [{ name: 'notrack', arg: 'none' }, { name: 'zone', arg: 'required' }, { name: 'helper', arg: 'required' }],
  create: () => ({ notrack: false }),
  parse(o, option, arg) {
    if (option === 'notrack') o.notrack = true
    else if (option === 'helper') o.helper = arg ?? ''
    else {
      const n = /^[0-9]+$/.test(arg ?? '') ? Number(arg) : NaN
      if (!(n >= 0 && n <= 65535)) throw new ParameterProblem(`Cannot parse ${arg} as a zone ID`)
      o.zone = n
    }
  },
  save: (o) => [o.notrack && '--notrack', o.helper !== undefined && `--helper ${o.helper}`, o.zone !== undefined && `--zone ${o.zone}`].filter(Boolean).join(' '),
  list: (o) => ['CT', o.notrack && 'notrack', o.helper !== undefined && `helper ${o.helper}`, o.zone !== undefined && `zone ${o.zone}`].filter(Boolean).join(' '),
  apply(o) {
    if (o.notrack) return { outcome: { verdict: 'CONTINUE' }, notrack: true, why: 'connection tracking switched off for this packet' }
    return { outcome: { verdict: 'CONTINUE' }, why: `conntrack zone ${o.zone ?? 0}` }
  },
}

export const notrackTarget: TargetModule<Record<string, never>> = {
  kind: 'target',
  name: 'NOTRACK',
  listName: 'CT',
  table: 'raw',
  options: [],
  create: () => ({}),
  parse: () => undefined,
  save: () => '',
  list: () => 'NOTRACK',
  apply: () => ({ outcome: { verdict: 'CONTINUE' }, notrack: true, why: 'connection tracking switched off for this packet' }),
}
