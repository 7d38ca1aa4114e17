/**
 * test and [ as bash's builtins: files (-e -f -d -s -r -w -x -L), strings (-z -n = == != < >), integers
 * (-eq -ne -lt -le -gt -ge), ! and -a/-o and parentheses, chosen by the number of arguments as POSIX
 * says. Status 0 true, 1 false, 2 for a usage error (`integer expression expected`, `missing ]`).
 */
import type { CommandContext, ShellCommand } from '../command.ts'

class TestError extends Error {}

const UNARY_FILE = new Set(['-e', '-f', '-d', '-s', '-r', '-w', '-x', '-L', '-h', '-a', '-b', '-c', '-p', '-S'])
const BINARY = new Set(['=', '==', '!=', '<', '>', '-eq', '-ne', '-lt', '-le', '-gt', '-ge', '-nt', '-ot', '-ef'])

function integer(s: string): number {
  if (!/^[ \t]*[-+]?\d+[ \t]*$/.test(s)) throw new TestError(`${s}: integer expression expected`)
  return Number(s)
}

function unary(ctx: CommandContext, op: string, arg: string): boolean {
  if (op === '-z') return arg === ''
  if (op === '-n') return arg !== ''
  const e = ctx.shell.fs.stat(ctx.shell.resolve(arg))
  if (arg === '') return false
  switch (op) {
    case '-e': case '-a': case '-r': case '-w': return e !== undefined
    case '-f': return e?.kind === 'file'
    case '-d': return e?.kind === 'dir'
    case '-s': return e?.kind === 'file' ? e.data.length > 0 : e !== undefined && e.kind === 'dir'
    case '-x': return e?.kind === 'dir'
    case '-c': return e?.kind === 'device'
    default: return false
  }
}

function binary(a: string, op: string, b: string): boolean {
  switch (op) {
    case '=': case '==': return a === b
    case '!=': return a !== b
    case '<': return a < b
    case '>': return a > b
    case '-eq': return integer(a) === integer(b)
    case '-ne': return integer(a) !== integer(b)
    case '-lt': return integer(a) < integer(b)
    case '-le': return integer(a) <= integer(b)
    case '-gt': return integer(a) > integer(b)
    case '-ge': return integer(a) >= integer(b)
  }
  throw new TestError(`${op}: not supported by this simulated shell`)
}

function evaluate(ctx: CommandContext, args: string[]): boolean {
  switch (args.length) {
    case 0: return false
    case 1: return args[0] !== ''
    case 2:
      if (args[0] === '!') return args[1] === ''
      if (UNARY_FILE.has(args[0]) || args[0] === '-z' || args[0] === '-n') return unary(ctx, args[0], args[1])
      throw new TestError(`${args[0]}: unary operator expected`)
    case 3:
      if (BINARY.has(args[1])) return binary(args[0], args[1], args[2])
      if (args[1] === '-a') return evaluate(ctx, [args[0]]) && evaluate(ctx, [args[2]])
      if (args[1] === '-o') return evaluate(ctx, [args[0]]) || evaluate(ctx, [args[2]])
      if (args[0] === '!') return !evaluate(ctx, args.slice(1))
      if (args[0] === '(' && args[2] === ')') return evaluate(ctx, [args[1]])
      throw new TestError(`${args[1]}: binary operator expected`)
    case 4:
      if (args[0] === '!') return !evaluate(ctx, args.slice(1))
      if (args[0] === '(' && args[3] === ')') return evaluate(ctx, args.slice(1, 3))
  }
  // -o binds looser than -a.
  const or = args.lastIndexOf('-o')
  if (or > 0) return evaluate(ctx, args.slice(0, or)) || evaluate(ctx, args.slice(or + 1))
  const and = args.lastIndexOf('-a')
  if (and > 0) return evaluate(ctx, args.slice(0, and)) && evaluate(ctx, args.slice(and + 1))
  if (args[0] === '!') return !evaluate(ctx, args.slice(1))
  if (args[0] === '(' && args[args.length - 1] === ')') return evaluate(ctx, args.slice(1, -1))
  throw new TestError('too many arguments')
}

export const test: ShellCommand = (ctx) => {
  let args = ctx.args
  if (ctx.name === '[') {
    if (args[args.length - 1] !== ']') { ctx.err("bash: [: missing `]'\n"); return 2 }
    args = args.slice(0, -1)
  }
  try {
    return evaluate(ctx, args) ? 0 : 1
  } catch (e) {
    if (!(e instanceof TestError)) throw e
    ctx.err(`bash: ${ctx.name}: ${e.message}\n`)
    return 2
  }
}
