/**
 * diff as GNU diffutils 3.8 prints a comparison of two files (either may be `-`, standard input): the
 * normal format (`3c3`, `< old`, `---`, `> new`), -u/-U N unified hunks with file headers, -q (`Files a and
 * b differ`), -s; `\ No newline at end of file` where a file's last line lacks one. Exit 0 when equal, 1
 * when different, 2 on trouble. The line matching is jsdiff's Myers diff, GNU diff's algorithm too; for
 * inputs where several smallest diffs exist the two may pick different ones.
 */
import { diffArrays } from 'diff'
import type { CommandContext, ShellCommand } from '../command.ts'
import { FsError } from '../filesystem.ts'
import { getopt, has, lastValue } from '../getopt.ts'
import { rawLines } from './head-tail.ts'

const TRY = "diff: Try 'diff --help' for more information.\n"

interface Side { name: string; lines: string[]; endsWithNewline: boolean; mtime: number }

/** Edits as aligned runs: equal, or a change with the lines removed from a and added from b. */
type Run = { equal: true; a: number; b: number; count: number } | { equal: false; a: number; b: number; removed: number; added: number }

function runsOf(a: string[], b: string[]): Run[] {
  const runs: Run[] = []
  let i = 0
  let j = 0
  for (const part of diffArrays(a, b)) {
    const n = part.count ?? part.value.length
    if (!part.added && !part.removed) {
      runs.push({ equal: true, a: i, b: j, count: n })
      i += n
      j += n
      continue
    }
    const last = runs[runs.length - 1]
    const change = last && !last.equal ? last : undefined
    if (change) {
      if (part.removed) change.removed += n
      else change.added += n
    } else runs.push({ equal: false, a: i, b: j, removed: part.removed ? n : 0, added: part.added ? n : 0 })
    if (part.removed) i += n
    else j += n
  }
  return runs
}

function range(start: number, count: number): string {
  // 1-based; an empty range names the line before it.
  if (count === 0) return String(start)
  return count === 1 ? String(start + 1) : `${start + 1},${start + count}`
}

function lineOut(side: Side, index: number, prefix: string): string {
  const noEol = index === side.lines.length - 1 && !side.endsWithNewline
  return `${prefix}${side.lines[index]}\n${noEol ? '\\ No newline at end of file\n' : ''}`
}

function normal(a: Side, b: Side, runs: Run[]): string {
  let out = ''
  for (const r of runs) {
    if (r.equal) continue
    const op = r.removed === 0 ? 'a' : r.added === 0 ? 'd' : 'c'
    const left = r.removed === 0 ? String(r.a) : range(r.a, r.removed)
    const right = r.added === 0 ? String(r.b) : range(r.b, r.added)
    out += `${left}${op}${right}\n`
    for (let k = 0; k < r.removed; k++) out += lineOut(a, r.a + k, '< ')
    if (op === 'c') out += '---\n'
    for (let k = 0; k < r.added; k++) out += lineOut(b, r.b + k, '> ')
  }
  return out
}

function unifiedRange(start: number, count: number): string {
  if (count === 0) return `${start},0`
  return count === 1 ? String(start + 1) : `${start + 1},${count}`
}

function stamp(ms: number): string {
  const d = new Date(ms)
  const p = (n: number, w = 2) => String(n).padStart(w, '0')
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${p(d.getUTCMilliseconds(), 3)}000000 +0000`
}

function unified(a: Side, b: Side, runs: Run[], context: number): string {
  let out = `--- ${a.name}\t${stamp(a.mtime)}\n+++ ${b.name}\t${stamp(b.mtime)}\n`
  const changes = runs.filter((r): r is Extract<Run, { equal: false }> => !r.equal)
  let k = 0
  while (k < changes.length) {
    // A hunk: changes whose context overlaps, with `context` lines around.
    let last = k
    while (last + 1 < changes.length && changes[last + 1].a - (changes[last].a + changes[last].removed) <= 2 * context) last++
    const first = changes[k]
    const end = changes[last]
    const aStart = Math.max(0, first.a - context)
    const bStart = Math.max(0, first.b - context)
    const aEnd = Math.min(a.lines.length, end.a + end.removed + context)
    const bEnd = Math.min(b.lines.length, end.b + end.added + context)
    out += `@@ -${unifiedRange(aStart, aEnd - aStart)} +${unifiedRange(bStart, bEnd - bStart)} @@\n`
    let i = aStart
    for (let c = k; c <= last; c++) {
      const ch = changes[c]
      for (; i < ch.a; i++) out += lineOut(a, i, ' ')
      for (let n = 0; n < ch.removed; n++) out += lineOut(a, ch.a + n, '-')
      for (let n = 0; n < ch.added; n++) out += lineOut(b, ch.b + n, '+')
      i = ch.a + ch.removed
    }
    for (; i < aEnd; i++) out += lineOut(a, i, ' ')
    k = last + 1
  }
  return out
}

function read(ctx: CommandContext, name: string): Side | string {
  try {
    const text = name === '-' ? ctx.stdin() : ctx.shell.fs.readFile(ctx.shell.resolve(name))
    const mtime = name === '-' ? ctx.shell.now() : ctx.shell.fs.stat(ctx.shell.resolve(name))!.mtime
    const lines = rawLines(text)
    return { name, lines: lines.map((l) => l.replace(/\n$/, '')), endsWithNewline: text === '' || text.endsWith('\n'), mtime }
  } catch (e) {
    if (!(e instanceof FsError)) throw e
    return e.code === 'EISDIR' ? `diff: ${name}: comparing directories is not supported by this simulated shell` : `diff: ${name}: ${e.message}`
  }
}

export const diff: ShellCommand = (ctx) => {
  const p = getopt(ctx.args, {
    flags: 'uqsN', withArg: 'U',
    long: { unified: { short: 'u', arg: false }, brief: { short: 'q', arg: false }, 'report-identical-files': { short: 's', arg: false } },
  })
  if (!p.ok) { ctx.err(`diff: ${p.message}\n${TRY}`); return 2 }
  if (p.operands.length < 2) { ctx.err(`diff: missing operand after '${p.operands[0] ?? 'diff'}'\n${TRY}`); return 2 }
  if (p.operands.length > 2) { ctx.err(`diff: extra operand '${p.operands[2]}'\n${TRY}`); return 2 }
  const sides = p.operands.map((o) => read(ctx, o))
  const problem = sides.find((s): s is string => typeof s === 'string')
  if (problem) { ctx.err(problem + '\n'); return 2 }
  const [a, b] = sides as Side[]
  const same = a.lines.length === b.lines.length && a.lines.every((l, i) => l === b.lines[i]) && a.endsWithNewline === b.endsWithNewline
  if (same) {
    if (has(p, 's')) ctx.out(`Files ${a.name} and ${b.name} are identical\n`)
    return 0
  }
  if (has(p, 'q')) { ctx.out(`Files ${a.name} and ${b.name} differ\n`); return 1 }
  // A last line that differs only by its newline is a change of that line.
  const key = (s: Side) => s.lines.map((l, i) => (i === s.lines.length - 1 && !s.endsWithNewline ? `${l}\u0000` : l))
  const runs = runsOf(key(a), key(b))
  const contextValue = lastValue(p, 'U')
  if (contextValue !== undefined && !/^\d+$/.test(contextValue)) { ctx.err(`diff: invalid context length '${contextValue}'\n${TRY}`); return 2 }
  ctx.out(has(p, 'u') || contextValue !== undefined ? unified(a, b, runs, Number(contextValue ?? 3)) : normal(a, b, runs))
  return 1
}
