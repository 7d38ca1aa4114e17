/**
 * The parser of the shell language (see ast.ts for what it builds). It follows bash's grammar for what it
 * accepts and bash's words for what it rejects: `syntax error near unexpected token `|'`, `syntax error:
 * unexpected end of file`, `unexpected EOF while looking for matching `"'`. Every error carries its offset,
 * line and column. Constructs the simulated shell does not run (functions, `&`, `select`, `[[ ]]`) are
 * refused here with a message that says so.
 */
import type { AndOr, Assignment, Command, List, ParamOp, Pipeline, Redirect, RedirectOp, SimpleCommand, Word, WordPart } from './ast.ts'
import { lookup } from './lookup.ts'

export class ShellSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
    readonly line: number,
    readonly column: number,
    /** A construct bash accepts that this shell does not run (not a syntax error in bash). */
    readonly unsupported = false,
  ) {
    super(message)
  }
}

export interface ParseResult {
  list: List
  /** Warnings bash prints while parsing (an unclosed here-document). */
  warnings: string[]
  /** The caller's stdin became the body of a here-document that had none in the line. */
  stdinUsed: boolean
}

export interface ParseOptions {
  /** Text given with the line (pasted after `CMD <<EOF`): the body of a here-document the line leaves open. */
  heredocBody?: string
}

const META = new Set([' ', '\t', '\n', ';', '&', '|', '(', ')', '<', '>'])
const OPERATORS = ['&>>', '<<<', '<<-', '&&', '||', ';;', '|&', '<<', '>>', '&>', '>&', '<&', '>|', '<>', ';', '&', '|', '(', ')', '<', '>', '\n']
const REDIRECT_OPS = new Set<string>(['>', '>>', '>|', '<', '<>', '>&', '<&', '&>', '&>>', '<<', '<<-', '<<<'])
const RESERVED = new Set(['if', 'then', 'elif', 'else', 'fi', 'for', 'in', 'do', 'done', 'while', 'until', 'case', 'esac', 'select', 'function', '{', '}', '!', '[[', ']]', 'coproc', 'time'])
const NAME = /^[A-Za-z_][A-Za-z0-9_]*/
/** Keywords of bash this shell does not run: what the refusal names. */
const UNSUPPORTED_KEYWORDS: Record<string, string> = {
  select: 'select', function: 'function definitions', '[[': '[[ … ]] (use [ … ] or test)', coproc: 'coproc', time: 'time',
}

/** Parse a command line (or several lines). Throws ShellSyntaxError. */
export function parseShell(source: string, options: ParseOptions = {}): ParseResult {
  const p = new Parser(source, 0, source, options.heredocBody)
  const list = p.parseList([], false)
  p.skipBlanks()
  if (!p.eof()) p.unexpected()
  p.finishHeredocs()
  return { list, warnings: p.warnings, stdinUsed: p.stdinUsed }
}

class Parser {
  i = 0
  private pending: Redirect[] = []
  warnings: string[] = []
  stdinUsed = false

  constructor(
    private readonly src: string,
    /** Offset of src in the whole source (backquoted commands are parsed on their own). */
    private readonly base: number,
    private readonly whole: string,
    private heredocBody?: string,
  ) {}

  // ------------------------------------------------------------------ errors

  private error(message: string, at = this.i, unsupported = false): ShellSyntaxError {
    const offset = this.base + at
    const before = this.whole.slice(0, offset)
    const line = before.split('\n').length
    const column = offset - (before.lastIndexOf('\n') + 1) + 1
    return new ShellSyntaxError(message, offset, line, column, unsupported)
  }

  private eofError(): ShellSyntaxError {
    return this.error('syntax error: unexpected end of file')
  }

  private matching(ch: string, at: number): ShellSyntaxError {
    return this.error(`unexpected EOF while looking for matching \`${ch}'`, at)
  }

  /** The error for the token at the cursor. */
  unexpected(): never {
    this.skipBlanks()
    if (this.eof()) throw this.eofError()
    throw this.error(`syntax error near unexpected token \`${this.tokenText()}'`)
  }

  private unsupported(what: string, at = this.i): never {
    throw this.error(`${what}: not supported by this simulated shell`, at, true)
  }

  private tokenText(): string {
    const op = this.peekOp()
    if (op === '\n') return 'newline'
    if (op) return op
    let j = this.i
    while (j < this.src.length && !META.has(this.src[j])) j++
    return this.src.slice(this.i, j)
  }

  // ------------------------------------------------------------------ scanning

  eof(): boolean {
    return this.i >= this.src.length
  }

  /** Blanks, line continuations and comments (up to the newline). */
  skipBlanks(): void {
    for (;;) {
      const c = this.src[this.i]
      if (c === ' ' || c === '\t') this.i++
      else if (c === '\\' && this.src[this.i + 1] === '\n') this.i += 2
      else if (c === '#') {
        while (this.i < this.src.length && this.src[this.i] !== '\n') this.i++
      } else return
    }
  }

  private peekOp(): string | undefined {
    for (const op of OPERATORS) if (this.src.startsWith(op, this.i)) return op
    return undefined
  }

  /** An IO number: digits directly followed by < or >. */
  private peekIoNumber(): string | undefined {
    const m = /^\d+(?=[<>])/.exec(this.src.slice(this.i, this.i + 12))
    return m?.[0]
  }

  private peekReserved(): string | undefined {
    let j = this.i
    while (j < this.src.length && !META.has(this.src[j]) && !'\'"\\$`'.includes(this.src[j])) j++
    if (j < this.src.length && !META.has(this.src[j])) return undefined
    const w = this.src.slice(this.i, j)
    return RESERVED.has(w) ? w : undefined
  }

  private consumeNewline(): void {
    this.i++
    this.readHeredocs()
  }

  private skipNewlines(): void {
    for (;;) {
      this.skipBlanks()
      if (this.src[this.i] === '\n') this.consumeNewline()
      else return
    }
  }

  // ------------------------------------------------------------------ grammar

  /** and_or lists separated by ; or newlines, up to EOF, `)` (inParen) or one of the stop words. */
  parseList(stopWords: string[], inParen: boolean): List {
    const items: AndOr[] = []
    for (;;) {
      this.skipNewlines()
      if (this.eof()) break
      const op = this.peekOp()
      if (op === ')' && inParen) break
      // `;;` ends a case item (anywhere else the caller reports it as unexpected).
      if (op === ';;') break
      const r = this.peekReserved()
      if (r && stopWords.includes(r)) break
      items.push(this.parseAndOr())
      this.skipBlanks()
      const sep = this.peekOp()
      if (sep === ';') this.i++
      else if (sep === '\n') this.consumeNewline()
      else if (sep === '&') this.unsupported('background jobs (&)')
      else break
    }
    return { items }
  }

  private parseAndOr(): AndOr {
    const first = this.parsePipeline()
    const rest: AndOr['rest'] = []
    for (;;) {
      this.skipBlanks()
      const op = this.peekOp()
      if (op !== '&&' && op !== '||') break
      this.i += 2
      this.skipNewlines()
      rest.push({ op, pipeline: this.parsePipeline() })
    }
    return { first, rest }
  }

  private parsePipeline(): Pipeline {
    this.skipBlanks()
    let negate = false
    if (this.peekReserved() === '!') {
      negate = true
      this.i++
    }
    const commands: Pipeline['commands'] = [{ command: this.parseCommand(), stderrToo: false }]
    for (;;) {
      this.skipBlanks()
      const op = this.peekOp()
      if (op !== '|' && op !== '|&') break
      commands[commands.length - 1].stderrToo = op === '|&'
      this.i += op.length
      this.skipNewlines()
      commands.push({ command: this.parseCommand(), stderrToo: false })
    }
    return { negate, commands }
  }

  private parseCommand(): Command {
    this.skipBlanks()
    if (this.eof()) throw this.eofError()
    const start = this.i
    const op = this.peekOp()
    if (op === '(' && this.src[this.i + 1] === '(') {
      const close = this.arithmeticEnd(this.i + 2)
      if (close >= 0) {
        const expr = this.expandableText(this.src.slice(this.i + 2, close), this.i + 2, 'heredoc')
        this.i = close + 2
        return { type: 'arith', expr, redirects: this.trailingRedirects(), offset: start }
      }
    }
    if (op === '(') {
      this.i++
      const body = this.parseList([], true)
      this.skipBlanks()
      if (this.eof()) throw this.eofError()
      if (this.peekOp() !== ')') this.unexpected()
      this.i++
      if (body.items.length === 0) throw this.error("syntax error near unexpected token `)'", this.i - 1)
      return { type: 'subshell', body, redirects: this.trailingRedirects(), offset: start }
    }
    if (op && !REDIRECT_OPS.has(op)) this.unexpected()
    const reserved = this.peekReserved()
    switch (reserved) {
      case undefined: case '!': case 'in': case ']]':
        return this.parseSimple()
      case '{': {
        this.i++
        const body = this.parseBody(['}'])
        this.expectReserved('}')
        return { type: 'group', body, redirects: this.trailingRedirects(), offset: start }
      }
      case 'if': return this.parseIf(start)
      case 'for': return this.parseFor(start)
      case 'while': case 'until': {
        this.i += reserved.length
        const condition = this.parseBody(['do'])
        this.expectReserved('do')
        const body = this.parseBody(['done'])
        this.expectReserved('done')
        return { type: 'while', until: reserved === 'until', condition, body, redirects: this.trailingRedirects(), offset: start }
      }
      case 'case': return this.parseCase(start)
      default: {
        const refused = lookup(UNSUPPORTED_KEYWORDS, reserved)
        if (refused) this.unsupported(refused)
        this.unexpected()
      }
    }
  }

  /** A compound command's list: at least one command, up to one of the stop words. */
  private parseBody(stop: string[]): List {
    const body = this.parseList(stop, false)
    if (body.items.length === 0) this.unexpected()
    return body
  }

  private expectReserved(word: string): void {
    this.skipBlanks()
    if (this.eof()) throw this.eofError()
    if (this.peekReserved() !== word) this.unexpected()
    this.i += word.length
  }

  private parseIf(start: number): Command {
    this.i += 2
    const clauses: { condition: List; body: List }[] = []
    let otherwise: List | undefined
    for (;;) {
      const condition = this.parseBody(['then'])
      this.expectReserved('then')
      const body = this.parseBody(['elif', 'else', 'fi'])
      clauses.push({ condition, body })
      this.skipBlanks()
      const r = this.peekReserved()
      if (r === 'elif') { this.i += 4; continue }
      if (r === 'else') {
        this.i += 4
        otherwise = this.parseBody(['fi'])
      }
      this.expectReserved('fi')
      break
    }
    return { type: 'if', clauses, otherwise, redirects: this.trailingRedirects(), offset: start }
  }

  private parseFor(start: number): Command {
    this.i += 3
    this.skipBlanks()
    const m = NAME.exec(this.src.slice(this.i))
    if (!m || (this.i + m[0].length < this.src.length && !META.has(this.src[this.i + m[0].length]))) {
      if (this.eof()) throw this.eofError()
      throw this.error(`\`${this.tokenText()}': not a valid identifier`)
    }
    const name = m[0]
    this.i += name.length
    let items: Word[] | undefined
    this.skipNewlines()
    if (this.peekReserved() === 'in') {
      this.i += 2
      items = []
      for (;;) {
        this.skipBlanks()
        if (this.eof()) throw this.eofError()
        const op = this.peekOp()
        if (op === ';' || op === '\n') break
        if (op) this.unexpected()
        items.push(this.parseWord())
      }
    }
    this.skipBlanks()
    if (this.peekOp() === ';') this.i++
    this.skipNewlines()
    this.expectReserved('do')
    const body = this.parseBody(['done'])
    this.expectReserved('done')
    return { type: 'for', name, items, body, redirects: this.trailingRedirects(), offset: start }
  }

  private parseCase(start: number): Command {
    this.i += 4
    this.skipBlanks()
    if (this.eof()) throw this.eofError()
    if (this.peekOp()) this.unexpected()
    const word = this.parseWord()
    this.skipNewlines()
    this.expectReserved('in')
    const items: { patterns: Word[]; body: List }[] = []
    for (;;) {
      this.skipNewlines()
      if (this.eof()) throw this.eofError()
      if (this.peekReserved() === 'esac') { this.i += 4; break }
      if (this.peekOp() === '(') this.i++
      const patterns: Word[] = []
      for (;;) {
        this.skipBlanks()
        if (this.eof()) throw this.eofError()
        if (this.peekOp()) this.unexpected()
        patterns.push(this.parseWord())
        this.skipBlanks()
        const op = this.peekOp()
        if (op === '|') { this.i++; continue }
        if (op === ')') { this.i++; break }
        this.unexpected()
      }
      const body = this.parseList(['esac'], false)
      items.push({ patterns, body })
      this.skipBlanks()
      if (this.src.startsWith(';;&', this.i) || this.src.startsWith(';&', this.i)) this.unsupported('case fall-through (;& and ;;&)')
      if (this.peekOp() === ';;') { this.i += 2; continue }
      this.skipNewlines()
      if (this.peekReserved() === 'esac') { this.i += 4; break }
      this.unexpected()
    }
    return { type: 'case', word, items, redirects: this.trailingRedirects(), offset: start }
  }

  private trailingRedirects(): Redirect[] {
    const out: Redirect[] = []
    for (;;) {
      this.skipBlanks()
      const r = this.tryRedirect()
      if (!r) return out
      out.push(r)
    }
  }

  private parseSimple(): SimpleCommand {
    const start = this.i
    const assignments: Assignment[] = []
    const words: Word[] = []
    const redirects: Redirect[] = []
    for (;;) {
      this.skipBlanks()
      if (this.eof()) break
      const r = this.tryRedirect()
      if (r) { redirects.push(r); continue }
      const op = this.peekOp()
      if (op === '(') {
        if (words.length === 1 && assignments.length === 0) this.unsupported('function definitions')
        this.unexpected()
      }
      if (op) break
      const wordStart = this.i
      const word = this.parseWord()
      const assignment = words.length === 0 ? asAssignment(word) : undefined
      if (assignment) assignments.push(assignment)
      else if (words.length === 0 && word.parts.length === 0 && wordStart === this.i) this.unexpected()
      else words.push(word)
    }
    if (assignments.length === 0 && words.length === 0 && redirects.length === 0) this.unexpected()
    return { type: 'simple', assignments, words, redirects, offset: this.base + start, source: this.src.slice(start, this.i).trim() }
  }

  private tryRedirect(): Redirect | undefined {
    const start = this.i
    const num = this.peekIoNumber()
    if (num) this.i += num.length
    const op = this.peekOp()
    if (!op || !REDIRECT_OPS.has(op)) {
      this.i = start
      return undefined
    }
    this.i += op.length
    const redirectOp = op as RedirectOp
    const fd = num !== undefined ? Number(num) : op.startsWith('<') ? 0 : 1
    this.skipBlanks()
    if (this.eof()) throw this.error("syntax error near unexpected token `newline'")
    if (this.peekOp()) this.unexpected()
    const targetStart = this.i
    const target = this.parseWord()
    const redirect: Redirect = { fd, op: redirectOp, target, offset: this.base + start }
    if (redirectOp === '<<' || redirectOp === '<<-') {
      const raw = this.src.slice(targetStart, this.i)
      const quoted = /['"\\]/.test(raw)
      redirect.heredoc = { body: { parts: [], offset: this.base + this.i }, delimiter: raw.replace(/['"\\]/g, ''), quoted, closed: false }
      this.pending.push(redirect)
    }
    return redirect
  }

  // ------------------------------------------------------------------ here-documents

  /** After a newline: the bodies of the here-documents the previous line opened. */
  private readHeredocs(): void {
    while (this.pending.length > 0) {
      const r = this.pending.shift()!
      const h = r.heredoc!
      const strip = r.op === '<<-'
      const lines: string[] = []
      const bodyStart = this.i
      let closed = false
      while (this.i < this.src.length) {
        let end = this.src.indexOf('\n', this.i)
        if (end < 0) end = this.src.length
        let line = this.src.slice(this.i, end)
        this.i = Math.min(end + 1, this.src.length)
        if (strip) line = line.replace(/^\t+/, '')
        if (line === h.delimiter) { closed = true; break }
        lines.push(line)
      }
      if (!closed && lines.length === 0 && this.heredocBody !== undefined) {
        this.setBody(r, this.heredocBody, this.i)
        this.heredocBody = undefined
        this.stdinUsed = true
        h.closed = true
        continue
      }
      if (!closed) {
        const line = this.whole.slice(0, r.offset).split('\n').length
        this.warnings.push(`warning: here-document at line ${line} delimited by end-of-file (wanted \`${h.delimiter}')`)
      }
      this.setBody(r, lines.map((l) => l + '\n').join(''), bodyStart)
      h.closed = closed
    }
  }

  private setBody(r: Redirect, text: string, at: number): void {
    const h = r.heredoc!
    h.body = h.quoted ? { parts: [{ type: 'quoted', text }], offset: this.base + at } : this.expandableText(text, at, 'heredoc')
  }

  /** Here-documents still open at the end of the source. */
  finishHeredocs(): void {
    if (this.pending.length > 0) this.readHeredocs()
  }

  // ------------------------------------------------------------------ words

  parseWord(): Word {
    const start = this.i
    const parts = this.wordParts((c) => META.has(c), true)
    return { parts, offset: this.base + start }
  }

  /**
   * The parts of a word up to an unquoted character where `stop` holds: literal text, quotes ('…', "…",
   * \x, $'…'), expansions, and (`inWord`: a whole shell word) a leading ~ and line continuations.
   */
  private wordParts(stop: (c: string) => boolean, inWord: boolean): WordPart[] {
    const parts: WordPart[] = []
    let lit = ''
    const flush = () => {
      if (lit) parts.push({ type: 'literal', text: lit })
      lit = ''
    }
    while (this.i < this.src.length) {
      const c = this.src[this.i]
      if (stop(c)) break
      if (c === '\\') {
        const next = this.src[this.i + 1]
        if (next === '\n' && inWord) { this.i += 2; continue }
        if (next === undefined) { lit += '\\'; this.i++; continue }
        flush()
        parts.push({ type: 'quoted', text: next })
        this.i += 2
        continue
      }
      if (c === "'") {
        const end = this.src.indexOf("'", this.i + 1)
        if (end < 0) throw this.matching("'", this.i)
        flush()
        parts.push({ type: 'quoted', text: this.src.slice(this.i + 1, end) })
        this.i = end + 1
        continue
      }
      if (c === '"') {
        flush()
        const open = this.i
        this.i++
        const inner = this.quotedRun('"', 'double')
        if (this.src[this.i] !== '"') throw this.matching('"', open)
        this.i++
        parts.push({ type: 'double', parts: inner })
        continue
      }
      if (c === '$' && this.src[this.i + 1] === "'" && inWord) {
        flush()
        parts.push({ type: 'quoted', text: this.ansiC() })
        continue
      }
      if ((c === '$' || c === '`') && this.pushExpansion(parts, flush)) continue
      if (c === '~' && inWord && parts.length === 0 && lit === '' && (this.i + 1 >= this.src.length || META.has(this.src[this.i + 1]) || this.src[this.i + 1] === '/')) {
        parts.push({ type: 'tilde' })
        this.i++
        continue
      }
      lit += c
      this.i++
    }
    flush()
    return parts
  }

  /**
   * Text inside "…" (mode double, up to `stop`), a here-document body or an arithmetic expression (mode
   * heredoc, to the end): $ and ` expand, a backslash escapes $ ` \ newline (and " in double quotes).
   */
  private quotedRun(stop: string | undefined, mode: 'double' | 'heredoc'): WordPart[] {
    const parts: WordPart[] = []
    let text = ''
    const flush = () => {
      if (text) parts.push({ type: 'quoted', text })
      text = ''
    }
    const escapable = mode === 'double' ? '$`"\\\n' : '$`\\\n'
    while (this.i < this.src.length) {
      const c = this.src[this.i]
      if (stop !== undefined && c === stop) break
      if (c === '\\' && this.i + 1 < this.src.length && escapable.includes(this.src[this.i + 1])) {
        if (this.src[this.i + 1] !== '\n') text += this.src[this.i + 1]
        this.i += 2
        continue
      }
      if ((c === '$' || c === '`') && this.pushExpansion(parts, flush)) continue
      text += c
      this.i++
    }
    flush()
    return parts
  }

  /** At $ or `: the expansion there, pushed after the text so far; false for a literal $. */
  private pushExpansion(parts: WordPart[], flush: () => void): boolean {
    const part = this.expansion()
    if (!part) return false
    flush()
    parts.push(part)
    return true
  }

  private expandableText(text: string, at: number, mode: 'heredoc'): Word {
    const sub = new Parser(text, this.base + at, this.whole)
    return { parts: sub.quotedRun(undefined, mode), offset: this.base + at }
  }

  /** $'…': ANSI-C quoting. */
  private ansiC(): string {
    const open = this.i
    this.i += 2
    let out = ''
    const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', v: '\v', '\\': '\\', "'": "'", '"': '"', '?': '?' }
    while (this.i < this.src.length && this.src[this.i] !== "'") {
      const c = this.src[this.i]
      if (c !== '\\') { out += c; this.i++; continue }
      const n = this.src[this.i + 1]
      if (n !== undefined && n in simple) { out += simple[n]; this.i += 2; continue }
      const hex = /^x([0-9A-Fa-f]{1,2})/.exec(this.src.slice(this.i + 1))
      if (hex) { out += String.fromCharCode(parseInt(hex[1], 16)); this.i += 1 + hex[0].length; continue }
      const oct = /^[0-7]{1,3}/.exec(this.src.slice(this.i + 1))
      if (oct) { out += String.fromCharCode(parseInt(oct[0], 8)); this.i += 1 + oct[0].length; continue }
      out += c
      this.i++
    }
    if (this.i >= this.src.length) throw this.matching("'", open)
    this.i++
    return out
  }

  /** At $ or `: the expansion there, or undefined for a literal $. */
  private expansion(): WordPart | undefined {
    const start = this.i
    if (this.src[this.i] === '`') {
      let inner = ''
      let j = this.i + 1
      for (; j < this.src.length && this.src[j] !== '`'; j++) {
        if (this.src[j] === '\\' && '$`\\'.includes(this.src[j + 1] ?? '')) inner += this.src[++j]
        else inner += this.src[j]
      }
      if (j >= this.src.length) throw this.matching('`', start)
      this.i = j + 1
      const sub = new Parser(inner, this.base + start + 1, this.whole)
      const list = sub.parseList([], false)
      sub.skipBlanks()
      if (!sub.eof()) sub.unexpected()
      return { type: 'command', list }
    }
    const next = this.src[this.i + 1]
    if (next === '(' && this.src[this.i + 2] === '(') {
      const j = this.arithmeticEnd(this.i + 3)
      if (j < 0) throw this.matching(')', start)
      const expr = this.expandableText(this.src.slice(this.i + 3, j), this.i + 3, 'heredoc')
      this.i = j + 2
      return { type: 'arith', expr, offset: this.base + start }
    }
    if (next === '(') {
      this.i += 2
      const list = this.parseList([], true)
      this.skipBlanks()
      if (this.eof()) throw this.matching(')', start)
      if (this.peekOp() !== ')') this.unexpected()
      this.i++
      return { type: 'command', list }
    }
    if (next === '{') return this.braced(start)
    if (next !== undefined && /[?$#@*!\-0-9]/.test(next)) {
      this.i += 2
      return { type: 'param', name: next, offset: this.base + start }
    }
    const m = NAME.exec(this.src.slice(this.i + 1))
    if (m) {
      this.i += 1 + m[0].length
      return { type: 'param', name: m[0], offset: this.base + start }
    }
    return undefined
  }

  /** The index of the `))` closing an arithmetic expression starting at `from`, or -1. */
  private arithmeticEnd(from: number): number {
    let depth = 0
    for (let j = from; j < this.src.length; j++) {
      if (this.src[j] === '(') depth++
      else if (this.src[j] === ')') {
        if (depth === 0) return this.src[j + 1] === ')' ? j : -1
        depth--
      }
    }
    return -1
  }

  /** ${…} */
  private braced(start: number): WordPart {
    this.i += 2
    const close = () => {
      if (this.eof()) throw this.matching('}', start)
    }
    let length = false
    if (this.src[this.i] === '#' && this.src[this.i + 1] !== '}') {
      length = true
      this.i++
    }
    const m = /^(?:[A-Za-z_][A-Za-z0-9_]*|[?$#@*!\-0-9])/.exec(this.src.slice(this.i))
    if (!m) return this.badSubstitution(start)
    const name = m[0]
    this.i += name.length
    close()
    if (this.src[this.i] === '}') {
      this.i++
      return length ? { type: 'param', name, op: 'length', offset: this.base + start } : { type: 'param', name, offset: this.base + start }
    }
    if (length) return this.badSubstitution(start)
    const op = ([':-', ':=', ':+', '##', '%%', '-', '=', '+', '#', '%'] as ParamOp[]).find((o) => this.src.startsWith(o, this.i))
    if (!op) return this.badSubstitution(start)
    this.i += op.length
    const argStart = this.i
    const parts = this.braceArg()
    close()
    this.i++
    return { type: 'param', name, op, arg: { parts, offset: this.base + argStart }, offset: this.base + start }
  }

  /** The word after an operator in ${name OP word}, up to the closing brace. */
  private braceArg(): WordPart[] {
    return this.wordParts((c) => c === '}', false)
  }

  /** A ${…} form this shell does not expand (pattern substitution, substrings, indirection). */
  private badSubstitution(start: number): never {
    let depth = 0
    let j = start + 2
    for (; j < this.src.length; j++) {
      if (this.src[j] === '{') depth++
      else if (this.src[j] === '}') {
        if (depth === 0) break
        depth--
      }
    }
    if (j >= this.src.length) throw this.matching('}', start)
    this.unsupported(this.src.slice(start, j + 1), start)
  }
}

/** NAME=value or NAME+=value as the first words of a simple command. */
function asAssignment(word: Word): Assignment | undefined {
  const first = word.parts[0]
  if (first?.type !== 'literal') return undefined
  const m = /^([A-Za-z_][A-Za-z0-9_]*)(\+?)=/.exec(first.text)
  if (!m) return undefined
  const rest = first.text.slice(m[0].length)
  const parts: WordPart[] = rest ? [{ type: 'literal', text: rest }, ...word.parts.slice(1)] : word.parts.slice(1)
  return { name: m[1], append: m[2] === '+', value: { parts, offset: word.offset + m[0].length } }
}
