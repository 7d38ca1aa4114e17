/** What `-m set` and `-j SET` share: a set name with its src/dst flags, as libxt_set parses and prints them. */
import type { ParseEnv } from '../module-api.ts'
import { ParameterProblem } from '../module-api.ts'

/** IPSET_MAXNAMELEN is 32 with the terminating NUL. */
const MAX_NAME = 31
/** IPSET_DIM_MAX - 1 */
const MAX_DIRS = 6

export interface SetRef {
  name: string
  dirs: ('src' | 'dst')[]
}

/** `NAME src,dst,...` (the two words of --match-set, --add-set, ... joined by NUL). */
export function parseSetRef(arg: string | undefined, env: ParseEnv): SetRef {
  const [name, dirText] = (arg ?? '').split('\u0000')
  if (name.length > MAX_NAME) throw new ParameterProblem(`setname \`${name}' too long, max ${MAX_NAME} characters.`)
  if (env.ipsetExists && !env.ipsetExists(name)) throw new ParameterProblem(`Set ${name} doesn't exist.\n`)
  const dirs: ('src' | 'dst')[] = []
  const parts = (dirText ?? '').split(',')
  for (const part of parts) {
    if (dirs.length === MAX_DIRS) throw new ParameterProblem(`Can't be more src/dst options than ${MAX_DIRS}.`)
    // parse_dirs compares the first three characters only.
    if (part.startsWith('src')) dirs.push('src')
    else if (part.startsWith('dst')) dirs.push('dst')
    else throw new ParameterProblem("You must spefify (the comma separated list of) 'src' or 'dst'.")
  }
  return { name, dirs }
}

export function setRefText(r: SetRef): string {
  return `${r.name} ${r.dirs.join(',')}`
}
