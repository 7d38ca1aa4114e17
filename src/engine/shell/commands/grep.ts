/**
 * grep as GNU grep 3.8 behaves for what lessons use: -E -F -G, -i, -v, -c, -n, -o, -w, -x, -e, -f, -h/-H,
 * -l/-L, -q, -s, -m, -A/-B/-C with `--` between groups; several files prefix lines with `file:`. Exit 0
 * when a line was selected, 1 when none, 2 on an error (unless -q found a line).
 */
import type { CommandContext, ShellCommand } from '../command.ts'
import { linesOf } from '../command.ts'
import { FsError } from '../filesystem.ts'
import { getopt, has, lastValue } from '../getopt.ts'
import { RegexError, posixToJs } from '../regex.ts'
import { escapeRe } from '../glob.ts'

const USAGE = "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n"

const LONG: Record<string, { short: string; arg: boolean }> = {
  'extended-regexp': { short: 'E', arg: false }, 'fixed-strings': { short: 'F', arg: false }, 'basic-regexp': { short: 'G', arg: false },
  'ignore-case': { short: 'i', arg: false }, 'no-ignore-case': { short: 'I', arg: false }, 'invert-match': { short: 'v', arg: false },
  count: { short: 'c', arg: false }, 'line-number': { short: 'n', arg: false }, 'only-matching': { short: 'o', arg: false },
  'word-regexp': { short: 'w', arg: false }, 'line-regexp': { short: 'x', arg: false }, regexp: { short: 'e', arg: true },
  file: { short: 'f', arg: true }, quiet: { short: 'q', arg: false }, silent: { short: 'q', arg: false },
  'no-messages': { short: 's', arg: false }, 'no-filename': { short: 'h', arg: false }, 'with-filename': { short: 'H', arg: false },
  'files-with-matches': { short: 'l', arg: false }, 'files-without-match': { short: 'L', arg: false },
  'max-count': { short: 'm', arg: true }, 'after-context': { short: 'A', arg: true }, 'before-context': { short: 'B', arg: true },
  context: { short: 'C', arg: true }, color: { short: '\u0001', arg: false }, colour: { short: '\u0001', arg: false },
}

export const grep: ShellCommand = (ctx) => {
  // --color[=WHEN] is accepted and ignored (the console shows plain text).
  const args = ctx.args.filter((a) => !/^--colou?r(=.*)?$/.test(a))
  const p = getopt(args, { flags: 'EFGiyvcnowxqshHlLIrRPz', withArg: 'efmABC', long: LONG })
  if (!p.ok) { ctx.err(`grep: ${p.message}\n${USAGE}`); return 2 }
  const patterns: string[] = []
  let fromOptions = false
  for (const o of p.options) {
    if (o.name === 'e') { patterns.push(...o.value!.split('\n')); fromOptions = true }
    if (o.name === 'f') {
      try {
        patterns.push(...linesOf(ctx.shell.fs.readFile(ctx.shell.resolve(o.value!))))
        fromOptions = true
      } catch (e) {
        if (!(e instanceof FsError)) throw e
        ctx.err(`grep: ${o.value}: ${e.message}\n`)
        return 2
      }
    }
  }
  const operands = [...p.operands]
  if (!fromOptions) {
    if (operands.length === 0) { ctx.err(USAGE); return 2 }
    patterns.push(...operands.shift()!.split('\n'))
  }
  const refused = p.options.find((o) => 'rRPz'.includes(o.name))
  if (refused) { ctx.err(`grep: -${refused.name}: not supported by this simulated shell\n`); return 2 }
  const mode = [...p.options].reverse().find((o) => 'EFG'.includes(o.name))?.name ?? 'G'
  const ignoreCase = p.options.reduce((ic, o) => (o.name === 'i' || o.name === 'y' ? true : o.name === 'I' ? false : ic), false)
  let re: RegExp
  try {
    re = buildRegex(patterns, mode as 'E' | 'F' | 'G', { ignoreCase, word: has(p, 'w'), line: has(p, 'x') })
  } catch (e) {
    if (!(e instanceof RegexError)) throw e
    ctx.err(`grep: ${e.message}\n`)
    return 2
  }
  const num = (name: string): number | string | undefined => {
    const v = lastValue(p, name)
    if (v === undefined) return undefined
    return /^\d+$/.test(v) ? Number(v) : v
  }
  const max = num('m')
  const context = num('C')
  const after = num('A') ?? context ?? 0
  const before = num('B') ?? context ?? 0
  for (const [flag, v] of [['m', max], ['A', after], ['B', before]] as const) {
    if (typeof v === 'string') {
      ctx.err(flag === 'm' ? `grep: invalid max count\n` : `grep: ${v}: invalid context length argument\n`)
      return 2
    }
  }
  const opts: MatchOptions = {
    invert: has(p, 'v'), count: has(p, 'c'), lineNumbers: has(p, 'n'), only: has(p, 'o'), quiet: has(p, 'q'),
    filesWith: has(p, 'l'), filesWithout: has(p, 'L'), max: max as number | undefined, after: after as number, before: before as number,
    showName: has(p, 'H') || (!has(p, 'h') && operands.length > 1),
  }
  if (has(p, 'h') && !has(p, 'H')) opts.showName = false
  let selected = false
  let error = false
  let separatorDue = false
  for (const f of operands.length === 0 ? ['-'] : operands) {
    let text: string
    const name = f === '-' ? '(standard input)' : f
    if (f === '-') text = ctx.stdin()
    else {
      try {
        text = ctx.shell.fs.readFile(ctx.shell.resolve(f))
      } catch (e) {
        if (!(e instanceof FsError)) throw e
        if (!has(p, 's')) ctx.err(`grep: ${f}: ${e.message}\n`)
        error = true
        continue
      }
    }
    const r = grepText(ctx, re, linesOf(text), name, opts, separatorDue)
    if (r.selected) selected = true
    if (r.printedContext) separatorDue = true
    if (selected && opts.quiet) return 0
  }
  if (error && !(opts.quiet && selected)) return 2
  return selected ? 0 : 1
}

interface MatchOptions {
  invert: boolean
  count: boolean
  lineNumbers: boolean
  only: boolean
  quiet: boolean
  filesWith: boolean
  filesWithout: boolean
  max: number | undefined
  after: number
  before: number
  showName: boolean
}

function buildRegex(patterns: string[], mode: 'E' | 'F' | 'G', o: { ignoreCase: boolean; word: boolean; line: boolean }): RegExp {
  const sources = patterns.map((pat) => (mode === 'F' ? escapeRe(pat) : posixToJs(pat, { extended: mode === 'E' })))
  let source = sources.map((s) => `(?:${s})`).join('|')
  if (o.line) source = `^(?:${source})$`
  else if (o.word) source = `(?<![A-Za-z0-9_])(?:${source})(?![A-Za-z0-9_])`
  try {
    return new RegExp(source, o.ignoreCase ? 'gi' : 'g')
  } catch {
    throw new RegexError('Invalid regular expression')
  }
}

function grepText(ctx: CommandContext, re: RegExp, lines: string[], name: string, o: MatchOptions, separatorDue: boolean): { selected: boolean; printedContext: boolean } {
  const prefix = (n: number, sep: ':' | '-') => (o.showName ? name + sep : '') + (o.lineNumbers ? `${n + 1}${sep}` : '')
  let count = 0
  let lastPrinted = -1
  let afterLeft = 0
  let printedContext = false
  const contextual = (o.after > 0 || o.before > 0) && !o.only
  const silent = o.quiet || o.count || o.filesWith || o.filesWithout
  for (let i = 0; i < lines.length; i++) {
    if (o.max !== undefined && count >= o.max) {
      // After the last selected line, trailing context still prints.
      if (!silent && contextual && afterLeft > 0) { ctx.out(prefix(i, '-') + lines[i] + '\n'); lastPrinted = i; afterLeft--; continue }
      break
    }
    re.lastIndex = 0
    const matches = re.test(lines[i])
    if (matches === o.invert) {
      if (!silent && contextual && afterLeft > 0) { ctx.out(prefix(i, '-') + lines[i] + '\n'); lastPrinted = i; afterLeft-- }
      continue
    }
    count++
    if (silent) continue
    if (contextual) {
      const from = Math.max(lastPrinted + 1, i - o.before)
      if ((separatorDue || lastPrinted >= 0) && from > lastPrinted + 1) ctx.out('--\n')
      for (let j = from; j < i; j++) ctx.out(prefix(j, '-') + lines[j] + '\n')
      afterLeft = o.after
      printedContext = true
      separatorDue = false
    }
    if (o.only) {
      if (o.invert) continue
      re.lastIndex = 0
      for (const m of lines[i].matchAll(re)) if (m[0] !== '') ctx.out(prefix(i, ':') + m[0] + '\n')
    } else {
      ctx.out(prefix(i, ':') + lines[i] + '\n')
    }
    lastPrinted = i
  }
  if (o.count && !o.quiet && !o.filesWith && !o.filesWithout) ctx.out((o.showName ? name + ':' : '') + count + '\n')
  if (o.filesWith && count > 0 && !o.quiet) ctx.out(name + '\n')
  if (o.filesWithout && count === 0 && !o.quiet) ctx.out(name + '\n')
  return { selected: o.filesWithout ? count === 0 : count > 0, printedContext: printedContext || separatorDue }
}
