/** `-m set --match-set NAME src[,dst...]`: membership in an ipset (the set must exist). */
import type { MatchModule } from '../module-api.ts'
import { ParameterProblem } from '../module-api.ts'

export interface SetOptions {
  name?: string
  dirs: ('src' | 'dst')[]
  inverted: boolean
}

export const setMatch: MatchModule<SetOptions> = {
  kind: 'match',
  name: 'set',
  options: [{ name: 'match-set', arg: 'two', invertible: true }, { name: 'set', arg: 'two', invertible: true }],
  create: () => ({ dirs: [], inverted: false }),
  parse(o, _option, arg, inverted, env) {
    const [name, dirText] = (arg ?? '').split('\u0000')
    if (dirText === undefined) throw new ParameterProblem('--match-set requires two args.')
    if (env.ipsetExists && !env.ipsetExists(name)) throw new ParameterProblem(`Set ${name} doesn't exist.\n`)
    const dirs = dirText.split(',')
    if (dirs.length > 6) throw new ParameterProblem('Too many binding tokens specified')
    for (const d of dirs) if (d !== 'src' && d !== 'dst') throw new ParameterProblem('You must specify (the comma separated list of) \'src\' or \'dst\'.')
    Object.assign(o, { name, dirs, inverted })
  },
  finalCheck(o) {
    if (!o.name) throw new ParameterProblem('You must specify `--match-set\' with proper arguments')
  },
  save: (o) => `${o.inverted ? '! ' : ''}--match-set ${o.name} ${o.dirs.join(',')}`,
  list: (o) => `${o.inverted ? '! ' : ''}match-set ${o.name} ${o.dirs.join(',')}`,
  evaluate(o, ctx) {
    const clause = `-m set ${this.save(o)}`
    const found = ctx.node.ipsetTest?.(o.name ?? '', ctx.packet, o.dirs)
    if (found === undefined) return [{ clause, matched: false, why: `ipset ${o.name} does not exist on this node` }]
    return [{ clause, matched: found !== o.inverted, why: `the packet's ${o.dirs.join(',')} ${found ? 'is' : 'is not'} in set ${o.name}${o.inverted ? ' (negated)' : ''}` }]
  },
}
