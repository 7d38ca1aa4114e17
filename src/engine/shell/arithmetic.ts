/**
 * `$((…))`: bash's integer arithmetic for what loops and lessons use — decimal, 0x hex and 0 octal
 * numbers, variables by name, `+ - * / % **`, comparisons, `! && ||`, `?:`, parentheses. 64-bit wrap-around
 * is not modelled (JavaScript integers up to 2^53). Assignments inside are refused.
 */
import { ExpansionError } from './expand.ts'

type Lookup = (name: string) => string | undefined

const BINARY: { ops: string[]; apply: (a: number, b: number, op: string, expr: string) => number }[] = [
  { ops: ['||'], apply: (a, b) => (a || b ? 1 : 0) },
  { ops: ['&&'], apply: (a, b) => (a && b ? 1 : 0) },
  { ops: ['|'], apply: (a, b) => a | b },
  { ops: ['^'], apply: (a, b) => a ^ b },
  { ops: ['&'], apply: (a, b) => a & b },
  { ops: ['==', '!='], apply: (a, b, op) => (op === '==' ? a === b : a !== b) ? 1 : 0 },
  { ops: ['<=', '>=', '<', '>'], apply: (a, b, op) => ({ '<=': a <= b, '>=': a >= b, '<': a < b, '>': a > b })[op] ? 1 : 0 },
  { ops: ['<<', '>>'], apply: (a, b, op) => (op === '<<' ? a << b : a >> b) },
  { ops: ['+', '-'], apply: (a, b, op) => (op === '+' ? a + b : a - b) },
  { ops: ['*', '/', '%'], apply: (a, b, op, expr) => {
    if (op !== '*' && b === 0) throw new ExpansionError(`${expr.trim()}: division by 0 (error token is "${expr.trim().split(op).pop()?.trim() ?? ''}")`)
    return op === '*' ? a * b : op === '/' ? Math.trunc(a / b) : a % b
  } },
]

export function evaluateArithmetic(expr: string, lookup: Lookup, depth = 0): number {
  const tokens = tokenize(expr)
  let pos = 0
  const peek = () => tokens[pos]
  const fail = (): never => {
    const rest = tokens.slice(pos).join(' ')
    throw new ExpansionError(`${expr.trim()}: syntax error: operand expected (error token is "${rest || expr.trim()}")`)
  }
  const primary = (): number => {
    const t = tokens[pos++]
    if (t === undefined) return fail()
    if (t === '(') {
      const v = ternary()
      if (tokens[pos++] !== ')') throw new ExpansionError(`${expr.trim()}: missing \`)' (error token is "${tokens.slice(pos - 1).join(' ')}")`)
      return v
    }
    if (t === '-') return -primary()
    if (t === '+') return primary()
    if (t === '!') return primary() ? 0 : 1
    if (t === '~') return ~primary()
    if (/^0x[0-9a-f]+$/i.test(t)) return parseInt(t, 16)
    if (/^0[0-7]+$/.test(t)) return parseInt(t, 8)
    if (/^\d+$/.test(t)) return Number(t)
    if (/^[A-Za-z_]\w*$/.test(t)) {
      if (peek() === '=' || peek() === '++' || peek() === '--' || peek()?.endsWith('=') && !['==', '!=', '<=', '>='].includes(peek()!)) {
        throw new ExpansionError(`${expr.trim()}: assignment in $((…)) is not supported by this simulated shell`)
      }
      const v = lookup(t)
      if (v === undefined || v.trim() === '') return 0
      if (depth > 10) throw new ExpansionError(`${t}: expression recursion level exceeded`)
      return evaluateArithmetic(v, lookup, depth + 1)
    }
    pos--
    return fail()
  }
  const power = (): number => {
    const base = primary()
    if (peek() === '**') { pos++; return base ** power() }
    return base
  }
  const level = (i: number): number => {
    if (i >= BINARY.length) return power()
    let v = level(i + 1)
    while (BINARY[i].ops.includes(peek() ?? '')) {
      const op = tokens[pos++]
      v = BINARY[i].apply(v, level(i + 1), op, expr)
    }
    return v
  }
  const ternary = (): number => {
    const c = level(0)
    if (peek() !== '?') return c
    pos++
    const a = ternary()
    if (tokens[pos++] !== ':') fail()
    const b = ternary()
    return c ? a : b
  }
  if (tokens.length === 0) return 0
  const v = ternary()
  if (pos < tokens.length) fail()
  return v
}

function tokenize(expr: string): string[] {
  const out: string[] = []
  const re = /\s*(0x[0-9a-fA-F]+|\d+|[A-Za-z_]\w*|\*\*|<<|>>|<=|>=|==|!=|&&|\|\||\+\+|--|[-+*/%()!~<>=&|^?:]|\S)/gy
  let m: RegExpExecArray | null
  while ((m = re.exec(expr)) !== null) out.push(m[1])
  return out
}
