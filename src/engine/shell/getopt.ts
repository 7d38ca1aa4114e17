/**
 * Option parsing as GNU getopt_long does it for coreutils, grep and sed: short options cluster (`-rn`),
 * an option's argument may be attached (`-n5`, `-d,`) or the next word, long options may be abbreviated
 * and take `--opt=value`, options and operands mix (permutation) until `--`. Errors are getopt's texts.
 */
import { lookup } from './lookup.ts'

export interface OptionSpec {
  /** Short options without an argument, e.g. 'cinvw'. */
  flags?: string
  /** Short options that take an argument, e.g. 'efm'. */
  withArg?: string
  /** Long options: name -> the short option it stands for (or itself), and whether it takes an argument. */
  long?: Record<string, { short: string; arg: boolean }>
  /** Stop at the first operand (POSIX order: xargs, watch, env). */
  stopAtOperand?: boolean
}

export interface ParsedOptions {
  options: { name: string; value?: string }[]
  operands: string[]
}

export type GetoptResult = ({ ok: true } & ParsedOptions) | { ok: false; message: string }

export function getopt(args: readonly string[], spec: OptionSpec): GetoptResult {
  const flags = spec.flags ?? ''
  const withArg = spec.withArg ?? ''
  const long = spec.long ?? {}
  const options: ParsedOptions['options'] = []
  const operands: string[] = []
  for (let i = 0; i < args.length; i++) {
    const a = args[i]
    if (a === '--') { operands.push(...args.slice(i + 1)); break }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=')
      const name = a.slice(2, eq < 0 ? undefined : eq)
      const exact = lookup(long, name) ? name : undefined
      const candidates = exact ? [exact] : Object.keys(long).filter((k) => k.startsWith(name))
      if (candidates.length === 0) return { ok: false, message: `unrecognized option '${a}'` }
      if (candidates.length > 1 && new Set(candidates.map((c) => long[c].short)).size > 1) {
        return { ok: false, message: `option '${a}' is ambiguous; possibilities: ${candidates.map((c) => `'--${c}'`).join(' ')}` }
      }
      const o = long[candidates[0]]
      if (o.arg) {
        let value = eq >= 0 ? a.slice(eq + 1) : args[++i]
        if (value === undefined) return { ok: false, message: `option '--${candidates[0]}' requires an argument` }
        if (eq < 0 && value === undefined) value = ''
        options.push({ name: o.short, value })
      } else {
        if (eq >= 0) return { ok: false, message: `option '--${candidates[0]}' doesn't allow an argument` }
        options.push({ name: o.short })
      }
      continue
    }
    if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j]
        if (withArg.includes(c)) {
          const value = j + 1 < a.length ? a.slice(j + 1) : args[++i]
          if (value === undefined) return { ok: false, message: `option requires an argument -- '${c}'` }
          options.push({ name: c, value })
          break
        }
        if (!flags.includes(c)) return { ok: false, message: `invalid option -- '${c}'` }
        options.push({ name: c })
      }
      continue
    }
    if (spec.stopAtOperand) { operands.push(...args.slice(i)); break }
    operands.push(a)
  }
  return { ok: true, options, operands }
}

/** The last value given for an option (later ones win), or undefined. */
export function lastValue(p: ParsedOptions, name: string): string | undefined {
  let v: string | undefined
  for (const o of p.options) if (o.name === name) v = o.value
  return v
}

export function has(p: ParsedOptions, name: string): boolean {
  return p.options.some((o) => o.name === name)
}

/** `tool: MESSAGE\nTry 'tool --help' for more information.\n`, getopt's message with coreutils' hint. */
export function usageError(tool: string, message: string, usage?: string): string {
  return `${tool}: ${message}\n${usage ? usage + '\n' : ''}Try '${tool} --help' for more information.\n`
}
