/**
 * sed as GNU sed 4.9 for the scripts lessons use: -n, -e (several), -f, -E/-r, -i[SUFFIX] on the node's
 * files, -s; addresses N, $, /re/ (and \cREc, with I), ranges A,B and `!`; the commands s (flags g, p, N,
 * i/I, with & and \1…\9), p, d, q/Q [status], =, y, a/i/c TEXT, n, { … }. GNU's other commands (hold space,
 * N/D/P, branches, w/r) are refused with a message naming them; unknown ones get GNU's `unknown command`.
 * A last line without a newline is printed without one, as GNU sed does.
 */
import type { ShellCommand } from '../command.ts'
import { FsError } from '../filesystem.ts'
import { getopt, has } from '../getopt.ts'
import { RegexError, posixRegExp } from '../regex.ts'

type Address = { type: 'line'; n: number } | { type: 'step'; first: number; step: number } | { type: 'last' } | { type: 're'; re: RegExp | undefined }

interface SedCommand {
  a1?: Address
  a2?: Address
  negate: boolean
  name: string
  /** s: regex (undefined: the last regex used), replacement, flags. */
  re?: RegExp | undefined
  replacement?: string
  global?: boolean
  occurrence?: number
  print?: boolean
  text?: string
  status?: number
  from?: string
  to?: string
  block?: SedCommand[]
  /** Range state: inside the range. */
  active?: boolean
  /** `{`: the index of its matching `}` in the flat list. */
  end?: number
}

class SedError extends Error {
  constructor(readonly char: number, message: string) { super(message) }
}

const UNSUPPORTED = new Set(['h', 'H', 'g', 'G', 'x', 'N', 'D', 'P', 'b', 't', 'T', ':', 'w', 'W', 'r', 'R', 'l', 'z', 'F', 'e', 'v'])

class ScriptParser {
  i = 0
  constructor(private readonly s: string, private readonly extended: boolean) {}

  private fail(message: string): never {
    throw new SedError(this.i, message)
  }

  private skip(ws = ' \t'): void {
    while (this.i < this.s.length && ws.includes(this.s[this.i])) this.i++
  }

  /** The text up to an unescaped delimiter; `\delim` becomes delim, `\n` a newline in the replacement. */
  private delimited(delim: string, what: string): string {
    let out = ''
    for (; this.i < this.s.length; this.i++) {
      const c = this.s[this.i]
      if (c === '\\' && this.i + 1 < this.s.length) {
        const n = this.s[++this.i]
        out += n === delim ? (delim === '&' ? '\\&' : n) : n === 'n' && what !== 're' ? '\n' : '\\' + n
        continue
      }
      if (c === delim) { this.i++; return out }
      if (c === '\n' && what !== 'y') break
      out += c
    }
    this.fail(what === 'y' ? "unterminated `y' command" : what === 're' ? 'unterminated address regex' : "unterminated `s' command")
  }

  private regex(source: string, flags: string): RegExp | undefined {
    if (source === '') return undefined
    try {
      return posixRegExp(source, { extended: this.extended }, flags)
    } catch (e) {
      if (e instanceof RegexError) this.fail(e.message)
      throw e
    }
  }

  private address(): Address | undefined {
    const c = this.s[this.i]
    if (c === undefined) return undefined
    if (/\d/.test(c)) {
      const m = /^\d+/.exec(this.s.slice(this.i))!
      this.i += m[0].length
      const step = /^~(\d+)/.exec(this.s.slice(this.i))
      if (step) {
        this.i += step[0].length
        return { type: 'step', first: Number(m[0]), step: Number(step[1]) }
      }
      return { type: 'line', n: Number(m[0]) }
    }
    if (c === '$') { this.i++; return { type: 'last' } }
    if (c === '/' || c === '\\') {
      let delim = '/'
      if (c === '\\') { delim = this.s[this.i + 1]; this.i++ }
      this.i++
      const src = this.delimited(delim, 're')
      let flags = ''
      while (this.s[this.i] === 'I' || this.s[this.i] === 'M') { if (this.s[this.i] === 'I') flags += 'i'; this.i++ }
      return { type: 're', re: this.regex(src, flags) }
    }
    return undefined
  }

  /** Text of a, i, c: `a text`, `a\` + newline + text (GNU one-liner and POSIX forms). */
  private textArg(): string {
    this.skip()
    if (this.s[this.i] === '\\') {
      this.i++
      if (this.s[this.i] === '\n') this.i++
    }
    let out = ''
    for (; this.i < this.s.length && this.s[this.i] !== '\n'; this.i++) {
      if (this.s[this.i] === '\\' && this.i + 1 < this.s.length) out += this.s[++this.i]
      else out += this.s[this.i]
    }
    return out
  }

  parse(closing = false): SedCommand[] {
    const out: SedCommand[] = []
    for (;;) {
      this.skip(' \t\n;')
      if (this.i >= this.s.length) {
        if (closing) this.fail("unmatched `{'")
        return out
      }
      if (this.s[this.i] === '#') { while (this.i < this.s.length && this.s[this.i] !== '\n') this.i++; continue }
      if (this.s[this.i] === '}') {
        if (!closing) { this.i++; this.fail("unexpected `}'") }
        this.i++
        return out
      }
      const cmd: SedCommand = { negate: false, name: '' }
      cmd.a1 = this.address()
      if (cmd.a1 && this.s[this.i] === ',') {
        this.i++
        cmd.a2 = this.address()
        if (!cmd.a2) this.fail('unexpected `,\'')
      }
      this.skip()
      while (this.s[this.i] === '!') { cmd.negate = true; this.i++; this.skip() }
      const name = this.s[this.i++]
      if (name === undefined) this.fail('missing command')
      cmd.name = name
      switch (name) {
        case '{': cmd.block = this.parse(true); break
        case 'p': case 'd': case '=': case 'n': break
        case 'q': case 'Q': {
          this.skip()
          const m = /^\d+/.exec(this.s.slice(this.i))
          if (m) { cmd.status = Number(m[0]); this.i += m[0].length }
          break
        }
        case 'a': case 'i': case 'c': cmd.text = this.textArg(); break
        case 's': {
          const delim = this.s[this.i++]
          if (delim === undefined || delim === '\n' || delim === '\\') this.fail("unterminated `s' command")
          const src = this.delimited(delim, 're')
          cmd.replacement = this.delimited(delim, 'replacement')
          let flags = ''
          for (;;) {
            const f = this.s[this.i]
            if (f === 'g') cmd.global = true
            else if (f === 'p') cmd.print = true
            else if (f === 'i' || f === 'I') flags += 'i'
            else if (f !== undefined && /\d/.test(f)) {
              const m = /^\d+/.exec(this.s.slice(this.i))!
              cmd.occurrence = Number(m[0])
              this.i += m[0].length - 1
            } else if (f === 'w' || f === 'e' || f === 'm' || f === 'M') this.fail(`the s///${f} flag is not supported by this simulated shell`)
            else break
            this.i++
          }
          cmd.re = this.regex(src, flags + 'g')
          break
        }
        case 'y': {
          const delim = this.s[this.i++]
          cmd.from = this.delimited(delim, 'y').replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c))
          cmd.to = this.delimited(delim, 'y').replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c))
          if ([...cmd.from].length !== [...cmd.to].length) this.fail("strings for `y' command are different lengths")
          break
        }
        default:
          if (UNSUPPORTED.has(name)) this.fail(`the \`${name}' command is not supported by this simulated shell`)
          this.fail(`unknown command: \`${name}'`)
      }
      if (name !== '{' && name !== 'a' && name !== 'i' && name !== 'c') {
        this.skip()
        const c = this.s[this.i]
        if (c !== undefined && c !== ';' && c !== '\n' && c !== '}' && c !== '#') {
          this.i++
          this.fail(name === 's' ? "unknown option to `s'" : `extra characters after command`)
        }
      }
      out.push(cmd)
    }
  }
}

interface RunState {
  lineNo: number
  last: boolean
  lastRe: RegExp | undefined
  quit?: { print: boolean; status: number }
}

function matchAddr(a: Address, line: string, st: RunState): boolean {
  if (a.type === 'line') return st.lineNo === a.n
  if (a.type === 'step') return a.step <= 0 ? st.lineNo === a.first : st.lineNo >= a.first && (st.lineNo - a.first) % a.step === 0
  if (a.type === 'last') return st.last
  const re = a.re ?? st.lastRe
  if (!re) throw new SedError(0, 'no previous regular expression')
  st.lastRe = re
  re.lastIndex = 0
  return re.test(line)
}

function selected(c: SedCommand, line: string, st: RunState): boolean {
  let hit: boolean
  if (!c.a1) hit = true
  else if (!c.a2) hit = matchAddr(c.a1, line, st)
  else if (c.active) {
    hit = true
    if (c.a2.type === 'line' ? st.lineNo >= c.a2.n : matchAddr(c.a2, line, st)) c.active = false
  } else if (matchAddr(c.a1, line, st)) {
    hit = true
    // A line-number end at or before the start closes the range at once.
    c.active = !(c.a2.type === 'line' && c.a2.n <= st.lineNo) && !(c.a2.type === 'last' && st.last)
  } else hit = false
  return hit !== c.negate
}

function substitute(c: SedCommand, line: string, st: RunState): { text: string; done: boolean } {
  const re = c.re ?? st.lastRe
  if (!re) throw new SedError(0, 'no previous regular expression')
  st.lastRe = re
  re.lastIndex = 0
  let n = 0
  let done = false
  const text = line.replace(re, (...m: unknown[]) => {
    const groups = m.slice(0, -2).filter((x) => typeof x === 'string' || x === undefined) as (string | undefined)[]
    n++
    const want = c.occurrence ?? 1
    if (n < want || (!c.global && n > want)) return groups[0] ?? ''
    done = true
    return replacementText(c.replacement!, groups)
  })
  return { text, done }
}

/**
 * A replacement with its matched groups: & and \1…\9, escapes, and GNU's case conversions \U \L (until
 * \E) and \u \l (the next character).
 */
function replacementText(replacement: string, groups: (string | undefined)[]): string {
  let out = ''
  let mode: 'U' | 'L' | undefined
  let once: 'u' | 'l' | undefined
  const add = (text: string) => {
    for (const ch of text) {
      let c = mode === 'U' ? ch.toUpperCase() : mode === 'L' ? ch.toLowerCase() : ch
      if (once) { c = once === 'u' ? c.toUpperCase() : c.toLowerCase(); once = undefined }
      out += c
    }
  }
  for (let i = 0; i < replacement.length; i++) {
    const ch = replacement[i]
    if (ch === '&') { add(groups[0] ?? ''); continue }
    if (ch !== '\\' || i + 1 >= replacement.length) { add(ch); continue }
    const e = replacement[++i]
    if (/[0-9]/.test(e)) add(groups[Number(e)] ?? '')
    else if (e === 'U' || e === 'L') { mode = e; once = undefined }
    else if (e === 'E') { mode = undefined; once = undefined }
    else if (e === 'u' || e === 'l') once = e
    else if (e === 't') add('\t')
    else add(e)
  }
  return out
}

/** Run the script on the lines; returns the output and whether it quit early (q/Q). */
function runScript(cmds: SedCommand[], lines: string[], endsWithNewline: boolean, quiet: boolean, st: RunState): { out: string; status: number } {
  let out = ''
  const emit = (s: string, i: number) => { out += s + (i < lines.length - 1 || endsWithNewline ? '\n' : '') }
  for (let i = 0; i < lines.length; i++) {
    st.lineNo++
    st.last = i === lines.length - 1
    let space = lines[i]
    let deleted = false
    const appended: string[] = []
    const exec = (list: SedCommand[]): 'next' | 'quit' | undefined => {
      for (const c of list) {
        if (!selected(c, space, st)) continue
        switch (c.name) {
          case '{': { const r = exec(c.block!); if (r) return r; break }
          case 'p': out += space + '\n'; break
          case 'd': deleted = true; return 'next'
          case '=': out += `${st.lineNo}\n`; break
          case 'q': st.quit = { print: true, status: c.status ?? 0 }; return 'quit'
          case 'Q': st.quit = { print: false, status: c.status ?? 0 }; return 'quit'
          case 'a': appended.push(c.text!); break
          case 'i': out += c.text! + '\n'; break
          case 'c': deleted = true; out += c.text! + '\n'; return 'next'
          case 'y': {
            const from = [...c.from!]
            const to = [...c.to!]
            space = [...space].map((ch) => { const k = from.indexOf(ch); return k >= 0 ? to[k] : ch }).join('')
            break
          }
          case 's': {
            const r = substitute(c, space, st)
            space = r.text
            if (r.done && c.print) out += space + '\n'
            break
          }
          case 'n': {
            if (!quiet) emit(space, i)
            if (i + 1 >= lines.length) { deleted = true; return 'quit' }
            i++
            st.lineNo++
            st.last = i === lines.length - 1
            space = lines[i]
            break
          }
        }
      }
      return undefined
    }
    const r = exec(cmds)
    if (!deleted && !quiet && (r !== 'quit' || st.quit?.print)) emit(space, i)
    for (const a of appended) out += a + '\n'
    if (r === 'quit') return { out, status: st.quit?.status ?? 0 }
  }
  return { out, status: 0 }
}

export const sed: ShellCommand = (ctx) => {
  // -i takes an optional attached suffix: -i, -i.bak.
  const args = ctx.args.map((a) => (/^-i.+/.test(a) && !a.startsWith('--') ? '-i' : a))
  const p = getopt(args, {
    flags: 'nErsiuz', withArg: 'ef',
    long: { quiet: { short: 'n', arg: false }, silent: { short: 'n', arg: false }, expression: { short: 'e', arg: true }, file: { short: 'f', arg: true }, 'regexp-extended': { short: 'E', arg: false }, 'in-place': { short: 'i', arg: false }, separate: { short: 's', arg: false }, posix: { short: 'u', arg: false } },
  })
  const USAGE = 'Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...\n'
  if (!p.ok) { ctx.err(`sed: ${p.message}\n${USAGE}`); return 1 }
  const scripts: string[] = []
  for (const o of p.options) {
    if (o.name === 'e') scripts.push(o.value!)
    if (o.name === 'f') {
      try {
        scripts.push(ctx.shell.fs.readFile(ctx.shell.resolve(o.value!)).replace(/\n$/, ''))
      } catch (e) {
        if (!(e instanceof FsError)) throw e
        ctx.err(`sed: couldn't open file ${o.value}: ${e.message}\n`)
        return 1
      }
    }
  }
  const operands = [...p.operands]
  if (scripts.length === 0) {
    if (operands.length === 0) { ctx.err(USAGE); return 1 }
    scripts.push(operands.shift()!)
  }
  const extended = has(p, 'E') || has(p, 'r')
  let cmds: SedCommand[]
  const script = scripts.join('\n')
  try {
    cmds = new ScriptParser(script, extended).parse()
  } catch (e) {
    if (!(e instanceof SedError)) throw e
    ctx.err(`sed: -e expression #1, char ${e.char}: ${e.message}\n`)
    return 1
  }
  const quiet = has(p, 'n')
  const inPlace = has(p, 'i')
  if (inPlace && operands.length === 0) { ctx.err('sed: no input files\n'); return 1 }
  let rc = 0
  const inputs: { name: string; text: string }[] = []
  for (const f of operands.length === 0 ? ['-'] : operands) {
    if (f === '-') { inputs.push({ name: f, text: ctx.stdin() }); continue }
    try {
      inputs.push({ name: f, text: ctx.shell.fs.readFile(ctx.shell.resolve(f)) })
    } catch (e) {
      if (!(e instanceof FsError)) throw e
      ctx.err(e.code === 'EISDIR' ? `sed: couldn't edit ${f}: not a regular file\n` : `sed: can't read ${f}: ${e.message}\n`)
      rc = 2
    }
  }
  const st: RunState = { lineNo: 0, last: false, lastRe: undefined }
  const separate = inPlace || has(p, 's')
  const groups = separate ? inputs.map((i) => [i]) : [inputs]
  for (const group of groups) {
    const text = group.map((g) => g.text).join('')
    const lines = text === '' ? [] : text.replace(/\n$/, '').split('\n')
    let r: { out: string; status: number }
    try {
      r = runScript(cmds, lines, text.endsWith('\n'), quiet, st)
    } catch (e) {
      if (!(e instanceof SedError)) throw e
      ctx.err(`sed: ${e.message}\n`)
      return 4
    }
    if (inPlace) ctx.shell.fs.writeFile(ctx.shell.resolve(group[0].name), r.out, ctx.shell.now())
    else ctx.out(r.out)
    if (st.quit) return r.status
  }
  return rc
}
