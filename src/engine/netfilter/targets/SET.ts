/**
 * `-j SET --add-set NAME FLAGS [--exist] [--timeout N] | --del-set NAME FLAGS | --map-set NAME FLAGS
 * [--map-mark] [--map-prio] [--map-queue]` (revision 3): add the packet's address (and ports) to an ipset,
 * delete it, or take the packet's mark, priority and queue from the set's entry. The sets must exist when
 * the rule is parsed; the kernel allows `--map-set` in the mangle table only, and `--map-prio`/`--map-queue`
 * in FORWARD, OUTPUT and POSTROUTING.
 */
import type { TargetModule } from '../module-api.ts'
import { ParameterProblem } from '../module-api.ts'
import type { Hook } from '../types.ts'
import { joinParts } from '../values.ts'
import { xtStrtoui } from '../xtopt.ts'
import { parseSetRef, setRefText, type SetRef } from '../matches/set-common.ts'

const NO_TIMEOUT = 0xffffffff

export interface SetTargetOptions {
  add?: SetRef
  del?: SetRef
  map?: SetRef
  exist: boolean
  timeout: number
  mapMark: boolean
  mapPrio: boolean
  mapQueue: boolean
  seen: string[]
}

export const setTarget: TargetModule<SetTargetOptions> = {
  kind: 'target',
  name: 'SET',
  options: [
    { name: 'add-set', arg: 'two' }, { name: 'del-set', arg: 'two' }, { name: 'exist', arg: 'none' }, { name: 'timeout', arg: 'required' },
    { name: 'map-set', arg: 'two' }, { name: 'map-mark', arg: 'none' }, { name: 'map-prio', arg: 'none' }, { name: 'map-queue', arg: 'none' },
  ],
  create: () => ({ exist: false, timeout: NO_TIMEOUT, mapMark: false, mapPrio: false, mapQueue: false, seen: [] }),
  parse(o, option, arg, _inverted, env) {
    o.seen.push(option)
    switch (option) {
      case 'add-set': case 'del-set': case 'map-set': {
        const key = option === 'add-set' ? 'add' : option === 'del-set' ? 'del' : 'map'
        if (o[key]) throw new ParameterProblem(`--${option} can be specified only once`)
        o[key] = parseSetRef(arg, env)
        return
      }
      case 'exist': o.exist = true; return
      case 'timeout': {
        const t = xtStrtoui(arg ?? '', 0, 0xfffffffe)
        if (t === undefined) throw new ParameterProblem('Invalid value for option --timeout or out of range 0-4294967294')
        o.timeout = t
        return
      }
      case 'map-mark': o.mapMark = true; return
      case 'map-prio': o.mapPrio = true; return
      case 'map-queue': o.mapQueue = true
    }
  },
  finalCheck(o) {
    if (!o.add && !o.del && !o.map) throw new ParameterProblem("You must specify either `--add-set' or `--del-set' or `--map-set'")
    if (!o.add) {
      if (o.exist) throw new ParameterProblem("Flag `--exist' can be used with `--add-set' only")
      if (o.seen.includes('timeout')) throw new ParameterProblem("Option `--timeout' can be used with `--add-set' only")
    }
    if (!o.map) {
      for (const [flag, on] of [['map-mark', o.mapMark], ['map-prio', o.mapPrio], ['map-queue', o.mapQueue]] as const) {
        if (on) throw new ParameterProblem(`Flag \`--${flag}' can be used with \`--map-set' only`)
      }
    }
    if (o.map && !o.mapMark && !o.mapPrio && !o.mapQueue) throw new ParameterProblem("You must specify flags `--map-mark' or '--map-prio` or `--map-queue'")
  },
  kernelCheck: (o, _rule, table) => (o.map && table !== 'mangle' ? 'EINVAL' : undefined),
  hooks: (o): readonly Hook[] | undefined => (o.map && (o.mapPrio || o.mapQueue) ? ['FORWARD', 'OUTPUT', 'POSTROUTING'] : undefined),
  save: (o) => joinParts([
    o.add && `--add-set ${setRefText(o.add)}`, o.add && o.exist && '--exist', o.add && o.timeout !== NO_TIMEOUT && `--timeout ${o.timeout}`,
    o.del && `--del-set ${setRefText(o.del)}`, o.map && `--map-set ${setRefText(o.map)}`, o.mapMark && '--map-mark',
    o.mapPrio && '--map-prio', o.mapQueue && '--map-queue',
  ]),
  list: (o) => joinParts([
    o.add && `add-set ${setRefText(o.add)}`, o.add && o.exist && 'exist', o.add && o.timeout !== NO_TIMEOUT && `timeout ${o.timeout}`,
    o.del && `del-set ${setRefText(o.del)}`, o.map && `map-set ${setRefText(o.map)}`, o.mapMark && 'map-mark',
    o.mapPrio && 'map-prio', o.mapQueue && 'map-queue',
  ]),
  // Each of --add-set, --del-set and --map-set takes its own reference (measured: a rule with --add-set S
  // and --del-set S raises S's References by 2).
  ipsetReferences: (o) => [o.add, o.del, o.map].flatMap((r) => (r ? [r.name] : [])),
  apply(o) {
    const what = [o.add && `add to ${o.add.name}`, o.del && `delete from ${o.del.name}`, o.map && `map from ${o.map.name}`].filter(Boolean).join(', ')
    return { outcome: { verdict: 'CONTINUE' }, why: `SET (${what}): this simulation does not change ipsets from rules; evaluation continues` }
  },
}
