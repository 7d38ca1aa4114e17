/**
 * Small commands: clear (the escape sequence ncurses' clear writes for TERM=xterm), hostname, whoami,
 * sleep (returns at once: simulated time moves with scenario steps, not with the console), basename,
 * dirname, date (UTC, `date +FORMAT` with the common fields) and uname.
 */
import type { ShellCommand } from '../command.ts'
import { ctimeUtc } from './watch.ts'
import { lookup } from '../lookup.ts'

export const CLEAR_SEQUENCE = '\x1b[H\x1b[2J\x1b[3J'

export const clear: ShellCommand = (ctx) => { ctx.out(CLEAR_SEQUENCE); return 0 }

export const hostname: ShellCommand = (ctx) => { ctx.out(ctx.shell.hostname + '\n'); return 0 }

export const whoami: ShellCommand = (ctx) => { ctx.out('root\n'); return 0 }

export const sleep: ShellCommand = (ctx) => {
  if (ctx.args.length === 0) { ctx.err("sleep: missing operand\nTry 'sleep --help' for more information.\n"); return 1 }
  for (const a of ctx.args) {
    if (!/^(\d+\.?\d*|\.\d+)[smhd]?$/.test(a)) { ctx.err(`sleep: invalid time interval '${a}'\nTry 'sleep --help' for more information.\n`); return 1 }
  }
  return 0
}

export const basename: ShellCommand = (ctx) => {
  const [path, suffix] = ctx.args
  if (path === undefined) { ctx.err("basename: missing operand\nTry 'basename --help' for more information.\n"); return 1 }
  let b = path.replace(/\/+$/, '')
  b = b === '' ? (path.startsWith('/') ? '/' : '') : b.slice(b.lastIndexOf('/') + 1)
  if (suffix && b !== suffix && b.endsWith(suffix)) b = b.slice(0, -suffix.length)
  ctx.out(b + '\n')
  return 0
}

export const dirname: ShellCommand = (ctx) => {
  if (ctx.args.length === 0) { ctx.err("dirname: missing operand\nTry 'dirname --help' for more information.\n"); return 1 }
  for (const path of ctx.args) {
    const t = path.replace(/\/+$/, '')
    const i = t.lastIndexOf('/')
    ctx.out((i < 0 ? '.' : i === 0 ? '/' : t.slice(0, i).replace(/\/+$/, '') || '/') + '\n')
  }
  return 0
}

export const date: ShellCommand = (ctx) => {
  const now = ctx.shell.now()
  const fmt = ctx.args.find((a) => a.startsWith('+'))
  const other = ctx.args.find((a) => !a.startsWith('+') && a !== '-u' && a !== '--utc')
  if (other !== undefined) { ctx.err(`date: ${other}: not supported by this simulated shell (date [-u] [+FORMAT])\n`); return 1 }
  if (fmt === undefined) {
    const c = ctimeUtc(now)
    ctx.out(`${c.slice(0, 19)} UTC ${c.slice(20)}\n`)
    return 0
  }
  const d = new Date(now)
  const p2 = (n: number) => String(n).padStart(2, '0')
  const fields: Record<string, () => string> = {
    Y: () => String(d.getUTCFullYear()), m: () => p2(d.getUTCMonth() + 1), d: () => p2(d.getUTCDate()), H: () => p2(d.getUTCHours()),
    M: () => p2(d.getUTCMinutes()), S: () => p2(d.getUTCSeconds()), s: () => String(Math.floor(now / 1000)), Z: () => 'UTC', z: () => '+0000',
    F: () => `${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())}`, T: () => `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`,
    '%': () => '%', n: () => '\n', t: () => '\t',
  }
  ctx.out(fmt.slice(1).replace(/%(.)/g, (w, c: string) => lookup(fields, c)?.() ?? w) + '\n')
  return 0
}

export const uname: ShellCommand = (ctx) => {
  const parts: Record<string, string> = { s: 'Linux', n: ctx.shell.hostname, r: '6.1.0-28-amd64', m: 'x86_64', o: 'GNU/Linux' }
  const flags = ctx.args.length === 0 ? ['s'] : ctx.args.includes('-a') ? ['s', 'n', 'r', 'm', 'o'] : ctx.args.flatMap((a) => [...a.replace(/^-/, '')])
  const bad = flags.find((f) => !(f in parts))
  if (bad) { ctx.err(`uname: invalid option -- '${bad}'\nTry 'uname --help' for more information.\n`); return 1 }
  ctx.out(flags.map((f) => lookup(parts, f)).join(' ') + '\n')
  return 0
}
