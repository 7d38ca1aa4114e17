/**
 * `$((…))`: bash's integer arithmetic for what loops and lessons use — decimal, 0x hex and 0 octal
 * numbers, variables by name, `+ - * / % **`, comparisons, `! && ||`, `?:`, parentheses. 64-bit wrap-around
 * is not modelled (JavaScript integers up to 2^53). Assignments (`= += -= *= /= %=`, `++`, `--`) set
 * shell variables.
 */
import { ExpansionError } from './signals.ts'

type Lookup = (name: string) => string | undefined
type Assign = (name: string, value: number) => void

const ASSIGN = new Set(['=', '+=', '-=', '*=', '/=', '%='])

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

export function evaluateArithmetic(expr: string, lookup: Lookup, assign?: Assign, depth = 0): number {
  const tokens = tokenize(expr)
  let pos = 0
  const peek = () => tokens[pos]
  const value = (name: string): number => {
    const v = lookup(name)
    if (v === undefined || v.trim() === '') return 0
    if (depth > 10) throw new ExpansionError(`${name}: expression recursion level exceeded`)
    return evaluateArithmetic(v, lookup, assign, depth + 1)
  }
  const store = (name: string, v: number): number => {
    if (!assign) throw new ExpansionError(`${expr.trim()}: attempted assignment to non-variable`)
    assign(name, v)
    return v
  }
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
    if ((t === '++' || t === '--') && /^[A-Za-z_]\w*$/.test(peek() ?? '')) {
      const name = tokens[pos++]
      return store(name, value(name) + (t === '++' ? 1 : -1))
    }
    if (/^[A-Za-z_]\w*$/.test(t)) {
      const op = peek()
      if (op === '++' || op === '--') {
        pos++
        const v = value(t)
        store(t, v + (op === '++' ? 1 : -1))
        return v
      }
      if (op !== undefined && ASSIGN.has(op)) {
        pos++
        const rhs = ternary()
        if (op === '=') return store(t, rhs)
        return store(t, BINARY.find((b) => b.ops.includes(op.slice(0, -1)))!.apply(value(t), rhs, op.slice(0, -1), expr))
      }
      return value(t)
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
  const re = /\s*(0x[0-9a-fA-F]+|\d+|[A-Za-z_]\w*|\*\*|<<|>>|<=|>=|==|!=|&&|\|\||\+\+|--|[-+*/%]=|[-+*/%()!~<>=&|^?:]|\S)/gy
  let m: RegExpExecArray | null
  while ((m = re.exec(expr)) !== null) out.push(m[1])
  return out
}
