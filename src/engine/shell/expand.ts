/**
 * Word expansion in bash's order: tilde, parameters (`$x`, `${x:-d}`, `${#x}`, `$?`), command
 * substitution (`$(…)`, backquotes: trailing newlines removed), arithmetic (`$((…))`), then field
 * splitting of unquoted expansion results on blanks, pathname expansion (globs) of unquoted wildcards, and
 * quote removal. Assignment values and redirection targets skip splitting and globbing.
 */
import type { List, Word, WordPart } from './ast.ts'
import type { Filesystem } from './filesystem.ts'
import { escapeRe, expandPathname, globSource, hasGlob, unescapeGlob } from './glob.ts'
import { evaluateArithmetic } from './arithmetic.ts'
import { ExpansionError } from './signals.ts'

export interface ExpansionContext {
  readonly fs: Filesystem
  readonly cwd: string
  readonly home: string
  /** A variable or special parameter ($?, $$, $#, $0, $1, …); undefined when unset. */
  param(name: string): string | undefined
  setVar(name: string, value: string): void
  /** Run a command substitution; its standard output. */
  substitute(list: List): string
}

interface Piece {
  text: string
  /** Quoted text is never split and its wildcards are literal. */
  quoted: boolean
  /** The result of an unquoted expansion: split on blanks. */
  split: boolean
}

const IFS = ' \t\n'

/** The fields of words, as a command's arguments are made. */
export function expandWords(ctx: ExpansionContext, words: readonly Word[]): string[] {
  const out: string[] = []
  for (const w of words) for (const b of braceExpand(w)) out.push(...expandWord(ctx, b))
  return out
}

/**
 * Brace expansion, before every other expansion: `a{b,c}d` (nested too) and `{1..5}`, `{a..e}` sequences,
 * for braces within one unquoted stretch of the word. `{a}` and quoted braces stay as they are.
 */
export function braceExpand(word: Word): Word[] {
  for (let p = 0; p < word.parts.length; p++) {
    const part = word.parts[p]
    if (part.type !== 'literal') continue
    const found = findBrace(part.text)
    if (!found) continue
    const { start, end, alternatives } = found
    return alternatives.flatMap((alt) => braceExpand({
      offset: word.offset,
      parts: [...word.parts.slice(0, p), { type: 'literal', text: part.text.slice(0, start) + alt + part.text.slice(end + 1) }, ...word.parts.slice(p + 1)],
    }))
  }
  return [word]
}

function findBrace(text: string): { start: number; end: number; alternatives: string[] } | undefined {
  for (let start = text.indexOf('{'); start >= 0; start = text.indexOf('{', start + 1)) {
    let depth = 0
    const commas: number[] = []
    let end = -1
    for (let i = start; i < text.length; i++) {
      if (text[i] === '{') depth++
      else if (text[i] === '}') { depth--; if (depth === 0) { end = i; break } }
      else if (text[i] === ',' && depth === 1) commas.push(i)
    }
    if (end < 0) return undefined
    const body = text.slice(start + 1, end)
    if (commas.length > 0) {
      const bounds = [start, ...commas, end]
      return { start, end, alternatives: bounds.slice(0, -1).map((b, i) => text.slice(b + 1, bounds[i + 1])) }
    }
    const seq = /^(-?\d+)\.\.(-?\d+)(?:\.\.(-?\d+))?$/.exec(body) ?? /^([a-zA-Z])\.\.([a-zA-Z])(?:\.\.(-?\d+))?$/.exec(body)
    if (seq) {
      const numeric = /\d/.test(seq[1])
      const a = numeric ? Number(seq[1]) : seq[1].charCodeAt(0)
      const b = numeric ? Number(seq[2]) : seq[2].charCodeAt(0)
      const step = Math.abs(Number(seq[3] ?? 1)) || 1
      const width = numeric && (/^-?0\d/.test(seq[1]) || /^-?0\d/.test(seq[2])) ? Math.max(seq[1].length, seq[2].length) : 0
      const alternatives: string[] = []
      for (let v = a; a <= b ? v <= b : v >= b; v += a <= b ? step : -step) {
        alternatives.push(numeric ? (v < 0 ? '-' + String(-v).padStart(width - 1, '0') : String(v).padStart(width, '0')) : String.fromCharCode(v))
        if (alternatives.length > 100_000) break
      }
      return { start, end, alternatives }
    }
  }
  return undefined
}

export function expandWord(ctx: ExpansionContext, word: Word): string[] {
  const pieces = piecesOf(ctx, word.parts, false)
  const fields: { text: string; pattern: string }[] = []
  let cur: { text: string; pattern: string } | undefined
  for (const p of pieces) {
    if (p.split) {
      for (const ch of p.text) {
        if (IFS.includes(ch)) {
          if (cur) fields.push(cur)
          cur = undefined
        } else {
          cur ??= { text: '', pattern: '' }
          cur.text += ch
          cur.pattern += ch === '\\' ? '\\\\' : ch
        }
      }
      continue
    }
    cur ??= { text: '', pattern: '' }
    cur.text += p.text
    cur.pattern += p.quoted ? p.text.replace(/[\\*?[\]]/g, '\\$&') : p.text
  }
  if (cur) fields.push(cur)
  const result: string[] = []
  for (const f of fields) {
    if (hasGlob(f.pattern)) {
      const matches = expandPathname(ctx.fs, ctx.cwd, f.pattern)
      if (matches.length > 0) { result.push(...matches); continue }
      result.push(unescapeGlob(f.pattern))
      continue
    }
    result.push(f.text)
  }
  return result
}

/** One string: no splitting, no globbing (assignments, here-documents, redirection targets, case words). */
export function expandString(ctx: ExpansionContext, word: Word): string {
  return piecesOf(ctx, word.parts, false).map((p) => p.text).join('')
}

function piecesOf(ctx: ExpansionContext, parts: readonly WordPart[], inDouble: boolean): Piece[] {
  const out: Piece[] = []
  for (const part of parts) {
    switch (part.type) {
      case 'literal': out.push({ text: part.text, quoted: inDouble, split: false }); break
      case 'quoted': out.push({ text: part.text, quoted: true, split: false }); break
      case 'double': {
        const inner = piecesOf(ctx, part.parts, true)
        out.push({ text: inner.map((p) => p.text).join(''), quoted: true, split: false })
        break
      }
      case 'tilde': out.push({ text: ctx.home, quoted: true, split: false }); break
      case 'param': out.push({ text: expandParam(ctx, part), quoted: inDouble, split: !inDouble }); break
      case 'command': out.push({ text: ctx.substitute(part.list).replace(/\n+$/, ''), quoted: inDouble, split: !inDouble }); break
      case 'arith': {
        const text = expandString(ctx, part.expr)
        out.push({ text: String(evaluateArithmetic(text, (n) => ctx.param(n), (n, v) => ctx.setVar(n, String(v)))), quoted: inDouble, split: !inDouble })
        break
      }
    }
  }
  return out
}

function expandParam(ctx: ExpansionContext, part: Extract<WordPart, { type: 'param' }>): string {
  const value = ctx.param(part.name)
  const arg = () => (part.arg ? expandString(ctx, part.arg) : '')
  switch (part.op) {
    case undefined: return value ?? ''
    case 'length': return String([...(value ?? '')].length)
    case ':-': return value ? value : arg()
    case '-': return value !== undefined ? value : arg()
    case ':+': return value ? arg() : ''
    case '+': return value !== undefined ? arg() : ''
    case ':=': case '=': {
      if (part.op === ':=' ? value : value !== undefined) return value ?? ''
      if (!/^[A-Za-z_]/.test(part.name)) throw new ExpansionError(`$${part.name}: cannot assign in this way`)
      const v = arg()
      ctx.setVar(part.name, v)
      return v
    }
    case '#': case '##': case '%': case '%%': {
      const v = value ?? ''
      const pattern = part.arg ? patternOf(ctx, part.arg) : ''
      const greedy = part.op.length === 2
      return part.op[0] === '#' ? trimPrefix(v, pattern, greedy) : trimSuffix(v, pattern, greedy)
    }
  }
}

/** A pattern (`${x#pattern}`, a case pattern) as regular-expression source (quoted parts literal). */
export function patternOf(ctx: ExpansionContext, word: Word): string {
  const pieces = piecesOf(ctx, word.parts, false)
  return pieces.map((p) => (p.quoted ? escapeRe(p.text) : globSource(p.text))).join('')
}

function trimPrefix(v: string, pattern: string, greedy: boolean): string {
  // Every prefix length: shortest first for #, longest first for ##.
  const re = new RegExp(`^(?:${pattern})$`)
  const lengths = [...Array(v.length + 1).keys()]
  if (greedy) lengths.reverse()
  for (const n of lengths) if (re.test(v.slice(0, n))) return v.slice(n)
  return v
}

function trimSuffix(v: string, pattern: string, greedy: boolean): string {
  const re = new RegExp(`^(?:${pattern})$`)
  const starts = [...Array(v.length + 1).keys()]
  if (!greedy) starts.reverse()
  for (const s of starts) if (re.test(v.slice(s))) return v.slice(0, s)
  return v
}
