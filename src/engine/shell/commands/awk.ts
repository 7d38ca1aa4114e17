/**
 * A small awk with gawk 5.2's behaviour for what it runs: BEGIN/END, patterns (expressions, /re/, ranges
 * `p1, p2`), print (with `> file` / `>> file` on the node's filesystem) and printf, fields ($0, $N, NF, and
 * assigning them rebuilds the record with OFS), NR, FNR, FS, OFS, ORS, FILENAME, RSTART, RLENGTH, SUBSEP,
 * variables and associative arrays (`in`, delete, `for (k in a)`), if/else, while, do, for, break,
 * continue, next, exit, arithmetic, comparison (numeric for numeric strings), `~ !~`, concatenation,
 * ternary, `++ -- += …`, and the functions length, substr, index, split, sub, gsub, match, sprintf,
 * tolower, toupper, int, sqrt, exp, log, sin, cos, atan2. -F (with \t), -v, `var=value` operands.
 * Anything else (user functions, getline, pipes, system, printf to a pipe, rand) is refused with a message
 * saying what is not supported, never run differently.
 */
import type { CommandContext, ShellCommand } from '../command.ts'
import { FsError } from '../filesystem.ts'
import { posixRegExp, RegexError } from '../regex.ts'

// ------------------------------------------------------------------------------------------ lexer

type Tok = { t: 'num'; v: number; p: number } | { t: 'str'; v: string; p: number } | { t: 're'; v: string; p: number }
  | { t: 'name'; v: string; p: number } | { t: 'func'; v: string; p: number } | { t: 'op'; v: string; p: number } | { t: 'nl'; p: number } | { t: 'eof'; p: number }

const KEYWORDS = new Set(['BEGIN', 'END', 'if', 'else', 'while', 'for', 'do', 'break', 'continue', 'next', 'nextfile', 'exit', 'print', 'printf', 'delete', 'in', 'getline', 'function', 'func', 'return'])
const BUILTIN_FUNCS = new Set(['length', 'substr', 'index', 'split', 'sub', 'gsub', 'match', 'sprintf', 'tolower', 'toupper', 'int', 'sqrt', 'exp', 'log', 'sin', 'cos', 'atan2', 'rand', 'srand', 'system', 'close', 'fflush', 'strftime', 'systime', 'gensub', 'asort', 'asorti'])
const UNSUPPORTED_FUNCS = new Set(['rand', 'srand', 'system', 'strftime', 'systime', 'gensub', 'asort', 'asorti'])
const OPS = ['+=', '-=', '*=', '/=', '%=', '^=', '**', '==', '<=', '>=', '!=', '++', '--', '&&', '||', '>>', '!~', '{', '}', '(', ')', '[', ']', ';', ',', '+', '-', '*', '/', '%', '^', '!', '>', '<', '|', '?', ':', '~', '$', '=']

class AwkSyntaxError extends Error {
  constructor(readonly pos: number, message: string) { super(message) }
}
class AwkUnsupported extends Error {}

function lex(src: string): Tok[] {
  const toks: Tok[] = []
  let i = 0
  const regexAllowed = () => {
    const last = toks[toks.length - 1]
    if (!last) return true
    if (last.t === 'num' || last.t === 'str' || last.t === 're' || last.t === 'name') return false
    if (last.t === 'op') return ![')', ']', '$', '++', '--'].includes(last.v)
    if (last.t === 'func') return false
    return true
  }
  while (i < src.length) {
    const c = src[i]
    if (c === ' ' || c === '\t') { i++; continue }
    if (c === '\\' && src[i + 1] === '\n') { i += 2; continue }
    if (c === '#') { while (i < src.length && src[i] !== '\n') i++; continue }
    if (c === '\n') { toks.push({ t: 'nl', p: i }); i++; continue }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const m = /^(0[xX][0-9a-fA-F]+|(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?)/.exec(src.slice(i))!
      toks.push({ t: 'num', v: Number(m[0]), p: i })
      i += m[0].length
      continue
    }
    if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i))!
      const w = m[0]
      toks.push(BUILTIN_FUNCS.has(w) ? { t: 'func', v: w, p: i } : KEYWORDS.has(w) ? { t: 'op', v: w, p: i } : { t: 'name', v: w, p: i })
      i += w.length
      continue
    }
    if (c === '"') {
      let s = ''
      let j = i + 1
      for (; j < src.length && src[j] !== '"'; j++) {
        if (src[j] === '\n') throw new AwkSyntaxError(j, 'unterminated string')
        if (src[j] === '\\' && j + 1 < src.length) {
          const n = src[++j]
          const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', '/': '/', a: '\x07', b: '\b', f: '\f', v: '\v' }
          if (/[0-7]/.test(n)) {
            const m = /^[0-7]{1,3}/.exec(src.slice(j))!
            s += String.fromCharCode(parseInt(m[0], 8))
            j += m[0].length - 1
          } else s += map[n] ?? '\\' + n
          continue
        }
        s += src[j]
      }
      if (j >= src.length) throw new AwkSyntaxError(j, 'unterminated string')
      toks.push({ t: 'str', v: s, p: i })
      i = j + 1
      continue
    }
    if (c === '/' && regexAllowed()) {
      let s = ''
      let j = i + 1
      let inBracket = false
      for (; j < src.length; j++) {
        const d = src[j]
        if (d === '\n') throw new AwkSyntaxError(j, 'unterminated regexp')
        if (d === '\\' && j + 1 < src.length) { s += src[j + 1] === '/' ? '/' : d + src[j + 1]; j++; continue }
        if (d === '[') inBracket = true
        else if (d === ']') inBracket = false
        else if (d === '/' && !inBracket) break
        s += d
      }
      if (j >= src.length) throw new AwkSyntaxError(j, 'unterminated regexp')
      toks.push({ t: 're', v: s, p: i })
      i = j + 1
      continue
    }
    const op = OPS.find((o) => src.startsWith(o, i))
    if (!op) throw new AwkSyntaxError(i, `invalid char '${c}' in expression`)
    toks.push({ t: 'op', v: op === '**' ? '^' : op, p: i })
    i += op.length
  }
  toks.push({ t: 'eof', p: src.length })
  return toks
}

// ------------------------------------------------------------------------------------------ syntax tree

type Expr =
  | { k: 'num'; v: number } | { k: 'str'; v: string } | { k: 're'; re: RegExp }
  | { k: 'var'; name: string } | { k: 'field'; index: Expr } | { k: 'elem'; name: string; subs: Expr[] }
  | { k: 'assign'; op: string; target: Expr; value: Expr } | { k: 'cond'; c: Expr; a: Expr; b: Expr }
  | { k: 'bin'; op: string; a: Expr; b: Expr } | { k: 'un'; op: string; a: Expr }
  | { k: 'incdec'; op: '++' | '--'; prefix: boolean; target: Expr } | { k: 'match'; negate: boolean; a: Expr; re: Expr }
  | { k: 'in'; subs: Expr[]; name: string } | { k: 'call'; name: string; args: Expr[] } | { k: 'group'; e: Expr }

type Stmt =
  | { k: 'print'; args: Expr[]; printf: boolean; dest?: { append: boolean; file: Expr } }
  | { k: 'expr'; e: Expr } | { k: 'if'; c: Expr; then: Stmt; else?: Stmt } | { k: 'while'; c: Expr; body: Stmt }
  | { k: 'do'; body: Stmt; c: Expr } | { k: 'for'; init?: Expr; c?: Expr; step?: Expr; body: Stmt }
  | { k: 'forin'; v: string; arr: string; body: Stmt } | { k: 'block'; body: Stmt[] }
  | { k: 'next' } | { k: 'exit'; e?: Expr } | { k: 'break' } | { k: 'continue' } | { k: 'delete'; name: string; subs?: Expr[] }

interface Rule { kind: 'begin' | 'end' | 'main'; pattern?: Expr; pattern2?: Expr; action?: Stmt[]; inRange?: boolean }

// ------------------------------------------------------------------------------------------ parser

class AwkParser {
  private i = 0
  constructor(private readonly toks: Tok[], private readonly ignoreCase = false) {}

  private peek(): Tok { return this.toks[this.i] }
  private isOp(v: string): boolean { const t = this.peek(); return t.t === 'op' && t.v === v }
  private fail(message = 'syntax error'): never {
    const t = this.peek()
    throw new AwkSyntaxError(t.p, t.t === 'eof' ? 'unexpected newline or end of string' : message)
  }
  private expect(v: string): void { if (!this.isOp(v)) this.fail(); this.i++ }
  private skipNl(): void { while (this.peek().t === 'nl') this.i++ }
  private skipTerms(): void { while (this.peek().t === 'nl' || this.isOp(';')) this.i++ }

  regex(source: string): RegExp {
    try {
      return posixRegExp(source, { extended: true }, this.ignoreCase ? 'i' : '')
    } catch (e) {
      if (e instanceof RegexError) this.fail(e.message)
      throw e
    }
  }

  program(): Rule[] {
    const rules: Rule[] = []
    this.skipTerms()
    while (this.peek().t !== 'eof') {
      const t = this.peek()
      if (t.t === 'op' && (t.v === 'function' || t.v === 'func')) throw new AwkUnsupported('user-defined functions')
      let block = true
      if (t.t === 'op' && (t.v === 'BEGIN' || t.v === 'END')) {
        this.i++
        this.skipNl()
        if (!this.isOp('{')) this.fail()
        rules.push({ kind: t.v === 'BEGIN' ? 'begin' : 'end', action: this.block() })
      } else if (this.isOp('{')) {
        rules.push({ kind: 'main', action: this.block() })
      } else {
        const pattern = this.expr()
        let pattern2: Expr | undefined
        if (this.isOp(',')) { this.i++; this.skipNl(); pattern2 = this.expr() }
        const action = this.isOp('{') ? this.block() : undefined
        block = action !== undefined
        rules.push({ kind: 'main', pattern, pattern2, action })
      }
      // A rule ends at a newline or `;`; one with an action may be followed directly by the next rule.
      if (!block && !(this.peek().t === 'nl' || this.isOp(';') || this.peek().t === 'eof')) this.fail()
      this.skipTerms()
    }
    return rules
  }

  private block(): Stmt[] {
    this.expect('{')
    const body: Stmt[] = []
    this.skipTerms()
    while (!this.isOp('}')) {
      if (this.peek().t === 'eof') this.fail()
      body.push(this.statement())
      this.skipTerms()
    }
    this.i++
    return body
  }

  private simpleEnd(): void {
    if (this.isOp(';') || this.peek().t === 'nl') { this.i++; return }
    if (this.isOp('}') || this.peek().t === 'eof') return
    this.fail()
  }

  private statement(): Stmt {
    const t = this.peek()
    if (t.t === 'op') {
      switch (t.v) {
        case '{': return { k: 'block', body: this.block() }
        case 'if': {
          this.i++
          this.expect('(')
          const c = this.expr()
          this.expect(')')
          this.skipNl()
          const then = this.statement()
          const save = this.i
          this.skipTerms()
          if (this.isOp('else')) {
            this.i++
            this.skipNl()
            return { k: 'if', c, then, else: this.statement() }
          }
          this.i = save
          return { k: 'if', c, then }
        }
        case 'while': {
          this.i++
          this.expect('(')
          const c = this.expr()
          this.expect(')')
          if (this.isOp(';')) { this.i++; return { k: 'while', c, body: { k: 'block', body: [] } } }
          this.skipNl()
          return { k: 'while', c, body: this.statement() }
        }
        case 'do': {
          this.i++
          this.skipNl()
          const body = this.statement()
          this.skipTerms()
          this.expect('while')
          this.expect('(')
          const c = this.expr()
          this.expect(')')
          this.simpleEnd()
          return { k: 'do', body, c }
        }
        case 'for': {
          this.i++
          this.expect('(')
          const a = this.peek()
          const b = this.toks[this.i + 1]
          const c = this.toks[this.i + 2]
          const d = this.toks[this.i + 3]
          if (a.t === 'name' && b.t === 'op' && b.v === 'in' && c.t === 'name' && d.t === 'op' && d.v === ')') {
            this.i += 4
            this.skipNl()
            return { k: 'forin', v: a.v, arr: c.v, body: this.statement() }
          }
          const init = this.isOp(';') ? undefined : this.expr()
          this.expect(';')
          this.skipNl()
          const cond = this.isOp(';') ? undefined : this.expr()
          this.expect(';')
          this.skipNl()
          const step = this.isOp(')') ? undefined : this.expr()
          this.expect(')')
          if (this.isOp(';')) { this.i++; return { k: 'for', init, c: cond, step, body: { k: 'block', body: [] } } }
          this.skipNl()
          return { k: 'for', init, c: cond, step, body: this.statement() }
        }
        case ';': this.i++; return { k: 'block', body: [] }
        case 'next': this.i++; this.simpleEnd(); return { k: 'next' }
        case 'nextfile': throw new AwkUnsupported('nextfile')
        case 'break': this.i++; this.simpleEnd(); return { k: 'break' }
        case 'continue': this.i++; this.simpleEnd(); return { k: 'continue' }
        case 'exit': {
          this.i++
          const e = this.isOp(';') || this.isOp('}') || this.peek().t === 'nl' || this.peek().t === 'eof' ? undefined : this.expr()
          this.simpleEnd()
          return { k: 'exit', e }
        }
        case 'return': throw new AwkUnsupported('return (user-defined functions)')
        case 'getline': throw new AwkUnsupported('getline')
        case 'delete': {
          this.i++
          const n = this.peek()
          if (n.t !== 'name') this.fail()
          this.i++
          let subs: Expr[] | undefined
          if (this.isOp('[')) { this.i++; subs = this.exprList(); this.expect(']') }
          this.simpleEnd()
          return { k: 'delete', name: n.v, subs }
        }
        case 'print': case 'printf': {
          this.i++
          let args: Expr[] = []
          const end = () => this.isOp(';') || this.isOp('}') || this.isOp('>') || this.isOp('>>') || this.isOp('|') || this.peek().t === 'nl' || this.peek().t === 'eof'
          if (!end()) {
            if (this.isOp('(')) {
              // print (a, b) > "f": a parenthesised list; print (a)(b): a concatenation.
              const save = this.i
              this.i++
              const list = this.exprList(true)
              if (this.isOp(')')) {
                this.i++
                if (end()) args = list
                else { this.i = save; args = this.exprList(false, true) }
              } else { this.i = save; args = this.exprList(false, true) }
            } else args = this.exprList(false, true)
          }
          if (t.v === 'printf' && args.length === 0) this.fail()
          let dest: { append: boolean; file: Expr } | undefined
          if (this.isOp('>') || this.isOp('>>')) {
            const append = (this.peek() as { v: string }).v === '>>'
            this.i++
            dest = { append, file: this.concat() }
          } else if (this.isOp('|')) throw new AwkUnsupported('output to a pipe (print | "command")')
          this.simpleEnd()
          return { k: 'print', args, printf: t.v === 'printf', dest }
        }
      }
    }
    const e = this.expr()
    this.simpleEnd()
    return { k: 'expr', e }
  }

  private exprList(inParens = false, noGt = false): Expr[] {
    const list = [this.expr(noGt && !inParens)]
    while (this.isOp(',')) { this.i++; this.skipNl(); list.push(this.expr(noGt && !inParens)) }
    return list
  }

  expr(noGt = false): Expr {
    return this.ternary(noGt)
  }

  private ternary(noGt: boolean): Expr {
    const c = this.or(noGt)
    if (this.isOp('?')) {
      this.i++
      this.skipNl()
      const a = this.ternary(noGt)
      this.skipNl()
      this.expect(':')
      this.skipNl()
      return { k: 'cond', c, a, b: this.ternary(noGt) }
    }
    const t = this.peek()
    if (t.t === 'op' && ['=', '+=', '-=', '*=', '/=', '%=', '^='].includes(t.v)) {
      if (c.k !== 'var' && c.k !== 'field' && c.k !== 'elem') this.fail()
      this.i++
      this.skipNl()
      return { k: 'assign', op: t.v, target: c, value: this.ternary(noGt) }
    }
    return c
  }

  private or(noGt: boolean): Expr {
    let a = this.and(noGt)
    while (this.isOp('||')) { this.i++; this.skipNl(); a = { k: 'bin', op: '||', a, b: this.and(noGt) } }
    return a
  }

  private and(noGt: boolean): Expr {
    let a = this.inExpr(noGt)
    while (this.isOp('&&')) { this.i++; this.skipNl(); a = { k: 'bin', op: '&&', a, b: this.inExpr(noGt) } }
    return a
  }

  private inExpr(noGt: boolean): Expr {
    let a = this.matchExpr(noGt)
    while (this.isOp('in')) {
      this.i++
      const n = this.peek()
      if (n.t !== 'name') this.fail()
      this.i++
      a = { k: 'in', subs: a.k === 'group' && a.e.k === 'bin' && a.e.op === ',' ? [] : [a], name: n.v }
    }
    return a
  }

  private matchExpr(noGt: boolean): Expr {
    let a = this.comparison(noGt)
    while (this.isOp('~') || this.isOp('!~')) {
      const negate = (this.peek() as { v: string }).v === '!~'
      this.i++
      a = { k: 'match', negate, a, re: this.comparison(noGt) }
    }
    return a
  }

  private comparison(noGt: boolean): Expr {
    const a = this.concat()
    const t = this.peek()
    if (t.t === 'op' && ['<', '<=', '==', '!=', '>=', '>'].includes(t.v) && !(noGt && t.v === '>')) {
      this.i++
      return { k: 'bin', op: t.v, a, b: this.concat() }
    }
    return a
  }

  private concat(): Expr {
    let a = this.additive()
    for (;;) {
      const t = this.peek()
      const starts = t.t === 'num' || t.t === 'str' || t.t === 're' || t.t === 'name' || t.t === 'func' ||
        (t.t === 'op' && ['$', '!', '(', '-', '+', '++', '--'].includes(t.v))
      if (!starts || (t.t === 'op' && t.v === 'in')) return a
      if (t.t === 'op' && (t.v === '-' || t.v === '+' || t.v === '!')) return a
      a = { k: 'bin', op: 'concat', a, b: this.additive() }
    }
  }

  private additive(): Expr {
    let a = this.multiplicative()
    while (this.isOp('+') || this.isOp('-')) {
      const op = (this.peek() as { v: string }).v
      this.i++
      a = { k: 'bin', op, a, b: this.multiplicative() }
    }
    return a
  }

  private multiplicative(): Expr {
    let a = this.unary()
    while (this.isOp('*') || this.isOp('/') || this.isOp('%')) {
      const op = (this.peek() as { v: string }).v
      this.i++
      a = { k: 'bin', op, a, b: this.unary() }
    }
    return a
  }

  private unary(): Expr {
    if (this.isOp('!')) { this.i++; return { k: 'un', op: '!', a: this.unary() } }
    if (this.isOp('-')) { this.i++; return { k: 'un', op: '-', a: this.unary() } }
    if (this.isOp('+')) { this.i++; return { k: 'un', op: '+', a: this.unary() } }
    return this.power()
  }

  private power(): Expr {
    const a = this.postfix()
    if (this.isOp('^')) { this.i++; return { k: 'bin', op: '^', a, b: this.unaryPower() } }
    return a
  }

  private unaryPower(): Expr {
    if (this.isOp('-')) { this.i++; return { k: 'un', op: '-', a: this.unaryPower() } }
    return this.power()
  }

  private postfix(): Expr {
    if (this.isOp('++') || this.isOp('--')) {
      const op = (this.peek() as { v: string }).v as '++' | '--'
      this.i++
      const target = this.postfix()
      if (target.k !== 'var' && target.k !== 'field' && target.k !== 'elem') this.fail()
      return { k: 'incdec', op, prefix: true, target }
    }
    const e = this.primary()
    if ((e.k === 'var' || e.k === 'field' || e.k === 'elem') && (this.isOp('++') || this.isOp('--'))) {
      const op = (this.peek() as { v: string }).v as '++' | '--'
      this.i++
      return { k: 'incdec', op, prefix: false, target: e }
    }
    return e
  }

  private primary(): Expr {
    const t = this.peek()
    switch (t.t) {
      case 'num': this.i++; return { k: 'num', v: t.v }
      case 'str': this.i++; return { k: 'str', v: t.v }
      case 're': this.i++; return { k: 're', re: this.regex(t.v) }
      case 'name': {
        this.i++
        if (this.isOp('[')) {
          this.i++
          const subs = this.exprList()
          this.expect(']')
          return { k: 'elem', name: t.v, subs }
        }
        if (this.isOp('(') && this.toks[this.i].p === t.p + t.v.length) throw new AwkUnsupported(`user-defined functions (${t.v}())`)
        return { k: 'var', name: t.v }
      }
      case 'func': {
        this.i++
        if (UNSUPPORTED_FUNCS.has(t.v)) throw new AwkUnsupported(`${t.v}()`)
        if (!this.isOp('(')) {
          if (t.v === 'length') return { k: 'call', name: 'length', args: [] }
          this.fail()
        }
        this.i++
        const args = this.isOp(')') ? [] : this.exprList()
        this.expect(')')
        return { k: 'call', name: t.v, args }
      }
      case 'op':
        if (t.v === '$') { this.i++; return { k: 'field', index: this.incOrPrimary() } }
        if (t.v === '(') {
          this.i++
          const e = this.expr()
          if (this.isOp(',')) {
            // (a, b) in arr
            const subs = [e]
            while (this.isOp(',')) { this.i++; subs.push(this.expr()) }
            this.expect(')')
            if (!this.isOp('in')) this.fail()
            this.i++
            const n = this.peek()
            if (n.t !== 'name') this.fail()
            this.i++
            return { k: 'in', subs, name: n.v }
          }
          this.expect(')')
          return { k: 'group', e }
        }
        if (t.v === 'getline') throw new AwkUnsupported('getline')
        if (t.v === '-' || t.v === '+' || t.v === '!') return this.unary()
    }
    return this.fail()
  }

  private incOrPrimary(): Expr {
    if (this.isOp('++') || this.isOp('--') || this.isOp('-')) return this.postfix()
    return this.primary()
  }
}

// ------------------------------------------------------------------------------------------ values

/** A string from input (fields, -v, ARGV assignments): compares as a number when it looks like one. */
class StrNum {
  constructor(readonly s: string) {}
}
type Value = number | string | StrNum

const looksNumeric = (s: string) => /^[ \t\n]*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?[ \t\n]*$/.test(s)

function toNum(v: Value): number {
  if (typeof v === 'number') return v
  const s = typeof v === 'string' ? v : v.s
  const m = /^[ \t\n]*([-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?)/.exec(s)
  return m ? Number(m[1]) : 0
}

function numToStr(n: number, fmt = '%.6g'): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e16) return String(n)
  if (Number.isNaN(n)) return n > 0 ? '+nan' : '-nan'
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf'
  return sprintf(fmt, [n])
}

function toStr(v: Value): string {
  return typeof v === 'number' ? numToStr(v) : typeof v === 'string' ? v : v.s
}

function truthy(v: Value): boolean {
  if (typeof v === 'number') return v !== 0
  if (typeof v === 'string') return v !== ''
  return looksNumeric(v.s) ? toNum(v) !== 0 : v.s !== ''
}

function compare(a: Value, b: Value): number {
  const numeric = (v: Value) => typeof v === 'number' || (v instanceof StrNum && looksNumeric(v.s))
  if (numeric(a) && numeric(b)) { const x = toNum(a), y = toNum(b); return x < y ? -1 : x > y ? 1 : 0 }
  const x = toStr(a), y = toStr(b)
  return x < y ? -1 : x > y ? 1 : 0
}

/** awk's printf/sprintf: %c %d %i %o %x %X %u %e %E %f %g %G %s %%, flags - + space # 0, width, precision, *. */
function sprintf(format: string, args: Value[]): string {
  let k = 0
  const next = (): Value => (k < args.length ? args[k++] : '')
  return format.replace(/%([-+ #0]*)(\*|\d+)?(?:\.(\*|\d*))?([cdiouxXeEfgGs%])/g, (_w, flags: string, w: string | undefined, pr: string | undefined, conv: string) => {
    if (conv === '%') return '%'
    const width = w === '*' ? toNum(next()) : w ? Number(w) : undefined
    const precision = pr === '*' ? toNum(next()) : pr !== undefined ? Number(pr || 0) : undefined
    const v = next()
    let s: string
    switch (conv) {
      case 'c': s = typeof v === 'number' ? String.fromCharCode(v) : toStr(v).slice(0, 1); break
      case 'd': case 'i': case 'u': {
        const n = Math.trunc(toNum(v))
        s = String(Math.abs(n))
        if (precision !== undefined) s = s.padStart(precision, '0')
        s = (n < 0 ? '-' : flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '') + s
        break
      }
      case 'o': s = Math.trunc(toNum(v)).toString(8); break
      case 'x': s = Math.trunc(toNum(v)).toString(16); break
      case 'X': s = Math.trunc(toNum(v)).toString(16).toUpperCase(); break
      case 'f': s = toNum(v).toFixed(precision ?? 6); break
      case 'e': case 'E': {
        const [m, e] = toNum(v).toExponential(precision ?? 6).split('e')
        s = `${m}e${e[0] === '-' ? '-' : '+'}${e.replace(/^[-+]/, '').padStart(2, '0')}`
        if (conv === 'E') s = s.toUpperCase()
        break
      }
      case 'g': case 'G': {
        const n = toNum(v)
        const p = precision === 0 ? 1 : precision ?? 6
        const exp = n === 0 ? 0 : Math.floor(Math.log10(Math.abs(n)))
        if (exp < -4 || exp >= p) {
          const [m, e] = n.toExponential(p - 1).split('e')
          s = `${flags.includes('#') ? m : m.replace(/\.?0+$/, '')}e${e[0] === '-' ? '-' : '+'}${e.replace(/^[-+]/, '').padStart(2, '0')}`
        } else {
          s = n.toFixed(Math.max(0, p - 1 - exp))
          if (!flags.includes('#') && s.includes('.')) s = s.replace(/\.?0+$/, '')
        }
        if (conv === 'G') s = s.toUpperCase()
        break
      }
      default: s = toStr(v); if (precision !== undefined) s = s.slice(0, precision)
    }
    if (width !== undefined && s.length < width) {
      if (flags.includes('-')) s = s.padEnd(width)
      else if (flags.includes('0') && conv !== 's' && conv !== 'c') {
        const sign = /^[-+ ]/.test(s) ? s[0] : ''
        s = sign + s.slice(sign.length).padStart(width - sign.length, '0')
      } else s = s.padStart(width)
    }
    return s
  })
}

// ------------------------------------------------------------------------------------------ interpreter

class NextSignal {}
class ExitAwk { constructor(readonly status: number) {} }
class BreakSignal {}
class ContinueSignal {}

/** Statements one program may run (a runaway `while (1)` must end: the console has no Ctrl+C). */
const STEP_LIMIT = 5_000_000

class AwkRuntime {
  vars = new Map<string, Value>()
  arrays = new Map<string, Map<string, Value>>()
  fields: string[] = ['']
  nf = 0
  steps = 0
  out = ''
  files = new Map<string, string>()

  constructor(private readonly ctx: CommandContext) {
    for (const [k, v] of [['FS', ' '], ['OFS', ' '], ['ORS', '\n'], ['RS', '\n'], ['SUBSEP', '\x1c'], ['CONVFMT', '%.6g'], ['OFMT', '%.6g']] as const) this.vars.set(k, v)
    for (const k of ['NR', 'FNR', 'RSTART', 'RLENGTH']) this.vars.set(k, 0)
    this.vars.set('FILENAME', '')
    const env = new Map<string, Value>()
    for (const [k, v] of ctx.shell.environment()) env.set(k, new StrNum(v))
    this.arrays.set('ENVIRON', env)
  }

  setRecord(text: string): void {
    this.fields = [text]
    this.split()
  }

  private split(): void {
    const rec = this.fields[0]
    const fs = toStr(this.get('FS'))
    let parts: string[]
    if (fs === ' ') parts = rec.split(/[ \t\n]+/).filter((x) => x !== '')
    else if (rec === '') parts = []
    else if (fs.length === 1 && fs !== '\\') parts = rec.split(fs)
    else parts = rec.split(posixRegExp(fs === '\\' ? '\\\\' : fs, { extended: true }))
    this.fields = [rec, ...parts]
    this.nf = parts.length
  }

  private rebuild(): void {
    this.fields[0] = this.fields.slice(1, this.nf + 1).map((f) => f ?? '').join(toStr(this.get('OFS')))
  }

  getField(i: number): Value {
    if (i < 0) throw new Error(`attempt to access field ${i}`)
    if (i === 0) return new StrNum(this.fields[0])
    return i <= this.nf ? new StrNum(this.fields[i] ?? '') : ''
  }

  setField(i: number, v: string): void {
    if (i < 0) throw new Error(`attempt to access field ${i}`)
    if (i === 0) { this.fields[0] = v; this.split(); return }
    while (this.fields.length <= i) this.fields.push('')
    this.fields[i] = v
    if (i > this.nf) this.nf = i
    this.rebuild()
  }

  get(name: string): Value {
    if (name === 'NF') return this.nf
    if (this.arrays.has(name)) throw new Error(`attempt to use array \`${name}' in a scalar context`)
    return this.vars.get(name) ?? ''
  }

  set(name: string, v: Value): void {
    if (name === 'NF') {
      this.nf = Math.max(0, Math.trunc(toNum(v)))
      this.fields.length = this.nf + 1
      for (let i = 1; i <= this.nf; i++) this.fields[i] ??= ''
      this.rebuild()
      return
    }
    this.vars.set(name, v)
  }

  array(name: string): Map<string, Value> {
    if (this.vars.has(name)) throw new Error(`attempt to use scalar \`${name}' as an array`)
    let a = this.arrays.get(name)
    if (!a) { a = new Map(); this.arrays.set(name, a) }
    return a
  }

  key(subs: Expr[]): string {
    return subs.map((s) => toStr(this.eval(s))).join(toStr(this.get('SUBSEP')))
  }

  regexOf(e: Expr): RegExp {
    if (e.k === 're') return e.re
    return posixRegExp(toStr(this.eval(e)), { extended: true })
  }

  assign(target: Expr, v: Value): Value {
    if (target.k === 'var') this.set(target.name, v)
    else if (target.k === 'field') this.setField(Math.trunc(toNum(this.eval(target.index))), toStr(v))
    else if (target.k === 'elem') this.array(target.name).set(this.key(target.subs), v)
    return v
  }

  eval(e: Expr): Value {
    switch (e.k) {
      case 'num': return e.v
      case 'str': return e.v
      case 're': { e.re.lastIndex = 0; return e.re.test(this.fields[0]) ? 1 : 0 }
      case 'group': return this.eval(e.e)
      case 'var': return this.get(e.name)
      case 'field': return this.getField(Math.trunc(toNum(this.eval(e.index))))
      case 'elem': {
        const a = this.array(e.name)
        const k = this.key(e.subs)
        if (!a.has(k)) a.set(k, '')
        return a.get(k)!
      }
      case 'in': return this.array(e.name).has(this.key(e.subs)) ? 1 : 0
      case 'assign': {
        if (e.op === '=') {
          const v = this.eval(e.value)
          return this.assign(e.target, v instanceof StrNum ? v : v)
        }
        const cur = toNum(this.eval(e.target))
        const rhs = toNum(this.eval(e.value))
        return this.assign(e.target, arith(e.op.slice(0, -1), cur, rhs))
      }
      case 'incdec': {
        const cur = toNum(this.eval(e.target))
        const nv = e.op === '++' ? cur + 1 : cur - 1
        this.assign(e.target, nv)
        return e.prefix ? nv : cur
      }
      case 'cond': return truthy(this.eval(e.c)) ? this.eval(e.a) : this.eval(e.b)
      case 'un': {
        const v = this.eval(e.a)
        if (e.op === '!') return truthy(v) ? 0 : 1
        return e.op === '-' ? -toNum(v) : toNum(v)
      }
      case 'match': {
        const re = this.regexOf(e.re)
        re.lastIndex = 0
        return re.test(toStr(this.eval(e.a))) !== e.negate ? 1 : 0
      }
      case 'bin': {
        if (e.op === '&&') return truthy(this.eval(e.a)) && truthy(this.eval(e.b)) ? 1 : 0
        if (e.op === '||') return truthy(this.eval(e.a)) || truthy(this.eval(e.b)) ? 1 : 0
        const a = this.eval(e.a)
        const b = this.eval(e.b)
        if (e.op === 'concat') return toStr(a) + toStr(b)
        switch (e.op) {
          case '<': return compare(a, b) < 0 ? 1 : 0
          case '<=': return compare(a, b) <= 0 ? 1 : 0
          case '>': return compare(a, b) > 0 ? 1 : 0
          case '>=': return compare(a, b) >= 0 ? 1 : 0
          case '==': return compare(a, b) === 0 ? 1 : 0
          case '!=': return compare(a, b) !== 0 ? 1 : 0
        }
        return arith(e.op, toNum(a), toNum(b))
      }
      case 'call': return this.call(e.name, e.args)
    }
  }

  private call(name: string, args: Expr[]): Value {
    const s = (i: number) => (args[i] ? toStr(this.eval(args[i])) : '')
    const n = (i: number) => (args[i] ? toNum(this.eval(args[i])) : 0)
    switch (name) {
      case 'length': {
        if (args.length === 0) return [...this.fields[0]].length
        const a = args[0]
        if (a.k === 'var' && this.arrays.has(a.name)) return this.arrays.get(a.name)!.size
        return [...s(0)].length
      }
      case 'substr': {
        const str = [...s(0)]
        const m = Math.round(n(1))
        const len = args.length > 2 ? Math.round(n(2)) : Infinity
        // gawk: a start before 1 is taken as 1 (the length is kept).
        const start = Math.max(1, m)
        const end = len === Infinity ? str.length + 1 : start + len
        return str.slice(start - 1, Math.max(start - 1, end - 1)).join('')
      }
      case 'index': return s(0).indexOf(s(1)) + 1
      case 'split': {
        const target = args[1]
        if (!target || target.k !== 'var') throw new Error('split: second argument is not an array')
        const str = s(0)
        const fs = args[2] ? (args[2].k === 're' ? args[2].re : toStr(this.eval(args[2]))) : toStr(this.get('FS'))
        let parts: string[]
        if (fs === ' ') parts = str.split(/[ \t\n]+/).filter((x) => x !== '')
        else if (str === '') parts = []
        else if (typeof fs === 'string' && fs.length === 1) parts = str.split(fs)
        else parts = str.split(typeof fs === 'string' ? posixRegExp(fs, { extended: true }) : fs)
        const arr = this.array(target.name)
        arr.clear()
        parts.forEach((p, i) => arr.set(String(i + 1), new StrNum(p)))
        return parts.length
      }
      case 'sub': case 'gsub': {
        const re = this.regexOf(args[0])
        const repl = s(1)
        const target: Expr = args[2] ?? { k: 'field', index: { k: 'num', v: 0 } }
        const str = toStr(this.eval(target))
        let count = 0
        const g = new RegExp(re.source, re.flags.replace('g', '') + (name === 'gsub' ? 'g' : ''))
        const result = str.replace(g, (m) => {
          count++
          return repl.replace(/\\\\|\\&|&/g, (x) => (x === '&' ? m : x === '\\&' ? '&' : '\\'))
        })
        if (count > 0) this.assign(target, result)
        return count
      }
      case 'match': {
        const re = this.regexOf(args[1])
        const m = new RegExp(re.source, re.flags.replace('g', '')).exec(s(0))
        this.set('RSTART', m ? m.index + 1 : 0)
        this.set('RLENGTH', m ? m[0].length : -1)
        return m ? m.index + 1 : 0
      }
      case 'sprintf': return sprintf(s(0), args.slice(1).map((a) => this.eval(a)))
      case 'tolower': return s(0).toLowerCase()
      case 'toupper': return s(0).toUpperCase()
      case 'int': return Math.trunc(n(0))
      case 'sqrt': return Math.sqrt(n(0))
      case 'exp': return Math.exp(n(0))
      case 'log': return Math.log(n(0))
      case 'sin': return Math.sin(n(0))
      case 'cos': return Math.cos(n(0))
      case 'atan2': return Math.atan2(n(0), n(1))
      // Output reaches the node's files as it is printed: nothing to close or flush.
      case 'close': case 'fflush': return 0
    }
    throw new AwkUnsupported(`${name}()`)
  }

  exec(s: Stmt): void {
    if (++this.steps > STEP_LIMIT) throw new Error(`stopped after ${STEP_LIMIT} statements (the console has no Ctrl+C)`)
    switch (s.k) {
      case 'print': {
        let text: string
        if (s.printf) {
          const vals = s.args.map((a) => this.eval(a))
          text = sprintf(toStr(vals[0]), vals.slice(1))
        } else {
          const vals = s.args.length === 0 ? [this.getField(0)] : s.args.map((a) => this.eval(a))
          text = vals.map((v) => (typeof v === 'number' ? numToStr(v, toStr(this.get('OFMT'))) : toStr(v))).join(toStr(this.get('OFS'))) + toStr(this.get('ORS'))
        }
        if (s.dest) {
          const file = toStr(this.eval(s.dest.file))
          if (file === '/dev/stdout' || file === '-') this.out += text
          else if (file === '/dev/stderr') { this.flush(); this.ctx.err(text) }
          else {
            const path = this.ctx.shell.resolve(file)
            const first = !this.files.has(path)
            this.files.set(path, (first ? '' : this.files.get(path)!) + text)
            this.ctx.shell.fs.writeFile(path, text, this.ctx.shell.now(), !first || s.dest.append)
          }
        } else this.out += text
        return
      }
      case 'expr': this.eval(s.e); return
      case 'block': for (const x of s.body) this.exec(x); return
      case 'if': if (truthy(this.eval(s.c))) this.exec(s.then); else if (s.else) this.exec(s.else); return
      case 'while': while (truthy(this.eval(s.c))) { if (this.loopBody(s.body)) break } return
      case 'do': do { if (this.loopBody(s.body)) break } while (truthy(this.eval(s.c))); return
      case 'for':
        if (s.init) this.eval(s.init)
        while (!s.c || truthy(this.eval(s.c))) {
          if (this.loopBody(s.body)) break
          if (s.step) this.eval(s.step)
        }
        return
      case 'forin':
        for (const k of [...this.array(s.arr).keys()]) {
          if (!this.array(s.arr).has(k)) continue
          this.set(s.v, new StrNum(k))
          if (this.loopBody(s.body)) break
        }
        return
      case 'next': throw new NextSignal()
      case 'exit': throw new ExitAwk(s.e ? Math.trunc(toNum(this.eval(s.e))) : 0)
      case 'break': throw new BreakSignal()
      case 'continue': throw new ContinueSignal()
      case 'delete':
        if (s.subs) this.array(s.name).delete(this.key(s.subs))
        else this.array(s.name).clear()
    }
  }

  /** True when the loop should stop (break). */
  private loopBody(body: Stmt): boolean {
    if (++this.steps > STEP_LIMIT) throw new Error(`stopped after ${STEP_LIMIT} statements (the console has no Ctrl+C)`)
    try {
      this.exec(body)
    } catch (e) {
      if (e instanceof BreakSignal) return true
      if (e instanceof ContinueSignal) return false
      throw e
    }
    return false
  }

  flush(): void {
    this.ctx.out(this.out)
    this.out = ''
  }
}

function arith(op: string, a: number, b: number): number {
  switch (op) {
    case '+': return a + b
    case '-': return a - b
    case '*': return a * b
    case '/': if (b === 0) throw new Error('division by zero attempted'); return a / b
    case '%': if (b === 0) throw new Error('division by zero attempted in `%\''); return a % b
    case '^': return a ** b
  }
  return NaN
}

// ------------------------------------------------------------------------------------------ the command

function syntaxMessage(src: string, pos: number, message: string): string {
  const before = src.slice(0, pos)
  const lineNo = before.split('\n').length
  const lineStart = before.lastIndexOf('\n') + 1
  const lineEnd = src.indexOf('\n', pos)
  const line = src.slice(lineStart, lineEnd < 0 ? undefined : lineEnd)
  return `awk: cmd. line:${lineNo}: ${line}\nawk: cmd. line:${lineNo}: ${' '.repeat(pos - lineStart)}^ ${message}\n`
}

/** -v and operand assignments: the value's escape sequences are processed, as awk does. */
function assignmentValue(v: string): StrNum {
  return new StrNum(v.replace(/\\(n|t|\\|"|\/)/g, (_, c: string) => ({ n: '\n', t: '\t', '\\': '\\', '"': '"', '/': '/' })[c]!))
}

export const awk: ShellCommand = (ctx) => {
  const args = [...ctx.args]
  let fs: string | undefined
  const assigns: [string, string][] = []
  let ignoreCase = false
  let i = 0
  for (; i < args.length; i++) {
    const a = args[i]
    if (a === '--') { i++; break }
    if (a.startsWith('-F')) { fs = a.length > 2 ? a.slice(2) : args[++i]; continue }
    if (a.startsWith('-v')) {
      const v = a.length > 2 ? a.slice(2) : args[++i]
      const m = v === undefined ? null : /^([A-Za-z_]\w*)=(.*)$/s.exec(v)
      if (!m) { ctx.err(`awk: \`${v ?? ''}' argument to \`-v' not in \`var=value' form\n`); return 2 }
      assigns.push([m[1], m[2]])
      continue
    }
    if (a === '-f') { ctx.err('awk: -f: program files are not supported by this simulated shell (give the program text)\n'); return 2 }
    if (a === '--ignore-case' || a === '-i') { ignoreCase = true; continue }
    if (a.startsWith('-') && a !== '-') { ctx.err(`awk: ${a}: option not supported by this simulated shell (awk [-F fs] [-v var=value] 'program' [file ...])\n`); return 2 }
    break
  }
  const program = args[i++]
  if (program === undefined) {
    ctx.err("Usage: awk [POSIX or GNU style options] -f progfile [--] file ...\nUsage: awk [POSIX or GNU style options] [--] 'program' file ...\n")
    return 2
  }
  let rules: Rule[]
  try {
    rules = new AwkParser(lex(program), ignoreCase).program()
  } catch (e) {
    if (e instanceof AwkSyntaxError) { ctx.err(syntaxMessage(program, e.pos, e.message)); return 1 }
    if (e instanceof AwkUnsupported) { ctx.err(`awk: ${e.message}: not supported by this simulated shell's awk\n`); return 2 }
    throw e
  }
  const rt = new AwkRuntime(ctx)
  if (fs !== undefined) rt.set('FS', fs === 't' ? '\t' : fs.replace(/\\t/g, '\t'))
  for (const [k, v] of assigns) rt.set(k, assignmentValue(v))
  const operands = args.slice(i)
  let status = 0
  const runMain = (record: string): boolean => {
    rt.set('NR', toNum(rt.get('NR')) + 1)
    rt.set('FNR', toNum(rt.get('FNR')) + 1)
    rt.setRecord(record)
    try {
      for (const r of rules) {
        if (r.kind !== 'main') continue
        let hit: boolean
        if (r.pattern2) {
          if (r.inRange) { hit = true; if (truthy(rt.eval(r.pattern2))) r.inRange = false }
          else if (truthy(rt.eval(r.pattern!))) { hit = true; r.inRange = !truthy(rt.eval(r.pattern2)) }
          else hit = false
        } else hit = !r.pattern || truthy(rt.eval(r.pattern))
        if (!hit) continue
        if (r.action) for (const s of r.action) rt.exec(s)
        else rt.exec({ k: 'print', args: [], printf: false })
      }
    } catch (e) {
      if (e instanceof NextSignal) return true
      throw e
    }
    return true
  }
  try {
    try {
      for (const r of rules) if (r.kind === 'begin') for (const s of r.action!) rt.exec(s)
      const needInput = rules.some((r) => r.kind !== 'begin')
      if (needInput) {
        const inputs = operands.length === 0 ? ['-'] : operands
        let read = false
        for (const f of inputs) {
          const m = /^([A-Za-z_]\w*)=(.*)$/s.exec(f)
          if (m) { rt.set(m[1], assignmentValue(m[2])); continue }
          read = true
          let text: string
          try {
            text = f === '-' ? ctx.stdin() : ctx.shell.fs.readFile(ctx.shell.resolve(f))
          } catch (e) {
            if (!(e instanceof FsError)) throw e
            rt.flush()
            if (e.code === 'EISDIR') { ctx.err(`awk: warning: command line argument \`${f}' is a directory: skipped\n`); continue }
            ctx.err(`awk: fatal: cannot open file \`${f}' for reading: ${e.message}\n`)
            return 2
          }
          rt.set('FILENAME', f === '-' ? '' : f)
          rt.set('FNR', 0)
          const records = text === '' ? [] : text.replace(/\n$/, '').split('\n')
          for (const rec of records) runMain(rec)
        }
        if (!read) {
          rt.set('FILENAME', '')
          const text = ctx.stdin()
          for (const rec of text === '' ? [] : text.replace(/\n$/, '').split('\n')) runMain(rec)
        }
      }
    } catch (e) {
      if (!(e instanceof ExitAwk)) throw e
      status = e.status
    }
    // END rules run after exit in BEGIN or main too (an exit inside END stops them).
    try {
      for (const r of rules) if (r.kind === 'end') for (const s of r.action!) rt.exec(s)
    } catch (e) {
      if (e instanceof NextSignal) throw new Error('`next\' used in END action')
      if (!(e instanceof ExitAwk)) throw e
      status = e.status
    }
  } catch (e) {
    rt.flush()
    if (e instanceof AwkUnsupported) { ctx.err(`awk: ${e.message}: not supported by this simulated shell's awk\n`); return 2 }
    if (e instanceof RegexError) { ctx.err(`awk: fatal: ${e.message}\n`); return 2 }
    if (e instanceof NextSignal || e instanceof BreakSignal || e instanceof ContinueSignal) { ctx.err('awk: fatal: break, continue or next outside their context\n'); return 2 }
    if (e instanceof Error) { ctx.err(`awk: cmd. line:1: fatal: ${e.message}\n`); return 2 }
    throw e
  }
  rt.flush()
  return status & 255
}
