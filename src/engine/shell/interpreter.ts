/**
 * Runs a parsed command line as bash would: lists and `&&`/`||` by exit status, pipelines left to right
 * (each command a subshell, the pipeline's status its last command's, or with `set -o pipefail` the last
 * failing one), redirections opened in order before the command runs (`2>&1` duplicates what fd 1 is at
 * that point), simple commands looked up as builtins, then the node's own tools (iptables, conntrack, …,
 * given by the caller), then the text tools in commands/. Subshells (`( … )`, `$( … )`, pipeline
 * members) get their own variables and directory and share the filesystem.
 */
import type { AndOr, Command, List, Pipeline, Redirect, SimpleCommand } from './ast.ts'
import type { CommandContext, ShellApi } from './command.ts'
import { TOOLS } from './commands/index.ts'
import { evaluateArithmetic } from './arithmetic.ts'
import { expandString, expandWord, expandWords, patternOf, type ExpansionContext } from './expand.ts'
import { Filesystem, FsError } from './filesystem.ts'
import { BufferSink, EMPTY_SOURCE, FileSink, NULL_SINK, StringSource, type Io, type Sink } from './io.ts'
import { parseShell, ShellSyntaxError } from './parser.ts'
import { HOME, type ShellState } from './state.ts'
import type { ShellEnvironment, ShellRuntime } from './runtime.ts'
import { BUILTINS } from './builtins.ts'
import { ExitSignal, ExpansionError, LoopSignal, MAX_NESTING, NestingError } from './signals.ts'
import { lookup } from './lookup.ts'

export const DEFAULT_NOW = Date.UTC(2026, 0, 1, 0, 0, 0)
/** Loops stop after this many iterations: the console has no Ctrl+C. */
export const LOOP_LIMIT = 10_000
/** The shell's process id ($$): fixed, so output is deterministic. */
const PID = 4242

/** Tools that are builtins in bash (their errors start with `bash: `). */
const BASH_BUILTIN_TOOLS = new Set(['echo', 'printf', 'test', '['])

export class Interpreter implements ShellRuntime {
  /** Status of the last command substitution in the current simple command. */
  private substStatus: number | undefined
  private currentIo: Io | undefined
  private loopDepth = 0
  /** > 0 while running a condition (if/while/&&/||/!): set -e does not apply. */
  private conditionDepth = 0

  /** `root`: the console's state, where `watch` is remembered (subshells work on copies). */
  constructor(readonly state: ShellState, readonly env: ShellEnvironment, private readonly root = state, private readonly depth = 0) {
    if (depth > MAX_NESTING) throw new NestingError()
  }

  now(): number {
    return this.env.now?.() ?? DEFAULT_NOW
  }

  get interactive(): boolean {
    return this.env.interactive ?? true
  }

  /** The console's own shell, not a subshell (`exit` there ends the session and says so). */
  get topLevel(): boolean {
    return this.depth === 0
  }

  /** A list at the top of a line or script: `exit` ends it. */
  runTop(list: List, io: Io): number {
    try {
      return this.runList(list, io)
    } catch (e) {
      if (e instanceof ExitSignal) return e.status
      if (e instanceof LoopSignal) return 0
      throw e
    }
  }

  subshell(): Interpreter {
    return new Interpreter(this.state.fork(), this.env, this.root, this.depth + 1)
  }

  runList(list: List, io: Io): number {
    let status = this.state.status
    for (const item of list.items) status = this.runAndOr(item, io)
    return status
  }

  private runAndOr(item: AndOr, io: Io): number {
    const chain = [{ op: '&&' as const, pipeline: item.first }, ...item.rest]
    let status = 0
    for (let i = 0; i < chain.length; i++) {
      const { op, pipeline } = chain[i]
      if (i > 0 && (op === '&&') !== (status === 0)) continue
      const condition = i < chain.length - 1 || pipeline.negate
      if (condition) this.conditionDepth++
      try {
        status = this.runPipeline(pipeline, io)
      } finally {
        if (condition) this.conditionDepth--
      }
      if (!condition && status !== 0 && this.state.options.errexit && this.conditionDepth === 0) throw new ExitSignal(status)
    }
    return status
  }

  private runPipeline(p: Pipeline, io: Io): number {
    let status: number
    if (p.commands.length === 1) {
      status = this.runCommand(p.commands[0].command, io)
    } else {
      let stdin = io.stdin
      const statuses: number[] = []
      p.commands.forEach(({ command, stderrToo }, i) => {
        const last = i === p.commands.length - 1
        const pipe = last ? undefined : new BufferSink(false)
        const cio: Io = { stdin, stdout: pipe ?? io.stdout, stderr: stderrToo && pipe ? pipe : io.stderr }
        statuses.push(this.subshell().runTop({ items: [{ first: { negate: false, commands: [{ command, stderrToo: false }] }, rest: [] }] }, cio))
        stdin = new StringSource(pipe?.text ?? '')
      })
      status = this.state.options.pipefail ? [...statuses].reverse().find((s) => s !== 0) ?? 0 : statuses[statuses.length - 1]
    }
    if (p.negate) status = status === 0 ? 1 : 0
    this.state.status = status
    return status
  }

  runCommand(cmd: Command, io: Io): number {
    if (cmd.type === 'simple') return this.runSimple(cmd, io)
    const rio = this.openRedirects(cmd.redirects, io)
    if (!rio) return 1
    switch (cmd.type) {
      case 'subshell': return this.subshell().runTop(cmd.body, rio)
      case 'group': return this.runList(cmd.body, rio)
      case 'if': {
        for (const c of cmd.clauses) {
          if (this.condition(c.condition, rio) === 0) return this.runList(c.body, rio)
        }
        return cmd.otherwise ? this.runList(cmd.otherwise, rio) : 0
      }
      case 'for': {
        const items = cmd.items ? this.expanding(rio, () => expandWords(this.expansion(), cmd.items!)) : [...this.state.positional]
        if (items === undefined) return 1
        let status = 0
        for (const v of items) {
          this.setVar(cmd.name, v)
          const r = this.loopBody(cmd.body, rio)
          status = r.status
          if (r.stop) break
        }
        return status
      }
      case 'arith': {
        const value = this.expanding(rio, () => {
          const text = expandString(this.expansion(), cmd.expr)
          return evaluateArithmetic(text, (n) => this.param(n), (n, v) => this.setVar(n, String(v)))
        })
        return value === undefined ? 1 : value !== 0 ? 0 : 1
      }
      case 'case': {
        const word = this.expanding(rio, () => expandString(this.expansion(), cmd.word))
        if (word === undefined) return 1
        for (const item of cmd.items) {
          const hit = this.expanding(rio, () => item.patterns.some((p) => new RegExp(`^(?:${patternOf(this.expansion(), p)})$`).test(word)))
          if (hit === undefined) return 1
          if (hit) return item.body.items.length > 0 ? this.runList(item.body, rio) : 0
        }
        return 0
      }
      case 'while': {
        let status = 0
        for (let n = 0; ; n++) {
          if (n >= LOOP_LIMIT) {
            rio.stderr.write(`bash: ${cmd.until ? 'until' : 'while'}: loop stopped after ${LOOP_LIMIT} iterations (this simulated console has no Ctrl+C)\n`)
            return 1
          }
          const c = this.condition(cmd.condition, rio)
          if ((c === 0) === cmd.until) break
          const r = this.loopBody(cmd.body, rio)
          status = r.status
          if (r.stop) break
        }
        return status
      }
    }
  }

  private condition(list: List, io: Io): number {
    this.conditionDepth++
    try {
      return this.runList(list, io)
    } finally {
      this.conditionDepth--
    }
  }

  private loopBody(body: List, io: Io): { status: number; stop: boolean } {
    this.loopDepth++
    try {
      return { status: this.runList(body, io), stop: false }
    } catch (e) {
      if (!(e instanceof LoopSignal)) throw e
      if (e.levels > 1) { e.levels--; throw e }
      return { status: 0, stop: e.kind === 'break' }
    } finally {
      this.loopDepth--
    }
  }

  get inLoop(): boolean {
    return this.loopDepth > 0
  }

  // ------------------------------------------------------------------ simple commands

  private runSimple(cmd: SimpleCommand, io: Io): number {
    this.substStatus = undefined
    const argv = this.expanding(io, () => expandWords(this.expansion(), cmd.words))
    if (argv === undefined) return 1
    if (argv.length === 0) {
      for (const a of cmd.assignments) {
        const v = this.expanding(io, () => expandString(this.expansion(), a.value))
        if (v === undefined) return 1
        this.setVar(a.name, a.append ? (this.state.vars.get(a.name)?.value ?? '') + v : v)
      }
      const rio = this.openRedirects(cmd.redirects, io)
      if (!rio) return 1
      return this.substStatus ?? 0
    }
    const temp: [string, string][] = []
    for (const a of cmd.assignments) {
      const v = this.expanding(io, () => expandString(this.expansion(), a.value))
      if (v === undefined) return 1
      temp.push([a.name, v])
    }
    const rio = this.openRedirects(cmd.redirects, io)
    if (!rio) return 1
    return this.withTemporaryVars(temp, () => this.invoke(argv, rio))
  }

  /** Variables set for one command only (`X=1 cmd`): exported to it, restored after. */
  withTemporaryVars<T>(vars: [string, string][], fn: () => T): T {
    const saved = vars.map(([k]) => [k, this.state.vars.get(k)] as const)
    for (const [k, v] of vars) this.state.vars.set(k, { value: v, exported: true })
    try {
      return fn()
    } finally {
      for (const [k, v] of saved) {
        if (v) this.state.vars.set(k, v)
        else this.state.vars.delete(k)
      }
    }
  }

  /** Run argv: builtin, node command, tool, or `command not found`. */
  invoke(argv: string[], io: Io): number {
    let name = argv[0]
    /** A command named by path (`/usr/sbin/iptables`): how bash reports it when it is not there. */
    let byPath: string | undefined
    if (name.includes('/')) {
      const path = Filesystem.resolve(this.state.cwd, name)
      const entry = this.state.fs.stat(path)
      if (entry?.kind === 'file') return BUILTINS.bash(this, ['bash', name, ...argv.slice(1)], io)
      if (entry?.kind === 'dir') {
        io.stderr.write(`bash: ${name}: Is a directory\n`)
        return 126
      }
      byPath = name
      // The node's tools live in the usual bin directories.
      if (!/^\/(usr\/(local\/)?)?s?bin\/[^/]+$/.test(path)) return this.notFound(byPath, io)
      name = path.slice(path.lastIndexOf('/') + 1)
      argv = [name, ...argv.slice(1)]
    }
    const builtin = lookup(BUILTINS, name)
    if (builtin) return builtin(this, argv, io)
    const node = this.env.nodeCommand?.(argv, () => io.stdin.read())
    if (node) {
      io.stdout.write(node.out)
      io.stderr.write(node.err)
      return node.rc
    }
    const tool = lookup(TOOLS, name)
    if (tool) {
      try {
        return tool(this.contextFor(argv, io))
      } catch (e) {
        if (e instanceof ExitSignal || e instanceof NestingError) throw e
        // echo, printf and test are bash builtins: bash names itself in their errors.
        io.stderr.write(`${BASH_BUILTIN_TOOLS.has(name) ? 'bash: ' : ''}${name}: ${(e as Error).message}\n`)
        return 1
      }
    }
    if (byPath) return this.notFound(byPath, io)
    io.stderr.write(`bash: ${name}: command not found\n`)
    return 127
  }

  private notFound(path: string, io: Io): number {
    io.stderr.write(`bash: ${path}: No such file or directory\n`)
    return 127
  }

  private contextFor(argv: string[], io: Io): CommandContext {
    const shell = this.api(io)
    return {
      name: argv[0],
      args: argv.slice(1),
      stdin: () => io.stdin.read(),
      out: (t) => io.stdout.write(t),
      err: (t) => io.stderr.write(t),
      stdoutIsTerminal: io.stdout.terminal,
      stdinIsFile: io.stdin.regularFile === true,
      shell,
    }
  }

  api(io: Io): ShellApi {
    const state = this.state
    return {
      fs: state.fs,
      cwd: state.cwd,
      hostname: this.env.hostname,
      history: this.env.history ?? [],
      interactive: this.interactive,
      now: () => this.now(),
      resolve: (p) => Filesystem.resolve(state.cwd, p),
      environment: () => [...state.vars].filter(([, v]) => v.exported).map(([k, v]) => [k, v.value]),
      exec: (argv, stdin) => this.invoke(argv, stdin === undefined ? io : { ...io, stdin: new StringSource(stdin) }),
      setWatch: (w) => { this.root.watch = w },
    }
  }

  setVar(name: string, value: string): void {
    const v = this.state.vars.get(name)
    if (v) v.value = value
    else this.state.vars.set(name, { value, exported: false })
    if (name === 'PWD') this.state.cwd = value
  }

  // ------------------------------------------------------------------ expansion

  /** Run an expansion; an ExpansionError is printed as bash does and gives undefined. */
  private expanding<T>(io: Io, fn: () => T): T | undefined {
    const saved = this.currentIo
    this.currentIo = io
    try {
      return fn()
    } catch (e) {
      if (!(e instanceof ExpansionError)) throw e
      io.stderr.write(`bash: ${e.message}\n`)
      this.state.status = 1
      return undefined
    } finally {
      this.currentIo = saved
    }
  }

  expansion(): ExpansionContext {
    const state = this.state
    return {
      fs: state.fs,
      cwd: state.cwd,
      home: state.vars.get('HOME')?.value ?? HOME,
      param: (name) => this.param(name),
      setVar: (name, value) => this.setVar(name, value),
      substitute: (list) => {
        const buf = new BufferSink(false)
        const io = this.currentIo
        const status = this.subshell().runTop(list, { stdin: io?.stdin ?? EMPTY_SOURCE, stdout: buf, stderr: io?.stderr ?? NULL_SINK })
        this.substStatus = status
        this.state.status = status
        return buf.text
      },
    }
  }

  param(name: string): string | undefined {
    const s = this.state
    switch (name) {
      case '?': return String(s.status)
      case '$': return String(PID)
      case '#': return String(s.positional.length)
      case '0': return s.arg0
      case '@': case '*': return s.positional.join(' ')
      case '!': return ''
      case '-': return this.interactive ? 'himBHs' : 'hBc'
    }
    if (/^\d$/.test(name)) return s.positional[Number(name) - 1]
    return s.vars.get(name)?.value
  }

  // ------------------------------------------------------------------ redirections

  /** The io after a command's redirections, or undefined (the error printed) when one fails. */
  openRedirects(redirects: readonly Redirect[], io: Io): Io | undefined {
    if (redirects.length === 0) return io
    const fds: Io = { ...io }
    for (const r of redirects) {
      const problem = this.openRedirect(r, fds)
      if (problem) {
        io.stderr.write(`bash: ${problem}\n`)
        return undefined
      }
    }
    return fds
  }

  private openRedirect(r: Redirect, fds: Io): string | undefined {
    if (r.heredoc) {
      const body = this.expanding(fds, () => expandString(this.expansion(), r.heredoc!.body))
      if (body === undefined) return 'here-document: expansion failed'
      return this.setInput(r.fd, body, fds)
    }
    if (r.op === '<<<') {
      const text = this.expanding(fds, () => expandString(this.expansion(), r.target))
      return text === undefined ? 'here-string: expansion failed' : this.setInput(r.fd, text + '\n', fds)
    }
    const fields = this.expanding(fds, () => expandWord(this.expansion(), r.target))
    if (fields === undefined) return 'redirection: expansion failed'
    const raw = sourceOf(r)
    if (fields.length !== 1) return `${raw}: ambiguous redirect`
    const target = fields[0]
    if (r.op === '>&' || r.op === '<&') {
      if (target === '-') return this.setFd(r.fd, undefined, fds)
      if (/^\d+$/.test(target)) {
        const n = Number(target)
        if (n > 2) return `${n}: Bad file descriptor`
        if (r.op === '<&' || n === 0) return r.fd === 0 && n === 0 ? undefined : `${r.fd}: redirecting to standard input is not supported by this simulated shell`
        return this.setFd(r.fd, n === 1 ? fds.stdout : fds.stderr, fds)
      }
      if (r.op === '<&') return `${target}: ambiguous redirect`
      // `>&file` is `&>file`
      return this.openOutput(target, false, fds, [1, 2])
    }
    if (r.fd > 2) return `${r.fd}: file descriptors above 2 are not supported by this simulated shell`
    switch (r.op) {
      case '<': case '<>': {
        if (r.fd !== 0) return `${r.fd}: reading into an output descriptor is not supported by this simulated shell`
        const special = this.special(target, fds)
        if (special === 'stdin') return undefined
        try {
          fds.stdin = new StringSource(this.state.fs.readFile(Filesystem.resolve(this.state.cwd, target)), true)
          return undefined
        } catch (e) {
          if (e instanceof FsError) return `${target}: ${e.message}`
          throw e
        }
      }
      case '>': case '>|': return this.openOutput(target, false, fds, [r.fd])
      case '>>': return this.openOutput(target, true, fds, [r.fd])
      case '&>': return this.openOutput(target, false, fds, [1, 2])
      case '&>>': return this.openOutput(target, true, fds, [1, 2])
    }
    return `${r.op}: unsupported redirection`
  }

  private setInput(fd: number, text: string, fds: Io): string | undefined {
    if (fd !== 0) return `${fd}: here-documents feed standard input only in this simulated shell`
    fds.stdin = new StringSource(text)
    return undefined
  }

  private setFd(fd: number, sink: Sink | undefined, fds: Io): string | undefined {
    if (fd === 1) fds.stdout = sink ?? NULL_SINK
    else if (fd === 2) fds.stderr = sink ?? NULL_SINK
    else if (fd === 0) fds.stdin = EMPTY_SOURCE
    else return `${fd}: Bad file descriptor`
    return undefined
  }

  private special(target: string, fds: Io): Sink | 'stdin' | undefined {
    const path = Filesystem.resolve(this.state.cwd, target)
    if (path === '/dev/stdout') return fds.stdout
    if (path === '/dev/stderr') return fds.stderr
    if (path === '/dev/null') return NULL_SINK
    if (path === '/dev/stdin') return 'stdin'
    return undefined
  }

  private openOutput(target: string, append: boolean, fds: Io, which: number[]): string | undefined {
    let sink = this.special(target, fds)
    if (sink === 'stdin') sink = NULL_SINK
    if (!sink) {
      const path = Filesystem.resolve(this.state.cwd, target)
      try {
        if (!append) this.state.fs.writeFile(path, '', this.now())
        else this.state.fs.writeFile(path, '', this.now(), true)
      } catch (e) {
        if (e instanceof FsError) return `${target}: ${e.message}`
        throw e
      }
      sink = new FileSink(this.state.fs, path, () => this.now())
    }
    for (const fd of which) this.setFd(fd, sink, fds)
    return undefined
  }

  /** Parse and run source (eval, source, bash -c) on this interpreter. */
  runSource(source: string, io: Io): number {
    let parsed
    try {
      parsed = parseShell(source)
    } catch (e) {
      if (!(e instanceof ShellSyntaxError)) throw e
      io.stderr.write(`bash: ${e.message}\n`)
      return 2
    }
    for (const w of parsed.warnings) io.stderr.write(`bash: ${w}\n`)
    return this.runList(parsed.list, io)
  }
}

/** The redirection's target as typed, for `ambiguous redirect`. */
function sourceOf(r: Redirect): string {
  const p = r.target.parts[0]
  if (p?.type === 'param') return `$${p.name}`
  return r.target.parts.map((x) => ('text' in x ? x.text : '')).join('')
}
