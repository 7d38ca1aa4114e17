/**
 * watch as procps-ng 4.0.2 prints its first screen on an 80-column terminal: the header (`Every 2.0s:
 * COMMAND`, cut with `...` when it does not fit, and `HOSTNAME: DATE` as ctime() writes it against the right
 * edge), a blank line, then
 * what the command printed. The command runs through `sh -c` as watch does. The console cannot keep a
 * screen refreshing, so the command is remembered: the console re-runs it on each scenario step
 * (rerunWatch in console.ts).
 */
import type { ShellCommand } from '../command.ts'
import { getopt, has, lastValue } from '../getopt.ts'

const WIDTH = 80

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/** `Thu Jan  1 00:00:00 2026` (UTC). */
export function ctimeUtc(ms: number): string {
  const d = new Date(ms)
  const p2 = (n: number) => String(n).padStart(2, '0')
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2)} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} ${d.getUTCFullYear()}`
}

export function watchHeader(interval: number, command: string, hostname: string, now: number): string {
  const left = `Every ${interval.toFixed(1)}s: `
  const right = `${hostname}: ${ctimeUtc(now)}`
  // At least two blanks before the right part; a command that does not fit ends in "...".
  const room = WIDTH - left.length - right.length - 2
  const cmd = command.length > room ? command.slice(0, Math.max(0, room - 3)) + '...' : command
  return (left + cmd).padEnd(WIDTH - right.length) + right
}

export const watch: ShellCommand = (ctx) => {
  const p = getopt(ctx.args, {
    flags: 'tdbegcx', withArg: 'n', stopAtOperand: true,
    long: { interval: { short: 'n', arg: true }, 'no-title': { short: 't', arg: false }, differences: { short: 'd', arg: false }, exec: { short: 'x', arg: false }, color: { short: 'c', arg: false }, beep: { short: 'b', arg: false }, errexit: { short: 'e', arg: false }, chgexit: { short: 'g', arg: false } },
  })
  if (!p.ok) { ctx.err(`watch: ${p.message}\n`); return 1 }
  if (p.operands.length === 0) {
    ctx.err('\nUsage:\n watch [options] command\n\nOptions:\n  -n, --interval <secs>  seconds to wait between updates\n  -t, --no-title         turn off header\n')
    return 1
  }
  const raw = lastValue(p, 'n') ?? '2'
  const interval = Number(raw.replace(',', '.'))
  if (!Number.isFinite(interval) || interval < 0) { ctx.err(`watch: failed to parse argument: '${raw}'\n`); return 1 }
  const shown = Math.max(interval, 0.1)
  ctx.shell.setWatch({ interval: shown, argv: [...ctx.args] })
  const command = p.operands.join(' ')
  if (!has(p, 't')) ctx.out(watchHeader(shown, command, ctx.shell.hostname, ctx.shell.now()) + '\n\n')
  return ctx.shell.exec(has(p, 'x') ? p.operands : ['sh', '-c', command], '')
}
