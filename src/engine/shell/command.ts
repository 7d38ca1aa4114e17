/**
 * What a shell command sees when it runs: its name and arguments, standard input, output and error, and
 * the shell around it (filesystem, working directory, exported variables, clock). Every tool in
 * commands/ is a ShellCommand; the registry in commands/index.ts names them.
 */
import type { Filesystem } from './filesystem.ts'
import { FsError } from './filesystem.ts'

export interface ShellApi {
  readonly fs: Filesystem
  readonly cwd: string
  readonly hostname: string
  /** Commands typed on this node so far (the console's history). */
  readonly history: readonly string[]
  /** Simulated wall-clock time (ms since the epoch): file times, `date`, `watch`'s header. */
  now(): number
  /** An absolute path for a path seen from the working directory. */
  resolve(path: string): string
  /** Exported variables, in the order `env` prints them. */
  environment(): [string, string][]
  /**
   * Run a command (argv) as the shell would, writing to this command's output and error; its input is
   * `stdin` when given, else this command's (xargs, sudo, watch, env, timeout).
   */
  exec(argv: string[], stdin?: string): number
  /** Remember the watch to re-run on each scenario step. */
  setWatch(watch: { interval: number; argv: string[] }): void
  /** Whether the console is a terminal session (ls prints columns, `exit` prints "exit"). */
  readonly interactive: boolean
}

export interface CommandContext {
  readonly name: string
  readonly args: string[]
  /** The whole of standard input (read once; later reads are empty). */
  stdin(): string
  out(text: string): void
  err(text: string): void
  readonly stdoutIsTerminal: boolean
  /** Standard input is a regular file (`< FILE`), not a pipe or the terminal (wc's column width). */
  readonly stdinIsFile: boolean
  readonly shell: ShellApi
}

/** Runs and returns its exit status. */
export type ShellCommand = (ctx: CommandContext) => number

/**
 * The inputs of a text tool: the named files (or standard input for none and for `-`), each read whole.
 * A file that cannot be read is reported with `message(name, errnoText)` and skipped; `failed` says so.
 */
export function readInputs(
  ctx: CommandContext,
  files: string[],
  message: (name: string, error: string) => string = (n, e) => `${ctx.name}: ${n}: ${e}`,
): { inputs: { name: string; text: string }[]; failed: boolean } {
  const inputs: { name: string; text: string }[] = []
  let failed = false
  for (const f of files.length === 0 ? ['-'] : files) {
    if (f === '-') { inputs.push({ name: '(standard input)', text: ctx.stdin() }); continue }
    try {
      inputs.push({ name: f, text: ctx.shell.fs.readFile(ctx.shell.resolve(f)) })
    } catch (e) {
      if (!(e instanceof FsError)) throw e
      ctx.err(message(f, e.message) + '\n')
      failed = true
    }
  }
  return { inputs, failed }
}

/** Text split into lines without their newlines (a last line without one counts too). */
export function linesOf(text: string): string[] {
  if (text === '') return []
  const lines = text.split('\n')
  if (lines[lines.length - 1] === '') lines.pop()
  return lines
}

/** Lines joined, each ended by a newline. */
export function joinLines(lines: readonly string[]): string {
  return lines.map((l) => l + '\n').join('')
}

/** Bytes of a string in UTF-8 (what wc -c and ls -l count). */
export function utf8Length(text: string): number {
  let n = 0
  for (const ch of text) {
    const c = ch.codePointAt(0)!
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4
  }
  return n
}
