/**
 * `-j TOS --set-tos value[/mask] | symbol`, `--and-tos`, `--or-tos`, `--xor-tos` (mangle table): the TOS
 * byte becomes (tos & ~mask) ^ value. A symbol takes the mask 0x3f, so it keeps the two ECN bits and
 * clears the precedence ones; `-L` names such a rule by its symbol.
 */
import type { TargetModule } from '../module-api.ts'
import { ParameterProblem } from '../module-api.ts'
import { tosSymbolName, xtTosMask, xtUint } from '../xtopt.ts'
import { hex2 } from '../matches/dscp-classes.ts'

export interface TosTargetOptions {
  value: number
  mask: number
}

const ACTIONS = ['set-tos', 'and-tos', 'or-tos', 'xor-tos']
const others = (a: string) => ACTIONS.filter((x) => x !== a)

export const tosTarget: TargetModule<TosTargetOptions> = {
  kind: 'target',
  name: 'TOS',
  xtopt: true,
  table: 'mangle',
  options: ACTIONS.map((name) => ({ name, arg: 'required' as const, excl: others(name) })),
  create: () => ({ value: 0, mask: 0 }),
  parse(o, option, arg) {
    const text = arg ?? ''
    if (option === 'set-tos') {
      Object.assign(o, xtTosMask(text, 0x3f))
      return
    }
    const bits = xtUint('TOS', option, text, 8)
    if (option === 'and-tos') Object.assign(o, { value: 0, mask: ~bits & 0xff })
    else if (option === 'or-tos') Object.assign(o, { value: bits, mask: bits })
    else Object.assign(o, { value: bits, mask: 0 })
  },
  finalCheck(_o, env) {
    if (env.seen.length === 0) throw new ParameterProblem('TOS: An action is required')
  },
  save: (o) => `--set-tos ${hex2(o.value)}/${hex2(o.mask)}`,
  list(o, numeric) {
    if (numeric) return `TOS set ${hex2(o.value)}/${hex2(o.mask)}`
    // tos_try_print_symbolic prints " %s%s" with the prefix " TOS set": two blanks, none before the name.
    const symbol = o.mask === 0x3f ? tosSymbolName(o.value) : undefined
    if (symbol) return ` TOS set${symbol}`
    if (o.value === 0) return `TOS and ${hex2(~o.mask & 0xff)}`
    if (o.value === o.mask) return `TOS or ${hex2(o.value)}`
    if (o.mask === 0) return `TOS xor ${hex2(o.value)}`
    return `TOS set ${hex2(o.value)}/${hex2(o.mask)}`
  },
  apply(o, ctx) {
    const tos = ctx.packet.tos ?? 0
    const next = ((tos & ~o.mask) ^ o.value) & 0xff
    return { outcome: { verdict: 'CONTINUE' }, packet: { tos: next }, why: `TOS ${hex2(tos)} -> ${hex2(next)}` }
  },
}
