/** tee as GNU coreutils 9.1: standard input to standard output and to each file (-a appends). */
import type { ShellCommand } from '../command.ts'
import { FsError } from '../filesystem.ts'
import { getopt, has } from '../getopt.ts'

export const tee: ShellCommand = (ctx) => {
  const p = getopt(ctx.args, { flags: 'ai', long: { append: { short: 'a', arg: false }, 'ignore-interrupts': { short: 'i', arg: false } } })
  if (!p.ok) { ctx.err(`tee: ${p.message}\nTry 'tee --help' for more information.\n`); return 1 }
  const text = ctx.stdin()
  let rc = 0
  for (const f of p.operands) {
    try {
      ctx.shell.fs.writeFile(ctx.shell.resolve(f), text, ctx.shell.now(), has(p, 'a'))
    } catch (e) {
      if (!(e instanceof FsError)) throw e
      ctx.err(`tee: ${f}: ${e.message}\n`)
      rc = 1
    }
  }
  ctx.out(text)
  return rc
}
