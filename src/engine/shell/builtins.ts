/**
 * The builtins that change or read the shell itself: cd, pwd, export, unset, set, exit, read, shift,
 * break, continue, eval, source/., bash/sh (a script or -c), env, sudo (the console is root already),
 * history, type/which/command, true, false and `:`. Messages are bash's (`bash: cd: /x: No such file or directory`).
 */
import { TOOLS } from './commands/index.ts'
import { Filesystem } from './filesystem.ts'
import type { ShellRuntime } from './runtime.ts'
import { ExitSignal, LoopSignal } from './signals.ts'
import type { Io } from './io.ts'
import { lookup } from './lookup.ts'

export type Builtin = (sh: ShellRuntime, argv: string[], io: Io) => number

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

/** "value" as `declare -x` prints it. */
function declareQuote(v: string): string {
  return `"${v.replace(/[\\"$`]/g, '\\$&')}"`
}

/** NAME=value as `set` prints it: quoted with '…' when the value has anything but safe characters. */
function setQuote(v: string): string {
  if (/^[A-Za-z0-9_./:,@%+=-]*$/.test(v) && v !== '') return v
  if (v === '') return "''"
  if ([...v].some((c) => c.charCodeAt(0) < 0x20)) return `$'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\t/g, '\\t')}'`
  return `'${v.replace(/'/g, "'\\''")}'`
}

const cd: Builtin = (sh, argv, io) => {
  const args = argv.slice(1).filter((a) => a !== '-P' && a !== '-L' && a !== '--')
  if (args.length > 1) { io.stderr.write('bash: cd: too many arguments\n'); return 1 }
  const state = sh.state
  let target: string | undefined = args[0]
  let print = false
  if (target === undefined) {
    target = state.vars.get('HOME')?.value
    if (target === undefined) { io.stderr.write('bash: cd: HOME not set\n'); return 1 }
  } else if (target === '-') {
    target = state.vars.get('OLDPWD')?.value
    if (target === undefined) { io.stderr.write('bash: cd: OLDPWD not set\n'); return 1 }
    print = true
  }
  if (target === '') return 0
  const path = Filesystem.resolve(state.cwd, target)
  const entry = state.fs.stat(path)
  if (!entry) { io.stderr.write(`bash: cd: ${target}: No such file or directory\n`); return 1 }
  if (entry.kind !== 'dir') { io.stderr.write(`bash: cd: ${target}: Not a directory\n`); return 1 }
  const old = state.cwd
  sh.setVar('OLDPWD', old)
  if (!state.vars.get('OLDPWD')?.exported) state.vars.get('OLDPWD')!.exported = true
  sh.setVar('PWD', path)
  state.cwd = path
  if (print) io.stdout.write(path + '\n')
  return 0
}

const exportBuiltin: Builtin = (sh, argv, io) => {
  let args = argv.slice(1)
  let unexport = false
  while (args[0]?.startsWith('-') && args[0] !== '-' ) {
    if (args[0] === '--') { args = args.slice(1); break }
    if (args[0] === '-n') unexport = true
    else if (args[0] !== '-p') { io.stderr.write(`bash: export: ${args[0]}: invalid option\nexport: usage: export [-fn] [name[=value] ...] or export -p\n`); return 2 }
    args = args.slice(1)
  }
  if (args.length === 0) {
    const names = [...sh.state.vars].filter(([, v]) => v.exported).map(([k]) => k).sort()
    for (const k of names) io.stdout.write(`declare -x ${k}=${declareQuote(sh.state.vars.get(k)!.value)}\n`)
    return 0
  }
  let rc = 0
  for (const a of args) {
    const eq = a.indexOf('=')
    const name = eq < 0 ? a : a.slice(0, eq).replace(/\+$/, '')
    if (!NAME.test(name)) { io.stderr.write(`bash: export: \`${a}': not a valid identifier\n`); rc = 1; continue }
    if (eq >= 0) {
      const append = a[eq - 1] === '+'
      sh.setVar(name, append ? (sh.state.vars.get(name)?.value ?? '') + a.slice(eq + 1) : a.slice(eq + 1))
    }
    const v = sh.state.vars.get(name)
    if (v) v.exported = !unexport
    else if (!unexport) sh.state.vars.set(name, { value: '', exported: true })
  }
  return rc
}

const unset: Builtin = (sh, argv, io) => {
  let rc = 0
  for (const a of argv.slice(1)) {
    if (a === '-v' || a === '-f') continue
    if (!NAME.test(a)) { io.stderr.write(`bash: unset: \`${a}': not a valid identifier\n`); rc = 1; continue }
    sh.state.vars.delete(a)
  }
  return rc
}

const SET_OPTIONS: Record<string, 'pipefail' | 'errexit'> = { pipefail: 'pipefail', errexit: 'errexit' }

const set: Builtin = (sh, argv, io) => {
  const args = argv.slice(1)
  if (args.length === 0) {
    for (const k of [...sh.state.vars.keys()].sort()) io.stdout.write(`${k}=${setQuote(sh.state.vars.get(k)!.value)}\n`)
    return 0
  }
  for (let i = 0; i < args.length; i++) {
    const a = args[i]
    if (a === '--') { sh.state.positional = args.slice(i + 1); return 0 }
    if (a === '-o' || a === '+o') {
      const name = args[++i]
      if (name === undefined) {
        for (const [k, o] of Object.entries(SET_OPTIONS)) io.stdout.write(`${k.padEnd(15)}\t${sh.state.options[o] ? 'on' : 'off'}\n`)
        continue
      }
      const o = lookup(SET_OPTIONS, name)
      if (!o) { io.stderr.write(`bash: set: ${name}: invalid option name (this simulated shell knows pipefail and errexit)\n`); return 2 }
      sh.state.options[o] = a === '-o'
      continue
    }
    if (/^[-+][a-zA-Z]+$/.test(a)) {
      for (const c of a.slice(1)) {
        if (c !== 'e') { io.stderr.write(`bash: set: ${a[0]}${c}: not supported by this simulated shell (set -e, set -o pipefail)\n`); return 2 }
        sh.state.options.errexit = a[0] === '-'
      }
      continue
    }
    sh.state.positional = args.slice(i)
    return 0
  }
  return 0
}

const exit: Builtin = (sh, argv, io) => {
  const args = argv.slice(1)
  if (sh.interactive && sh.topLevel) io.stderr.write('exit\n')
  if (args.length > 1 && /^-?\d+$/.test(args[0])) { io.stderr.write('bash: exit: too many arguments\n'); return 1 }
  if (args.length === 0) throw new ExitSignal(sh.state.status)
  if (!/^[-+]?\d+$/.test(args[0])) {
    io.stderr.write(`bash: exit: ${args[0]}: numeric argument required\n`)
    throw new ExitSignal(2)
  }
  throw new ExitSignal(((Number(args[0]) % 256) + 256) % 256)
}

const loop = (kind: 'break' | 'continue'): Builtin => (sh, argv, io) => {
  const n = argv[1] === undefined ? 1 : Number(argv[1])
  if (!Number.isInteger(n) || n < 1) { io.stderr.write(`bash: ${kind}: ${argv[1]}: loop count out of range\n`); return 1 }
  if (!sh.inLoop) { io.stderr.write(`bash: ${kind}: only meaningful in a \`for', \`while', or \`until' loop\n`); return 0 }
  throw new LoopSignal(kind, n)
}

const read: Builtin = (sh, argv, io) => {
  let raw = false
  let prompt = ''
  const names: string[] = []
  const args = argv.slice(1)
  for (let i = 0; i < args.length; i++) {
    const a = args[i]
    if (a === '-r') raw = true
    else if (a === '-p') prompt = args[++i] ?? ''
    else if (a.startsWith('-') && a.length > 1) { io.stderr.write(`bash: read: ${a}: not supported by this simulated shell (read [-r] [-p PROMPT] NAME...)\n`); return 2 }
    else names.push(a)
  }
  if (prompt) io.stderr.write(prompt)
  const first = io.stdin.readLine()
  // Status 1 at the end of input, also for a last line without a newline (its text is still assigned).
  let eof = first === undefined || !first.newline
  let line = first?.text ?? ''
  if (!raw) {
    while (line.endsWith('\\') && !eof) {
      const next = io.stdin.readLine()
      line = line.slice(0, -1) + (next?.text ?? '')
      eof = next === undefined || !next.newline
    }
  }
  // Characters with whether a backslash protected them (not a separator, not trimmed).
  const chars: { c: string; lit: boolean }[] = []
  for (let i = 0; i < line.length; i++) {
    if (!raw && line[i] === '\\' && i + 1 < line.length) chars.push({ c: line[++i], lit: true })
    else chars.push({ c: line[i], lit: false })
  }
  const blank = (x: { c: string; lit: boolean } | undefined) => x !== undefined && !x.lit && (x.c === ' ' || x.c === '\t')
  const text = (xs: { c: string }[]) => xs.map((x) => x.c).join('')
  if (names.length === 0) {
    sh.setVar('REPLY', text(chars))
    return eof ? 1 : 0
  }
  let i = 0
  names.forEach((n, k) => {
    while (blank(chars[i])) i++
    if (k === names.length - 1) {
      let end = chars.length
      while (end > i && blank(chars[end - 1])) end--
      sh.setVar(n, text(chars.slice(i, end)))
      return
    }
    const from = i
    while (i < chars.length && !blank(chars[i])) i++
    sh.setVar(n, text(chars.slice(from, i)))
  })
  return eof ? 1 : 0
}

const shift: Builtin = (sh, argv, io) => {
  const n = argv[1] === undefined ? 1 : Number(argv[1])
  if (!Number.isInteger(n) || n < 0) { io.stderr.write(`bash: shift: ${argv[1]}: numeric argument required\n`); return 1 }
  if (n > sh.state.positional.length) return 1
  sh.state.positional = sh.state.positional.slice(n)
  return 0
}

const source: Builtin = (sh, argv, io) => {
  const file = argv[1]
  if (file === undefined) { io.stderr.write(`bash: ${argv[0]}: filename argument required\n${argv[0]}: usage: ${argv[0]} filename [arguments]\n`); return 2 }
  let text: string
  try {
    text = sh.state.fs.readFile(Filesystem.resolve(sh.state.cwd, file))
  } catch (e) {
    io.stderr.write(`bash: ${file}: ${(e as Error).message}\n`)
    return 1
  }
  return sh.runSource(text, io)
}

const bash: Builtin = (sh, argv, io) => {
  const args = argv.slice(1)
  const sub = sh.subshell()
  let i = 0
  for (; i < args.length && args[i].startsWith('-') && args[i] !== '-c'; i++) {
    if (args[i] === '-e') sub.state.options.errexit = true
    else if (args[i] === '-o' && args[i + 1] === 'pipefail') { sub.state.options.pipefail = true; i++ }
    else if (args[i] !== '-l' && args[i] !== '--login') { io.stderr.write(`bash: ${args[i]}: not supported by this simulated shell (bash [-e] [-c COMMAND | FILE])\n`); return 2 }
  }
  let text: string
  if (args[i] === '-c') {
    if (args[i + 1] === undefined) { io.stderr.write('bash: -c: option requires an argument\n'); return 2 }
    text = args[i + 1]
    if (args[i + 2] !== undefined) sub.state.arg0 = args[i + 2]
    sub.state.positional = args.slice(i + 3)
  } else if (args[i] !== undefined) {
    try {
      text = sh.state.fs.readFile(Filesystem.resolve(sh.state.cwd, args[i]))
    } catch (e) {
      io.stderr.write(`bash: ${args[i]}: ${(e as Error).message}\n`)
      return 127
    }
    sub.state.arg0 = args[i]
    sub.state.positional = args.slice(i + 1)
  } else {
    text = io.stdin.read()
  }
  try {
    return sub.runSource(text, io)
  } catch (e) {
    if (e instanceof ExitSignal) return e.status
    throw e
  }
}

const env: Builtin = (sh, argv, io) => {
  const args = argv.slice(1)
  const temp: [string, string][] = []
  let i = 0
  for (; i < args.length; i++) {
    const m = /^([^=]+)=(.*)$/s.exec(args[i])
    if (!m) break
    temp.push([m[1], m[2]])
  }
  if (args[i]?.startsWith('-') && args[i] !== '-') {
    io.stderr.write(`env: ${args[i]}: not supported by this simulated shell (env [NAME=VALUE]... [COMMAND [ARG]...])\n`)
    return 125
  }
  return sh.withTemporaryVars(temp, () => {
    if (i >= args.length) {
      for (const [k, v] of sh.state.vars) if (v.exported) io.stdout.write(`${k}=${v.value}\n`)
      return 0
    }
    return sh.invoke(args.slice(i), io)
  })
}

const sudo: Builtin = (sh, argv, io) => {
  const args = argv.slice(1)
  let i = 0
  for (; i < args.length && args[i].startsWith('-'); i++) {
    if (args[i] === '--') { i++; break }
    if (args[i] === '-u' || args[i] === '-g') i++
  }
  if (i >= args.length) return 0
  return sh.invoke(args.slice(i), io)
}

const history: Builtin = (sh, argv, io) => {
  const all = sh.env.history ?? []
  const n = argv[1] === undefined ? all.length : Number(argv[1])
  if (!Number.isInteger(n) || n < 0) { io.stderr.write(`bash: history: ${argv[1]}: numeric argument required\n`); return 1 }
  const start = Math.max(0, all.length - n)
  io.stdout.write(all.slice(start).map((h, i) => `${String(start + i + 1).padStart(5)}  ${h}\n`).join(''))
  return 0
}

/** What bash itself implements (`type` says "shell builtin"); the rest are files in /usr/bin. */
const BASH_BUILTINS = new Set(['cd', 'pwd', 'export', 'unset', 'set', 'exit', 'break', 'continue', 'read', 'shift', 'source', '.', 'eval', 'true', 'false', ':', 'echo', 'printf', 'test', '[', 'history', 'help', 'type', 'command'])
const KEYWORDS = new Set(['if', 'then', 'else', 'elif', 'fi', 'case', 'esac', 'for', 'select', 'while', 'until', 'do', 'done', 'in', 'function', 'time', '{', '}', '!', '[[', ']]'])

/** Where a command's file is on the node (/usr/bin for the tools, the node's tools where the console says). */
function pathOf(sh: ShellRuntime, name: string): string | undefined {
  const node = sh.env.nodeCommandPaths ? lookup(sh.env.nodeCommandPaths, name) : undefined
  if (node) return node
  if (name in TOOLS || ['env', 'sudo', 'bash', 'sh', 'true', 'false', 'pwd'].includes(name)) return `/usr/bin/${name}`
  return undefined
}

/** type, which and command -v: how a name would run. */
const type: Builtin = (sh, argv, io) => {
  const names = argv.slice(1).filter((a) => !a.startsWith('-'))
  const terse = argv.includes('-t')
  let rc = 0
  for (const n of names) {
    const kind = KEYWORDS.has(n) ? 'keyword' : BASH_BUILTINS.has(n) ? 'builtin' : pathOf(sh, n) ? 'file' : undefined
    if (!kind) { if (!terse) io.stderr.write(`bash: type: ${n}: not found\n`); rc = 1; continue }
    if (terse) io.stdout.write(kind + '\n')
    else io.stdout.write(kind === 'file' ? `${n} is ${pathOf(sh, n)}\n` : `${n} is a shell ${kind}\n`)
  }
  return rc
}

const which: Builtin = (sh, argv, io) => {
  let rc = 0
  for (const n of argv.slice(1).filter((a) => !a.startsWith('-'))) {
    const p = pathOf(sh, n)
    if (p) io.stdout.write(p + '\n')
    else rc = 1
  }
  return rc
}

const command: Builtin = (sh, argv, io) => {
  const args = argv.slice(1)
  if (args[0] === '-v' || args[0] === '-V') {
    let rc = 0
    for (const n of args.slice(1)) {
      const text = KEYWORDS.has(n) || BASH_BUILTINS.has(n) ? n : pathOf(sh, n)
      if (text) io.stdout.write((args[0] === '-V' ? (text === n ? `${n} is a shell builtin` : `${n} is ${text}`) : text) + '\n')
      else { if (args[0] === '-V') io.stderr.write(`bash: command: ${n}: not found\n`); rc = 1 }
    }
    return rc
  }
  return args.length === 0 ? 0 : sh.invoke(args, io)
}

export const BUILTINS: Record<string, Builtin> = {
  cd,
  pwd: (sh, _argv, io) => { io.stdout.write(sh.state.cwd + '\n'); return 0 },
  export: exportBuiltin,
  unset,
  set,
  exit,
  break: loop('break'),
  continue: loop('continue'),
  read,
  shift,
  source,
  '.': source,
  eval: (sh, argv, io) => sh.runSource(argv.slice(1).join(' '), io),
  bash,
  sh: bash,
  env,
  sudo,
  history,
  type,
  which,
  command,
  true: () => 0,
  false: () => 1,
  ':': () => 0,
}
