/**
 * The node's shell: one entry point for a console line (or a script), on the node's ShellState, and the
 * re-run of the last `watch` that the console performs on each scenario step.
 */
import { DEFAULT_NOW, Interpreter } from './interpreter.ts'
import type { CommandOutput, ShellEnvironment } from './runtime.ts'
import { NestingError } from './signals.ts'
import { BufferSink, EMPTY_SOURCE, StringSource, type Io } from './io.ts'
import { parseShell, ShellSyntaxError } from './parser.ts'
import type { ShellState } from './state.ts'

export { ShellState } from './state.ts'
export type { CommandOutput, ShellEnvironment } from './runtime.ts'
export { DEFAULT_NOW }

/** Run source text on a node's shell state. `stdin` is text given with the line (pasted input). */
export function runShell(state: ShellState, source: string, env: ShellEnvironment, stdin?: string): CommandOutput {
  const terminal = env.interactive ?? true
  const out = new BufferSink(terminal)
  const err = new BufferSink(terminal)
  let rc: number
  try {
    const parsed = parseShell(source, { heredocBody: stdin })
    for (const w of parsed.warnings) err.write(`bash: ${w}\n`)
    const io: Io = { stdin: parsed.stdinUsed || stdin === undefined ? EMPTY_SOURCE : new StringSource(stdin), stdout: out, stderr: err }
    rc = new Interpreter(state, env).runTop(parsed.list, io)
  } catch (e) {
    if (!(e instanceof ShellSyntaxError) && !(e instanceof NestingError)) throw e
    err.write(`bash: ${e.message}\n`)
    rc = e instanceof NestingError ? 1 : 2
  }
  state.status = rc
  return { rc, out: out.text, err: err.text }
}


/** Run the last `watch` again (the console does so on each scenario step); undefined when there is none. */
export function rerunWatch(state: ShellState, env: ShellEnvironment): CommandOutput | undefined {
  const w = state.watch
  if (!w) return undefined
  const out = new BufferSink(true)
  const err = new BufferSink(true)
  const status = new Interpreter(state, env).invoke(['watch', ...w.argv], { stdin: EMPTY_SOURCE, stdout: out, stderr: err })
  return { rc: status, out: out.text, err: err.text }
}
