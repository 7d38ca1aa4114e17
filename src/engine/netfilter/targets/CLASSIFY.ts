/**
 * `-j CLASSIFY --set-class MAJOR:MINOR` (LOCAL_OUT, FORWARD, POSTROUTING in any table): set skb->priority,
 * which tc's classful qdiscs read to pick a class. Both numbers are hexadecimal.
 */
import type { TargetModule } from '../module-api.ts'
import { ParameterProblem } from '../module-api.ts'
import type { Hook } from '../types.ts'

export interface ClassifyOptions {
  priority: number
}

/** sscanf("%x:%x"): hex digits with an optional 0x, a sign, leading blanks; the rest of the text is ignored. */
function scanHex(text: string, from: number): { value: number; end: number } | undefined {
  const m = /^[ \t\n\v\f\r]*([+-]?)(0[xX](?=[0-9a-fA-F]))?([0-9a-fA-F]+)/.exec(text.slice(from))
  if (!m) return undefined
  let v = BigInt(`0x${m[3]}`)
  if (v > 0xffffffffn) v = 0xffffffffn
  let n = Number(v)
  if (m[1] === '-') n = (-n) >>> 0
  return { value: n >>> 0, end: from + m[0].length }
}

export function parseClass(text: string): number | undefined {
  const major = scanHex(text, 0)
  if (!major || text[major.end] !== ':') return undefined
  const minor = scanHex(text, major.end + 1)
  if (!minor) return undefined
  // TC_H_MAKE(major << 16, minor): the major number keeps its low 16 bits.
  return ((((major.value << 16) >>> 0) & 0xffff0000) | (minor.value & 0xffff)) >>> 0
}

const hex = (n: number) => n.toString(16)

export const classifyTarget: TargetModule<ClassifyOptions> = {
  kind: 'target',
  name: 'CLASSIFY',
  xtopt: true,
  options: [{ name: 'set-class', arg: 'required', mandatory: true }],
  create: () => ({ priority: 0 }),
  parse(o, _option, arg) {
    const p = parseClass(arg ?? '')
    if (p === undefined) throw new ParameterProblem(`Bad class value "${arg ?? ''}"`)
    o.priority = p
  },
  hooks: (): readonly Hook[] => ['OUTPUT', 'FORWARD', 'POSTROUTING'],
  save: (o) => `--set-class ${hex(o.priority >>> 16).padStart(4, '0')}:${hex(o.priority & 0xffff).padStart(4, '0')}`,
  list: (o) => `CLASSIFY set ${hex(o.priority >>> 16)}:${hex(o.priority & 0xffff)}`,
  apply: (o) => ({
    outcome: { verdict: 'CONTINUE' }, packet: { priority: o.priority },
    why: `priority set to ${hex(o.priority >>> 16)}:${hex(o.priority & 0xffff)} (the tc class it is queued in)`,
  }),
}
