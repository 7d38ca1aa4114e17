/**
 * ls as GNU coreutils 9.1 in the C locale: names sorted bytewise, dot files only with -a/-A, columns
 * (80 wide, filled down each column) on a terminal and one name per line elsewhere or with -1, -l in the
 * long format (`total` in 1K blocks, mode, links, root root, size, `Mon dd HH:MM`), -d, several operands
 * under `dir:` headers. A missing operand: `ls: cannot access 'x': No such file or directory`, status 2.
 */
import type { CommandContext, ShellCommand } from '../command.ts'
import { utf8Length } from '../command.ts'
import type { FsEntry } from '../filesystem.ts'
import { getopt, has } from '../getopt.ts'

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const WIDTH = 80
const SIX_MONTHS = 182.5 * 24 * 3600 * 1000

function size(e: FsEntry): number {
  return e.kind === 'file' ? utf8Length(e.data) : e.kind === 'dir' ? 4096 : 0
}

function blocks(e: FsEntry): number {
  return e.kind === 'device' ? 0 : Math.ceil(size(e) / 4096) * 4
}

function date(ms: number, now: number): string {
  const d = new Date(ms)
  const base = `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2)}`
  if (Math.abs(now - ms) > SIX_MONTHS) return `${base}  ${d.getUTCFullYear()}`
  return `${base} ${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`
}

/** Names in columns as ls -C lays them out: the fewest rows whose columns fit the width. */
export function columns(names: string[], width = WIDTH): string {
  if (names.length === 0) return ''
  for (let rows = 1; rows <= names.length; rows++) {
    const cols = Math.ceil(names.length / rows)
    const widths: number[] = []
    for (let c = 0; c < cols; c++) widths.push(Math.max(...names.slice(c * rows, c * rows + rows).map((n) => n.length)))
    const total = widths.reduce((a, w) => a + w, 0) + 2 * (cols - 1)
    if (total <= width || rows === names.length) {
      let out = ''
      for (let r = 0; r < rows; r++) {
        const cells: string[] = []
        for (let c = 0; c < cols; c++) {
          const n = names[c * rows + r]
          if (n !== undefined) cells.push(n)
        }
        out += cells.map((n, c) => (c < cells.length - 1 ? n.padEnd(widths[c] + 2) : n)).join('') + '\n'
      }
      return out
    }
  }
  return ''
}

function longLines(ctx: CommandContext, items: { name: string; entry: FsEntry; path: string }[], withTotal: boolean): string {
  const now = ctx.shell.now()
  const links = (it: { entry: FsEntry; path: string }) => (it.entry.kind === 'dir' ? 2 + ctx.shell.fs.list(it.path).filter((n) => ctx.shell.fs.isDir(`${it.path === '/' ? '' : it.path}/${n}`)).length : 1)
  const sizes = items.map((it) => String(size(it.entry)))
  const linkCounts = items.map((it) => String(links(it)))
  const sw = Math.max(0, ...sizes.map((s) => s.length))
  const lw = Math.max(0, ...linkCounts.map((s) => s.length))
  let out = withTotal ? `total ${items.reduce((a, it) => a + blocks(it.entry), 0)}\n` : ''
  items.forEach((it, i) => {
    const mode = it.entry.kind === 'dir' ? 'drwxr-xr-x' : it.entry.kind === 'device' ? 'crw-rw-rw-' : '-rw-r--r--'
    out += `${mode} ${linkCounts[i].padStart(lw)} root root ${sizes[i].padStart(sw)} ${date(it.entry.mtime, now)} ${it.name}\n`
  })
  return out
}

export const ls: ShellCommand = (ctx) => {
  const p = getopt(ctx.args, { flags: 'laAd1hrtFC', long: { all: { short: 'a', arg: false }, 'almost-all': { short: 'A', arg: false }, directory: { short: 'd', arg: false }, 'human-readable': { short: 'h', arg: false }, reverse: { short: 'r', arg: false } } })
  if (!p.ok) { ctx.err(`ls: ${p.message}\nTry 'ls --help' for more information.\n`); return 2 }
  const long = has(p, 'l')
  const oneLine = has(p, '1') || (!ctx.stdoutIsTerminal && !has(p, 'C'))
  const operands = p.operands.length === 0 ? ['.'] : p.operands
  let rc = 0
  const files: { name: string; entry: FsEntry; path: string }[] = []
  const dirs: { name: string; path: string }[] = []
  for (const op of operands) {
    const path = ctx.shell.resolve(op)
    const entry = ctx.shell.fs.stat(path)
    if (!entry) { ctx.err(`ls: cannot access '${op}': No such file or directory\n`); rc = 2; continue }
    if (entry.kind === 'dir' && !has(p, 'd')) dirs.push({ name: op, path })
    else files.push({ name: op, entry, path })
  }
  const order = (names: string[]) => (has(p, 'r') ? [...names].reverse() : names)
  const render = (items: { name: string; entry: FsEntry; path: string }[], withTotal: boolean) => {
    if (long) return longLines(ctx, items, withTotal)
    const names = items.map((i) => i.name)
    return oneLine ? names.map((n) => n + '\n').join('') : columns(names)
  }
  const sortedFiles = files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  let out = sortedFiles.length > 0 ? render(has(p, 'r') ? sortedFiles.reverse() : sortedFiles, false) : ''
  const headers = operands.length > 1
  dirs.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).forEach((d, i) => {
    let names = ctx.shell.fs.list(d.path)
    if (has(p, 'a')) names = ['.', '..', ...names]
    else if (!has(p, 'A')) names = names.filter((n) => !n.startsWith('.'))
    const items = order(names).map((n) => {
      const path = n === '.' ? d.path : n === '..' ? ctx.shell.resolve(`${d.path}/..`) : `${d.path === '/' ? '' : d.path}/${n}`
      return { name: n, path, entry: ctx.shell.fs.stat(path)! }
    })
    if (headers) out += `${out !== '' || i > 0 ? '\n' : ''}${d.name}:\n`
    out += render(items, true)
  })
  ctx.out(out)
  return rc
}
