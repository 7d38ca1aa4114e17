/**
 * Command-line words as node:util's parseArgs splits them (`--flag value`, `--flag=value`, `-h`, `--` ends
 * the flags), in the order given, for the commands to read. parseArgs runs non-strict so that each command
 * keeps its own messages: a flag that takes a value takes the next word whatever it looks like (`--seed -3`,
 * as the commands always accepted), and an unknown flag, a missing value or a value given to a flag that
 * takes none comes back as a problem naming the word as typed.
 */
import { parseArgs } from 'node:util'

export type FlagOptions = Record<string, { type: 'string' | 'boolean'; short?: string }>

export type ArgToken =
  | { kind: 'flag'; name: string; value?: string; word: string }
  | { kind: 'positional'; value: string }

export type FlagProblem =
  /** A flag the command does not have (`word` as typed, `--wide=3` included). */
  | { kind: 'unknown'; word: string }
  /** A flag that takes a value, last on the line. */
  | { kind: 'missing'; name: string }

export interface ReadFlags {
  tokens: ArgToken[]
  problem?: FlagProblem
}

/** The words as flags and positionals, or the first problem with them. `--help`/`-h` is always known. */
export function readFlags(args: readonly string[], options: FlagOptions): ReadFlags {
  const all: FlagOptions = { help: { type: 'boolean', short: 'h' }, ...options }
  const { tokens } = parseArgs({ args: [...args], options: all, allowPositionals: true, strict: false, tokens: true })
  const out: ArgToken[] = []
  for (const t of tokens) {
    if (t.kind === 'positional') { out.push({ kind: 'positional', value: t.value }); continue }
    if (t.kind === 'option-terminator') continue
    const spec = all[t.name]
    const word = args[t.index]
    // Unknown, or a flag that takes no value given one (`--json=yes`): both are words the command does not know.
    if (!spec || (spec.type === 'boolean' && t.value !== undefined)) return { tokens: out, problem: { kind: 'unknown', word } }
    if (spec.type === 'string' && t.value === undefined) return { tokens: out, problem: { kind: 'missing', name: t.name } }
    out.push({ kind: 'flag', name: t.name, value: t.value, word })
  }
  return { tokens: out }
}

/** Whether the words ask for help (`--help` or `-h` anywhere, as the commands always honoured it). */
export function wantsHelp(args: readonly string[]): boolean {
  return args.includes('--help') || args.includes('-h')
}
