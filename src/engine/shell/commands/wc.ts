/**
 * wc as GNU coreutils 9.1: lines, words, bytes (-l -w -c, -m characters, -L longest line) in that order,
 * right-aligned to one width: the digits of the total size of the regular files read, at least 7 when a
 * pipe is read, and no padding at all for one count of one input. A `total` line for several files.
 */
import type { ShellCommand } from '../command.ts'
import { utf8Length } from '../command.ts'
import { FsError } from '../filesystem.ts'
import { getopt, has } from '../getopt.ts'

const LONG = {
  lines: { short: 'l', arg: false }, words: { short: 'w', arg: false }, bytes: { short: 'c', arg: false },
  chars: { short: 'm', arg: false }, 'max-line-length': { short: 'L', arg: false },
}

type Counts = { l: number; w: number; m: number; c: number; L: number }

function count(text: string): Counts {
  const bytes = utf8Length(text)
  const words = text.split(/[ \t\n\v\f\r]+/).filter(Boolean).length
  const longest = Math.max(0, ...text.split('\n').map((l) => l.replace(/\t/g, '        ').length))
  return { l: (text.match(/\n/g) ?? []).length, w: words, m: [...text].length, c: bytes, L: longest }
}

export const wc: ShellCommand = (ctx) => {
  const p = getopt(ctx.args, { flags: 'lwcmL', long: LONG })
  if (!p.ok) { ctx.err(`wc: ${p.message}\nTry 'wc --help' for more information.\n`); return 1 }
  let which = (['l', 'w', 'm', 'c', 'L'] as const).filter((k) => has(p, k))
  if (which.length === 0) which = ['l', 'w', 'c']
  const files = p.operands.length === 0 ? [undefined] : p.operands
  const rows: { counts: Counts; name?: string }[] = []
  let rc = 0
  let regularSize = 0
  let pipe = false
  for (const f of files) {
    let text: string
    try {
      if (f === undefined || f === '-') {
        text = ctx.stdin()
        if (ctx.stdinIsFile) regularSize += utf8Length(text)
        else pipe = true
      } else {
        text = ctx.shell.fs.readFile(ctx.shell.resolve(f))
        regularSize += utf8Length(text)
      }
    } catch (e) {
      if (!(e instanceof FsError)) throw e
      ctx.err(`wc: ${f}: ${e.message}\n`)
      rc = 1
      if (e.code === 'EISDIR') rows.push({ counts: { l: 0, w: 0, m: 0, c: 0, L: 0 }, name: f })
      continue
    }
    rows.push({ counts: count(text), name: f })
  }
  const total: Counts = { l: 0, w: 0, m: 0, c: 0, L: 0 }
  for (const r of rows) for (const k of ['l', 'w', 'm', 'c'] as const) total[k] += r.counts[k]
  total.L = Math.max(0, ...rows.map((r) => r.counts.L))
  const width = files.length === 1 && which.length === 1 ? 1 : Math.max(String(regularSize).length, pipe ? 7 : 1)
  const line = (c: Counts, name?: string) => which.map((k) => String(c[k]).padStart(width)).join(' ') + (name !== undefined ? ` ${name}` : '') + '\n'
  for (const r of rows) ctx.out(line(r.counts, r.name))
  if (files.length > 1) ctx.out(line(total, 'total'))
  return rc
}
