/**
 * The file tools of coreutils 9.1 on the node's filesystem: mkdir (-p, -v), rmdir, rm (-r -R -f), touch,
 * cp (-r), mv, with coreutils' messages (`rm: cannot remove 'x': No such file or directory`).
 */
import type { CommandContext, ShellCommand } from '../command.ts'
import { FsError, baseName } from '../filesystem.ts'
import { getopt, has } from '../getopt.ts'

function opts(ctx: CommandContext, flags: string, long: Record<string, { short: string; arg: boolean }> = {}) {
  const p = getopt(ctx.args, { flags, long })
  if (!p.ok) { ctx.err(`${ctx.name}: ${p.message}\nTry '${ctx.name} --help' for more information.\n`); return undefined }
  if (p.operands.length === 0) { ctx.err(`${ctx.name}: missing operand\nTry '${ctx.name} --help' for more information.\n`); return undefined }
  return p
}

/**
 * `act` on each operand's path; a failure is reported with `message(operand, errno text)` and makes the
 * status 1 (`skip`: failures not to report, e.g. rm -f of a missing file).
 */
function eachPath(ctx: CommandContext, operands: string[], act: (path: string, operand: string) => void, message: (operand: string, error: string) => string, skip?: (e: FsError) => boolean): number {
  let rc = 0
  for (const operand of operands) {
    try {
      act(ctx.shell.resolve(operand), operand)
    } catch (e) {
      if (!(e instanceof FsError)) throw e
      if (skip?.(e)) continue
      ctx.err(`${ctx.name}: ${message(operand, e.message)}\n`)
      rc = 1
    }
  }
  return rc
}

export const mkdir: ShellCommand = (ctx) => {
  const p = opts(ctx, 'pv', { parents: { short: 'p', arg: false }, verbose: { short: 'v', arg: false } })
  if (!p) return 1
  return eachPath(ctx, p.operands, (path, d) => {
    const existed = ctx.shell.fs.stat(path) !== undefined
    ctx.shell.fs.mkdir(path, ctx.shell.now(), has(p, 'p'))
    if (has(p, 'v') && !existed) ctx.out(`mkdir: created directory '${d}'\n`)
  }, (d, e) => `cannot create directory '${d}': ${e}`)
}

export const rmdir: ShellCommand = (ctx) => {
  const p = opts(ctx, 'p')
  if (!p) return 1
  return eachPath(ctx, p.operands, (path) => {
    if (ctx.shell.fs.stat(path) && !ctx.shell.fs.isDir(path)) throw new FsError('ENOTDIR', path)
    ctx.shell.fs.remove(path, { dir: true })
  }, (d, e) => `failed to remove '${d}': ${e}`)
}

export const rm: ShellCommand = (ctx) => {
  const p = getopt(ctx.args, { flags: 'rRfiv', long: { recursive: { short: 'r', arg: false }, force: { short: 'f', arg: false }, verbose: { short: 'v', arg: false } } })
  if (!p.ok) { ctx.err(`rm: ${p.message}\nTry 'rm --help' for more information.\n`); return 1 }
  const force = has(p, 'f')
  if (p.operands.length === 0) {
    if (force) return 0
    ctx.err("rm: missing operand\nTry 'rm --help' for more information.\n")
    return 1
  }
  if (p.operands.some((f) => ctx.shell.resolve(f) === '/')) {
    ctx.err("rm: it is dangerous to operate recursively on '/'\nrm: use --no-preserve-root to override this failsafe\n")
    return 1
  }
  return eachPath(ctx, p.operands, (path, f) => {
    ctx.shell.fs.remove(path, { recursive: has(p, 'r') || has(p, 'R') })
    if (has(p, 'v')) ctx.out(`removed '${f}'\n`)
  }, (f, e) => `cannot remove '${f}': ${e}`, (e) => force && e.code === 'ENOENT')
}

export const touch: ShellCommand = (ctx) => {
  const p = opts(ctx, 'acm')
  if (!p) return 1
  return eachPath(ctx, p.operands, (path) => ctx.shell.fs.touch(path, ctx.shell.now()), (f, e) => `cannot touch '${f}': ${e}`)
}

/** cp and mv: SOURCE... DEST, where DEST may be a directory. */
function copyOrMove(move: boolean): ShellCommand {
  return (ctx) => {
    const p = opts(ctx, move ? 'fiv' : 'rRfiavp', { recursive: { short: 'r', arg: false }, force: { short: 'f', arg: false } })
    if (!p) return 1
    const tool = ctx.name
    if (p.operands.length === 1) { ctx.err(`${tool}: missing destination file operand after '${p.operands[0]}'\nTry '${tool} --help' for more information.\n`); return 1 }
    const dest = p.operands[p.operands.length - 1]
    const sources = p.operands.slice(0, -1)
    const fs = ctx.shell.fs
    const destPath = ctx.shell.resolve(dest)
    const intoDir = fs.isDir(destPath)
    if (sources.length > 1 && !intoDir) { ctx.err(`${tool}: target '${dest}': Not a directory\n`); return 1 }
    let rc = 0
    for (const s of sources) {
      const from = ctx.shell.resolve(s)
      const to = intoDir ? `${destPath === '/' ? '' : destPath}/${baseName(from)}` : destPath
      try {
        const e = fs.stat(from)
        if (!e) throw new FsError('ENOENT', from)
        if (move) { fs.rename(from, to); continue }
        if (e.kind === 'dir') {
          if (!has(p, 'r') && !has(p, 'R') && !has(p, 'a')) { ctx.err(`cp: -r not specified; omitting directory '${s}'\n`); rc = 1; continue }
          copyTree(ctx, from, to)
        } else {
          fs.writeFile(to, fs.readFile(from), ctx.shell.now())
        }
      } catch (e) {
        if (!(e instanceof FsError)) throw e
        const which = e.path === from ? s : dest
        ctx.err(move ? `mv: cannot stat '${which}': ${e.message}\n` : e.path === from ? `cp: cannot stat '${s}': ${e.message}\n` : `cp: cannot create regular file '${dest}': ${e.message}\n`)
        rc = 1
      }
    }
    return rc
  }
}

function copyTree(ctx: CommandContext, from: string, to: string): void {
  const fs = ctx.shell.fs
  fs.mkdir(to, ctx.shell.now(), true)
  for (const n of fs.list(from)) {
    const src = `${from}/${n}`
    if (fs.isDir(src)) copyTree(ctx, src, `${to}/${n}`)
    else fs.writeFile(`${to}/${n}`, fs.readFile(src), ctx.shell.now())
  }
}

export const cp = copyOrMove(false)
export const mv = copyOrMove(true)
