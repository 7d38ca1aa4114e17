/**
 * head and tail as GNU coreutils 9.1: `-n N`, `-N`, `-c N`, `head -n -N` (all but the last N), `tail -n
 * +N` (from line N), several files under `==> name <==` headers (-q drops them, -v forces them). A last
 * line without a newline stays without one. `tail -f` prints what is there (the console does not block).
 */
import type { CommandContext, ShellCommand } from '../command.ts'
import { FsError } from '../filesystem.ts'
import { getopt, has } from '../getopt.ts'

/** Lines with their newlines (the last may have none). */
export function rawLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? []
}

const LONG = {
  lines: { short: 'n', arg: true }, bytes: { short: 'c', arg: true }, quiet: { short: 'q', arg: false }, silent: { short: 'q', arg: false },
  verbose: { short: 'v', arg: false }, follow: { short: 'f', arg: false },
}

function headTail(tool: 'head' | 'tail'): ShellCommand {
  return (ctx: CommandContext) => {
    // -NUM (and tail's +NUM) as the first argument is the old spelling of -n NUM.
    const args = ctx.args.map((a, i) => (i > 0 ? a : /^-\d+$/.test(a) ? `-n${a.slice(1)}` : /^\+\d+$/.test(a) && tool === 'tail' ? `-n${a}` : a))
    const p = getopt(args, { flags: 'qvfF', withArg: 'nc', long: LONG })
    if (!p.ok) { ctx.err(`${tool}: ${p.message}\nTry '${tool} --help' for more information.\n`); return 1 }
    let count = 10
    let bytes = false
    let fromStart = false
    let allBut = false
    for (const o of p.options) {
      if (o.name !== 'n' && o.name !== 'c') continue
      const m = /^([-+]?)(\d+)$/.exec(o.value!)
      if (!m) { ctx.err(`${tool}: invalid number of ${o.name === 'n' ? 'lines' : 'bytes'}: '${o.value}'\n`); return 1 }
      count = Number(m[2])
      bytes = o.name === 'c'
      fromStart = tool === 'tail' && m[1] === '+'
      allBut = tool === 'head' && m[1] === '-'
    }
    const files = p.operands.length === 0 ? ['-'] : p.operands
    const headers = has(p, 'v') || (files.length > 1 && !has(p, 'q'))
    let rc = 0
    let first = true
    for (const f of files) {
      let text: string
      try {
        text = f === '-' ? ctx.stdin() : ctx.shell.fs.readFile(ctx.shell.resolve(f))
      } catch (e) {
        if (!(e instanceof FsError)) throw e
        ctx.err(e.code === 'EISDIR' ? `${tool}: error reading '${f}': Is a directory\n` : `${tool}: cannot open '${f}' for reading: ${e.message}\n`)
        rc = 1
        continue
      }
      if (headers) ctx.out(`${first ? '' : '\n'}==> ${f === '-' ? 'standard input' : f} <==\n`)
      first = false
      const units = bytes ? [...text] : rawLines(text)
      let part: string[]
      if (tool === 'head') part = allBut ? units.slice(0, Math.max(0, units.length - count)) : units.slice(0, count)
      else part = fromStart ? units.slice(Math.max(0, count - 1)) : count === 0 ? [] : units.slice(-count)
      ctx.out(part.join(''))
    }
    return rc
  }
}

export const head = headTail('head')
export const tail = headTail('tail')
