/**
 * `-m set [!] --match-set NAME src[,dst...]` (revision 4): membership in an ipset (the set must exist when
 * the rule is parsed), with `--return-nomatch`, `! --update-counters`, `! --update-subcounters` and the
 * counter conditions `--packets-eq/-lt/-gt N` and `--bytes-eq/-lt/-gt N` (`!` negates -eq). `--set` is the
 * deprecated name of `--match-set`.
 */
import type { MatchModule } from '../module-api.ts'
import { ParameterProblem } from '../module-api.ts'
import { joinParts } from '../values.ts'
import { xtStrtoul } from '../xtopt.ts'
import { parseSetRef, setRefText, type SetRef } from './set-common.ts'

type Op = 'eq' | 'ne' | 'lt' | 'gt'
interface Counter { op: Op; value: bigint }

export interface SetOptions {
  set?: SetRef
  inverted: boolean
  returnNomatch: boolean
  skipCounters: boolean
  skipSubcounters: boolean
  packets?: Counter
  bytes?: Counter
}

function counterText(kind: 'packets' | 'bytes', c: Counter | undefined, prefix: string): string | undefined {
  if (!c) return undefined
  return `${c.op === 'ne' ? '! ' : ''}${prefix}${kind}-${c.op === 'ne' ? 'eq' : c.op} ${c.value}`
}

export const setMatch: MatchModule<SetOptions> = {
  kind: 'match',
  name: 'set',
  options: [
    { name: 'match-set', arg: 'two', invertible: true }, { name: 'set', arg: 'two', invertible: true },
    { name: 'return-nomatch', arg: 'none', invertible: true }, { name: 'update-counters', arg: 'none', invertible: true },
    { name: 'update-subcounters', arg: 'none', invertible: true },
    ...['packets-eq', 'packets-lt', 'packets-gt', 'bytes-eq', 'bytes-lt', 'bytes-gt'].map((name) => ({ name, arg: 'required' as const, invertible: true })),
  ],
  create: () => ({ inverted: false, returnNomatch: false, skipCounters: false, skipSubcounters: false }),
  parse(o, option, arg, inverted, env) {
    switch (option) {
      case 'set': case 'match-set':
        if (option === 'set') env.warn?.('--set option deprecated, please use --match-set\n')
        if (o.set) throw new ParameterProblem('--match-set can be specified only once')
        o.set = parseSetRef(arg, env)
        o.inverted = inverted
        return
      case 'return-nomatch':
        if (inverted) throw new ParameterProblem('--return-nomatch flag cannot be inverted')
        o.returnNomatch = true
        return
      case 'update-counters': o.skipCounters = inverted; return
      case 'update-subcounters': o.skipSubcounters = inverted; return
    }
    const [kind, op] = option.split('-') as ['packets' | 'bytes', 'eq' | 'lt' | 'gt']
    if (o[kind]) throw new ParameterProblem(`only one of the --${kind}-[eq|lt|gt] is allowed`)
    if (inverted && op !== 'eq') throw new ParameterProblem(`--${option} option cannot be inverted`)
    const value = xtStrtoul(arg ?? '', 0n, (1n << 64n) - 1n)
    if (value === undefined) throw new ParameterProblem(`Cannot parse ${arg} as a counter value`)
    o[kind] = { op: inverted ? 'ne' : op, value }
  },
  finalCheck(o) {
    if (!o.set) throw new ParameterProblem('You must specify `--match-set\' with proper arguments')
  },
  save: (o) => joinParts([
    `${o.inverted ? '! ' : ''}--match-set ${o.set ? setRefText(o.set) : ''}`, o.returnNomatch && '--return-nomatch',
    o.skipCounters && '! --update-counters', o.skipSubcounters && '! --update-subcounters',
    counterText('packets', o.packets, '--'), counterText('bytes', o.bytes, '--'),
  ]),
  list: (o) => joinParts([
    `${o.inverted ? '! ' : ''}match-set ${o.set ? setRefText(o.set) : ''}`, o.returnNomatch && 'return-nomatch',
    o.skipCounters && '! update-counters', o.skipSubcounters && '! update-subcounters',
    counterText('packets', o.packets, ''), counterText('bytes', o.bytes, ''),
  ]),
  ipsetReferences: (o) => (o.set ? [o.set.name] : []),
  evaluate(o, ctx) {
    const clause = `-m set ${this.save(o)}`
    const name = o.set?.name ?? ''
    const found = ctx.node.ipsetTest?.(name, ctx.packet, o.set?.dirs ?? [])
    if (found === undefined) return [{ clause, matched: false, why: `ipset ${name} does not exist on this node` }]
    return [{ clause, matched: found !== o.inverted, why: `the packet's ${o.set?.dirs.join(',')} ${found ? 'is' : 'is not'} in set ${name}${o.inverted ? ' (negated)' : ''}` }]
  },
}
