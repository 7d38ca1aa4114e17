/**
 * `-m cgroup [!] --path PATH | [!] --cgroup CLASSID`: the cgroup (v2 path, or net_cls class id) of the
 * socket that sent or receives the packet (OUTPUT, POSTROUTING and INPUT). The kernel refuses both options
 * at once, neither, and a path that does not exist: the simulated node's cgroup2 tree has only its root
 * (`/`, ``), like the namespace the fixtures were recorded in.
 *
 * Which cgroup a packet's socket belongs to the simulation cannot know: assumed false (flip with
 * `--assume cgroup=true`).
 */
import type { MatchModule } from '../module-api.ts'
import type { Hook } from '../types.ts'
import { saveString } from '../values.ts'
import { cutBytes, xtUint } from '../xtopt.ts'
import { assumedClause } from '../assumptions.ts'

export interface CgroupOptions {
  path?: { value: string; inverted: boolean }
  classid?: { value: number; inverted: boolean }
}

const EXISTING_PATHS = new Set(['/', ''])

export const cgroupMatch: MatchModule<CgroupOptions> = {
  kind: 'match',
  name: 'cgroup',
  xtopt: true,
  options: [{ name: 'path', arg: 'required', invertible: true }, { name: 'cgroup', arg: 'required', invertible: true }],
  create: () => ({}),
  parse(o, option, arg, inverted) {
    if (option === 'path') o.path = { value: cutBytes(arg ?? '', 4095), inverted }
    else o.classid = { value: xtUint('cgroup', option, arg ?? ''), inverted }
  },
  kernelCheck(o) {
    if (!!o.path === !!o.classid) return 'EINVAL'
    if (o.path && !EXISTING_PATHS.has(o.path.value)) return 'EINVAL'
    return undefined
  },
  hooks: (): readonly Hook[] => ['INPUT', 'OUTPUT', 'POSTROUTING'],
  save: (o) => (o.path ? `${o.path.inverted ? '! ' : ''}--path ${o.path.value === '' ? '""' : saveString(o.path.value)}`
    : o.classid ? `${o.classid.inverted ? '! ' : ''}--cgroup ${o.classid.value}` : ''),
  list: (o) => (o.path ? `cgroup ${o.path.inverted ? '! ' : ''}${o.path.value}` : o.classid ? `cgroup ${o.classid.inverted ? '! ' : ''}${o.classid.value}` : 'cgroup'),
  evaluate(o, ctx) {
    return [assumedClause(ctx, {
      module: 'cgroup', clause: `-m cgroup ${this.save(o)}`, inverted: (o.path ?? o.classid)?.inverted ?? false,
      unknown: 'the simulation does not know which cgroup a socket belongs to', fallback: false,
    })]
  },
}
