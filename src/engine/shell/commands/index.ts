/**
 * The shell's tools by name (builtins that change the shell itself are in builtins.ts; the node's own
 * tools — iptables, conntrack, ip, … — come from the console, see host/console.ts).
 */
import type { ShellCommand } from '../command.ts'
import { awk } from './awk.ts'
import { cat, pager } from './cat.ts'
import { cut } from './cut.ts'
import { diff } from './diff.ts'
import { echo, printf } from './echo.ts'
import { cp, mkdir, mv, rm, rmdir, touch } from './files.ts'
import { grep } from './grep.ts'
import { head, tail } from './head-tail.ts'
import { ls } from './ls.ts'
import { basename, clear, date, dirname, hostname, sleep, uname, whoami } from './misc.ts'
import { sed } from './sed.ts'
import { seq } from './seq.ts'
import { sort } from './sort.ts'
import { tee } from './tee.ts'
import { test } from './test.ts'
import { tr } from './tr.ts'
import { uniq } from './uniq.ts'
import { watch } from './watch.ts'
import { wc } from './wc.ts'
import { xargs } from './xargs.ts'

const egrep: ShellCommand = (ctx) => grep({ ...ctx, args: ['-E', ...ctx.args] })
const fgrep: ShellCommand = (ctx) => grep({ ...ctx, args: ['-F', ...ctx.args] })

export const TOOLS: Record<string, ShellCommand> = {
  awk, gawk: awk, cat, diff, less: pager('less'), more: pager('more'), cut, echo, printf,
  cp, mkdir, mv, rm, rmdir, touch, grep, egrep, fgrep, head, tail, ls, sed, seq, sort, tee, test, '[': test,
  tr, uniq, watch, wc, xargs, clear, hostname, whoami, sleep, basename, dirname, date, uname,
}
