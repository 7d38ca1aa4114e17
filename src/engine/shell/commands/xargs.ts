/**
 * xargs as GNU findutils 4.9: words of standard input (blanks and newlines separate; quotes and backslashes
 * as xargs reads them) appended to the command (default echo); -n N per run, -I STR replaces STR in the
 * command once per input line, -r runs nothing for empty input, -t prints each command on stderr. Exit 123
 * when a run failed, 127 when the command was not found.
 */
import type { ShellCommand } from '../command.ts'
import { getopt, has, lastValue } from '../getopt.ts'

function words(text: string): string[] | string {
  const out: string[] = []
  let cur = ''
  let inWord = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (c === "'" || c === '"') {
      const end = text.indexOf(c, i + 1)
      if (end < 0 || text.slice(i + 1, end).includes('\n')) return `unmatched ${c === '"' ? 'double' : 'single'} quote; by default quotes are special to xargs unless you use the -0 option`
      cur += text.slice(i + 1, end)
      i = end
      inWord = true
    } else if (c === '\\' && i + 1 < text.length) { cur += text[++i]; inWord = true }
    else if (/\s/.test(c)) { if (inWord) out.push(cur); cur = ''; inWord = false }
    else { cur += c; inWord = true }
  }
  if (inWord) out.push(cur)
  return out
}

export const xargs: ShellCommand = (ctx) => {
  const p = getopt(ctx.args, {
    flags: 'rt0', withArg: 'nIL', stopAtOperand: true,
    long: { 'max-args': { short: 'n', arg: true }, 'no-run-if-empty': { short: 'r', arg: false }, verbose: { short: 't', arg: false }, null: { short: '0', arg: false } },
  })
  if (!p.ok) { ctx.err(`xargs: ${p.message}\nTry 'xargs --help' for more information.\n`); return 1 }
  const command = p.operands.length > 0 ? p.operands : ['echo']
  const text = ctx.stdin()
  const replace = lastValue(p, 'I')
  let batches: string[][]
  if (replace !== undefined) {
    batches = text.split('\n').map((l) => l.replace(/^[ \t]+/, '')).filter((l) => l !== '').map((l) => command.map((w) => w.split(replace).join(l)))
  } else {
    const list = has(p, '0') ? text.split('\0').filter((w, i, a) => w !== '' || i < a.length - 1) : words(text)
    if (typeof list === 'string') { ctx.err(`xargs: ${list}\n`); return 1 }
    const n = Number(lastValue(p, 'n') ?? lastValue(p, 'L') ?? Infinity)
    if (!(n >= 1)) { ctx.err(`xargs: value ${lastValue(p, 'n')} for -n option should be >= 1\n`); return 1 }
    batches = []
    for (let i = 0; i < list.length; i += n === Infinity ? Math.max(list.length, 1) : n) batches.push([...command, ...list.slice(i, i + n)])
    if (batches.length === 0 && !has(p, 'r')) batches.push([...command])
  }
  let rc = 0
  for (const argv of batches) {
    if (has(p, 't')) ctx.err(argv.join(' ') + '\n')
    const r = ctx.shell.exec(argv, '')
    if (r === 127) {
      return 127
    }
    if (r !== 0) rc = 123
  }
  return rc
}
