/**
 * `-m socket [--transparent] [--nowildcard] [--restore-skmark]` (PREROUTING and INPUT): the packet belongs
 * to a local socket — an established one, or a listener. The simulation models no sockets, so the match is
 * an assumption: false (flip with `--assume socket=true`).
 */
import type { MatchModule } from '../module-api.ts'
import type { Hook } from '../types.ts'
import { joinParts } from '../values.ts'
import { assumedClause } from '../assumptions.ts'

export interface SocketOptions {
  transparent: boolean
  nowildcard: boolean
  restoreSkmark: boolean
}

const flags = (o: SocketOptions) => [o.transparent && '--transparent', o.nowildcard && '--nowildcard', o.restoreSkmark && '--restore-skmark']

export const socketMatch: MatchModule<SocketOptions> = {
  kind: 'match',
  name: 'socket',
  xtopt: true,
  options: [{ name: 'transparent', arg: 'none' }, { name: 'nowildcard', arg: 'none' }, { name: 'restore-skmark', arg: 'none' }],
  create: () => ({ transparent: false, nowildcard: false, restoreSkmark: false }),
  parse(o, option) {
    if (option === 'transparent') o.transparent = true
    else if (option === 'nowildcard') o.nowildcard = true
    else o.restoreSkmark = true
  },
  hooks: (): readonly Hook[] => ['PREROUTING', 'INPUT'],
  save: (o) => joinParts(flags(o)),
  list: (o) => joinParts(['socket', ...flags(o)]),
  evaluate(o, ctx) {
    const saved = this.save(o)
    return [assumedClause(ctx, {
      module: 'socket', clause: `-m socket${saved ? ` ${saved}` : ''}`, inverted: false,
      unknown: 'the simulation has no sockets', fallback: false,
    })]
  },
}
