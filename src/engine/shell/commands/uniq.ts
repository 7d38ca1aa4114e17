/**
 * uniq as GNU coreutils 9.1: adjacent equal lines once; -c prefixes the count as `%7d `, -d only repeated
 * lines, -u only unique ones, -i ignores case, -f N skips fields, -s N skips characters. Input and output
 * files as operands.
 */
import type { ShellCommand } from '../command.ts'
import { linesOf, readInputs } from '../command.ts'
import { FsError } from '../filesystem.ts'
import { getopt, has, lastValue } from '../getopt.ts'

const LONG = {
  count: { short: 'c', arg: false }, repeated: { short: 'd', arg: false }, unique: { short: 'u', arg: false },
  'ignore-case': { short: 'i', arg: false }, 'skip-fields': { short: 'f', arg: true }, 'skip-chars': { short: 's', arg: true },
}

export const uniq: ShellCommand = (ctx) => {
  const p = getopt(ctx.args, { flags: 'cdui', withArg: 'fs', long: LONG })
  if (!p.ok) { ctx.err(`uniq: ${p.message}\nTry 'uniq --help' for more information.\n`); return 1 }
  if (p.operands.length > 2) { ctx.err(`uniq: extra operand '${p.operands[2]}'\nTry 'uniq --help' for more information.\n`); return 1 }
  const skipFields = Number(lastValue(p, 'f') ?? 0)
  const skipChars = Number(lastValue(p, 's') ?? 0)
  if (!Number.isInteger(skipFields) || !Number.isInteger(skipChars)) { ctx.err('uniq: invalid number of fields to skip\n'); return 1 }
  const { inputs, failed } = readInputs(ctx, p.operands.slice(0, 1))
  if (failed) return 1
  const key = (l: string) => {
    let s = l
    for (let i = 0; i < skipFields; i++) s = s.replace(/^[ \t]*[^ \t]*/, '')
    s = s.slice(skipChars)
    return has(p, 'i') ? s.toLowerCase() : s
  }
  const lines = linesOf(inputs[0]?.text ?? '')
  let out = ''
  for (let i = 0; i < lines.length;) {
    let j = i + 1
    while (j < lines.length && key(lines[j]) === key(lines[i])) j++
    const n = j - i
    const show = has(p, 'd') ? n > 1 : has(p, 'u') ? n === 1 : true
    if (show && !(has(p, 'd') && has(p, 'u'))) out += (has(p, 'c') ? `${String(n).padStart(7)} ` : '') + lines[i] + '\n'
    i = j
  }
  if (p.operands[1] !== undefined) {
    try {
      ctx.shell.fs.writeFile(ctx.shell.resolve(p.operands[1]), out, ctx.shell.now())
    } catch (e) {
      if (!(e instanceof FsError)) throw e
      ctx.err(`uniq: ${p.operands[1]}: ${e.message}\n`)
      return 1
    }
    return 0
  }
  ctx.out(out)
  return 0
}
