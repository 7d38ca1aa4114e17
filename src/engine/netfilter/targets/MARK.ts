/**
 * `-j MARK`: change the packet mark. Every form is stored as the kernel's (value, mask) pair —
 * mark = (mark & ~mask) ^ value — and iptables-save prints it as `--set-xmark VALUE/MASK`.
 */
import type { TargetModule } from '../module-api.ts'
import { ParameterProblem, checkExclusive } from '../module-api.ts'
import { hex, parseMarkMask, parseU32Option } from '../values.ts'

export interface MarkTargetOptions {
  value: number
  mask: number
  given: boolean
  /** Options seen (for xtopt's exclusivity check). */
  seen?: string[]
}

const ORDER = ['set-xmark', 'set-mark', 'and-mark', 'or-mark', 'xor-mark']

/** libxt_MARK's listing of a (value, mask) pair; CONNMARK uses the same words. */
export function markActionText(prefix: string, value: number, mask: number): string {
  if (value === 0) return `${prefix} and ${hex(~mask >>> 0)}`
  if (value === mask) return `${prefix} or ${hex(value)}`
  if (mask === 0) return `${prefix} xor ${hex(value)}`
  if (mask === 0xffffffff) return `${prefix} set ${hex(value)}`
  return `${prefix} xset ${hex(value)}/${hex(mask)}`
}

export function applyXmark(mark: number, value: number, mask: number): number {
  return ((mark & ~mask) ^ value) >>> 0
}

export const markTarget: TargetModule<MarkTargetOptions> = {
  kind: 'target',
  name: 'MARK',
  xtopt: true,
  options: [
    { name: 'set-mark', arg: 'required' }, { name: 'set-xmark', arg: 'required' },
    { name: 'and-mark', arg: 'required' }, { name: 'or-mark', arg: 'required' }, { name: 'xor-mark', arg: 'required' },
  ],
  create: () => ({ value: 0, mask: 0, given: false }),
  parse(o, option, arg) {
    o.given = true
    o.seen = [...(o.seen ?? []), option]
    switch (option) {
      case 'set-xmark': {
        const m = parseMarkMask(arg ?? '', 'MARK', option)
        o.value = m.value
        o.mask = m.mask
        return
      }
      case 'set-mark': {
        const m = parseMarkMask(arg ?? '', 'MARK', option)
        o.value = m.value
        o.mask = (m.value | m.mask) >>> 0
        return
      }
      case 'and-mark': o.value = 0; o.mask = ~parseU32Option(arg, 'MARK', option) >>> 0; return
      case 'or-mark': o.value = parseU32Option(arg, 'MARK', option); o.mask = o.value; return
      case 'xor-mark': o.value = parseU32Option(arg, 'MARK', option); o.mask = 0
    }
  },
  finalCheck(o) {
    checkExclusive('MARK', ORDER, new Set(o.seen ?? []), [ORDER])
    if (!o.given) throw new ParameterProblem('MARK: One of the --set-xmark, --{and,or,xor,set}-mark options is required')
  },
  save: (o) => `--set-xmark ${hex(o.value)}/${hex(o.mask)}`,
  list: (o) => markActionText('MARK', o.value, o.mask),
  apply(o, ctx) {
    const mark = applyXmark(ctx.packet.mark, o.value, o.mask)
    return { outcome: { verdict: 'CONTINUE' }, mark, why: `packet mark ${hex(ctx.packet.mark >>> 0)} -> ${hex(mark)}` }
  },
}
