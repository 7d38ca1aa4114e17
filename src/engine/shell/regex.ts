/**
 * POSIX regular expressions (basic and extended, with the GNU extensions grep, sed and awk accept: `\w`,
 * `\s`, `\b`, `\<`, `\>`, `\|`, `\+`, `\?` in basic syntax) translated to JavaScript RegExp source.
 * Bracket expressions keep POSIX meaning (a backslash inside is literal; `[:digit:]` classes). One
 * difference stays: JavaScript alternation takes the first alternative that matches where POSIX takes the
 * longest (`a|ab` on "ab" matches "a" here).
 */
import { lookup } from './lookup.ts'

export const POSIX_CLASSES: Record<string, string> = {
  alpha: 'A-Za-z', digit: '0-9', alnum: 'A-Za-z0-9', upper: 'A-Z', lower: 'a-z', space: ' \\t\\n\\r\\f\\v',
  blank: ' \\t', punct: '!-\\/:-@\\[-`{-~', xdigit: '0-9A-Fa-f', cntrl: '\\x00-\\x1f\\x7f', print: ' -~', graph: '!-~',
}

export class RegexError extends Error {}

export interface RegexSyntax {
  extended: boolean
}

/** JavaScript source for a POSIX regular expression. Throws RegexError with GNU's message. */
export function posixToJs(pattern: string, syntax: RegexSyntax): string {
  const ere = syntax.extended
  let out = ''
  let depth = 0
  /** At the start of the RE or of a group/alternative: `*` is literal there, `^` an anchor in BRE. */
  let atStart = true
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]
    const start = atStart
    atStart = false
    if (c === '\\') {
      const n = pattern[++i]
      if (n === undefined) throw new RegexError('Trailing backslash')
      if (!ere && n === '(') { out += '('; depth++; atStart = true; continue }
      if (!ere && n === ')') { if (depth === 0) throw new RegexError('Unmatched ) or \\)'); out += ')'; depth--; continue }
      if (!ere && n === '|') { out += '|'; atStart = true; continue }
      if (!ere && (n === '{' || n === '}' || n === '+' || n === '?')) {
        if (start && n !== '{' && n !== '}') { out += '\\' + n; continue }
        out += n
        continue
      }
      if (/[1-9]/.test(n)) { out += '\\' + n; continue }
      if ('wWsSbB'.includes(n)) { out += '\\' + n; continue }
      if (n === '<') { out += '\\b(?=\\w)'; continue }
      if (n === '>') { out += '\\b(?<=\\w)'; continue }
      if (n === '`') { out += '^'; continue }
      if (n === "'") { out += '$'; continue }
      if (n === 'n') { out += '\\n'; continue }
      if (n === 't') { out += '\\t'; continue }
      out += escapeChar(n)
      continue
    }
    if (c === '[') {
      const b = bracket(pattern, i)
      out += b.source
      i = b.end
      continue
    }
    if (c === '*') { out += start ? '\\*' : '*'; continue }
    if (c === '^') {
      if (ere || start) { out += '^'; atStart = !ere ? true : atStart; continue }
      out += '\\^'
      continue
    }
    if (c === '$') {
      const rest = pattern.slice(i + 1)
      if (ere || rest === '' || rest.startsWith('\\)') || rest.startsWith('\\|')) { out += '$'; continue }
      out += '\\$'
      continue
    }
    if (c === '.') { out += '.'; continue }
    if (ere) {
      if (c === '(') { out += '('; depth++; atStart = true; continue }
      if (c === ')') {
        if (depth === 0) throw new RegexError('Unmatched ) or \\)')
        out += ')'
        depth--
        continue
      }
      if (c === '|') { out += '|'; atStart = true; continue }
      if (c === '+' || c === '?') { out += start ? '\\' + c : c; continue }
      if (c === '{') {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i))
        if (m && !start) { out += m[0]; i += m[0].length - 1; continue }
        out += '\\{'
        continue
      }
      if (c === '}') { out += '\\}'; continue }
    }
    out += escapeChar(c)
  }
  if (depth > 0) throw new RegexError('Unmatched ( or \\(')
  return out
}

function escapeChar(c: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(c) ? '\\' + c : c
}

/**
 * A bracket expression at `start` as JavaScript source. Regular expressions negate with `^` and take a
 * backslash literally; shell patterns (`glob`) negate with `!` or `^` and let a backslash quote the next
 * character. Undefined for an unclosed bracket in a shell pattern (it is then a literal `[`).
 */
export function bracket(p: string, start: number, glob = false): { source: string; end: number } {
  let i = start + 1
  let negate = false
  if (p[i] === '^' || (glob && p[i] === '!')) { negate = true; i++ }
  let body = ''
  let first = true
  for (; i < p.length; i++) {
    const c = p[i]
    if (c === ']' && !first) return { source: `[${negate ? '^' : ''}${body}]`, end: i }
    first = false
    if (c === '[' && (p[i + 1] === ':' || p[i + 1] === '.' || p[i + 1] === '=')) {
      const kind = p[i + 1]
      const close = p.indexOf(kind + ']', i + 2)
      if (close < 0) throw new RegexError('Unmatched [, [^, [:, [., or [=')
      const name = p.slice(i + 2, close)
      if (kind === ':') {
        const cls = lookup(POSIX_CLASSES, name)
        if (cls === undefined) throw new RegexError('Invalid character class name')
        body += cls
      } else {
        body += escapeChar(name)
      }
      i = close + 1
      continue
    }
    if (glob && c === '\\' && i + 1 < p.length) { body += '\\' + p[++i]; continue }
    body += c === '\\' || c === ']' || c === '[' || c === '^' ? '\\' + c : c
  }
  throw new RegexError('Unmatched [, [^, [:, [., or [=')
}

/** A RegExp for a POSIX pattern (`flags` e.g. 'g', 'i'). */
export function posixRegExp(pattern: string, syntax: RegexSyntax, flags = ''): RegExp {
  const source = posixToJs(pattern, syntax)
  try {
    return new RegExp(source, flags)
  } catch {
    throw new RegexError('Invalid regular expression')
  }
}
