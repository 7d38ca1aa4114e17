/**
 * `-m u32 [!] --u32 TESTS`: 32-bit words read at offsets of the packet (from the IP header), with `&`,
 * `<<`, `>>` and `@` (move the base by the value read), compared with values and ranges — up to ten tests
 * joined by `&&`, ten operands and ten values each (XT_U32_MAXSIZE). Parsed, printed and evaluated as
 * libxt_u32 and xt_u32 do, over the simulated packet's bytes (packet-bytes.ts).
 */
import type { MatchModule } from '../module-api.ts'
import { ParameterProblem } from '../module-api.ts'
import { xtStrtoulPrefix } from '../xtopt.ts'
import { packetBytes } from '../packet-bytes.ts'

const MAXSIZE = 10

type Op = '&' | '<<' | '>>' | '@'

interface U32Test {
  /** The first number, then operator and number pairs. */
  location: { op?: Op; number: number }[]
  values: [number, number][]
}

export interface U32Options {
  tests: U32Test[]
  inverted: boolean
}

const isSpace = (c: string | undefined) => c !== undefined && ' \t\n\v\f\r'.includes(c)

function parseNumber(arg: string, at: number): { value: number; end: number } {
  const r = xtStrtoulPrefix(arg.slice(at), 0n, 0xffffffffn)
  if (!r || r.end === 0) throw new ParameterProblem(`u32: at char ${at}: not a number or out of range`)
  return { value: Number(r.value), end: at + r.end }
}

/** libxt_u32's u32_parse, state machine and messages included. */
export function parseU32(arg: string): U32Test[] {
  const tests: U32Test[] = []
  let ct: U32Test = { location: [], values: [] }
  let state = 0
  let i = 0
  for (;;) {
    while (isSpace(arg[i])) i++
    if (i >= arg.length) {
      if (state === 0) throw new ParameterProblem('u32: abrupt end of input after location specifier')
      if (ct.values.length === 0) throw new ParameterProblem('u32: test ended with no value specified')
      tests.push(ct)
      if (tests.length > MAXSIZE) throw new ParameterProblem(`u32: at char ${i}: too many "&&"s`)
      return tests
    }
    if (state === 0) {
      if (arg[i] === '=') {
        if (ct.location.length === 0) throw new ParameterProblem(`u32: at char ${i}: location spec missing`)
        i++
        state = 1
        continue
      }
      let op: Op | undefined
      if (ct.location.length !== 0) {
        const c = arg[i]
        if (c === '&') op = '&'
        else if (c === '<') {
          if (arg[++i] !== '<') throw new ParameterProblem(`u32: at char ${i}: a second '<' was expected`)
          op = '<<'
        } else if (c === '>') {
          if (arg[++i] !== '>') throw new ParameterProblem(`u32: at char ${i}: a second '>' was expected`)
          op = '>>'
        } else if (c === '@') op = '@'
        else throw new ParameterProblem(`u32: at char ${i}: operator expected`)
        i++
      }
      const n = parseNumber(arg, i)
      i = n.end
      ct.location.push(op ? { op, number: n.value } : { number: n.value })
      if (ct.location.length > MAXSIZE) throw new ParameterProblem(`u32: at char ${i}: too many operators`)
      continue
    }
    if (arg[i] === '&') {
      if (arg[++i] !== '&') throw new ParameterProblem(`u32: at char ${i}: a second '&' was expected`)
      if (ct.values.length === 0) throw new ParameterProblem(`u32: at char ${i}: value spec missing`)
      tests.push(ct)
      if (tests.length > MAXSIZE) throw new ParameterProblem(`u32: at char ${i}: too many "&&"s`)
      ct = { location: [], values: [] }
      i++
      state = 0
      continue
    }
    if (ct.values.length > 0) {
      if (arg[i] !== ',') throw new ParameterProblem(`u32: at char ${i}: expected "," or "&&"`)
      i++
    }
    const lo = parseNumber(arg, i)
    i = lo.end
    while (isSpace(arg[i])) i++
    let hi = lo.value
    if (arg[i] === ':') {
      i++
      const h = parseNumber(arg, i)
      hi = h.value
      i = h.end
    }
    ct.values.push([lo.value, hi])
    if (ct.values.length > MAXSIZE) throw new ParameterProblem(`u32: at char ${i}: too many ","s`)
  }
}

const hex = (n: number) => `0x${(n >>> 0).toString(16)}`

/** The tests as u32_dump prints them: every number in hex, no blanks. */
export function u32Text(tests: U32Test[]): string {
  return tests.map((t) => {
    const loc = t.location.map((l) => `${l.op ?? ''}${hex(l.number)}`).join('')
    const vals = t.values.map(([a, b]) => (a === b ? hex(a) : `${hex(a)}:${hex(b)}`)).join(',')
    return `${loc}=${vals}`
  }).join('&&')
}

function word(bytes: number[], at: number): number {
  return ((bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3]) >>> 0
}

/** xt_u32's u32_match_it: the value of each test, or undefined when a read falls outside the packet. */
export function runU32(tests: U32Test[], bytes: number[]): { matched: boolean; trace: string[] } {
  const len = bytes.length
  const trace: string[] = []
  for (const t of tests) {
    let at = 0
    let pos = t.location[0].number
    if (len < 4 || pos > len - 4) {
      trace.push(`reading 4 bytes at ${pos} falls outside the ${len}-byte packet`)
      return { matched: false, trace }
    }
    let val = word(bytes, pos)
    for (const l of t.location.slice(1)) {
      const n = l.number
      // Shifts of 32 or more take the count modulo 32, as the x86 shift instruction does.
      if (l.op === '&') val = (val & n) >>> 0
      else if (l.op === '<<') val = (val << (n & 31)) >>> 0
      else if (l.op === '>>') val = val >>> (n & 31)
      else {
        if (at + val > 0xffffffff) return { matched: false, trace }
        at += val
        pos = n
        if (len < at + 4 || pos > len - at - 4) {
          trace.push(`reading 4 bytes at ${at}+${pos} falls outside the ${len}-byte packet`)
          return { matched: false, trace }
        }
        val = word(bytes, at + pos)
      }
    }
    const ok = t.values.some(([a, b]) => a <= val && val <= b)
    trace.push(`${u32Text([t])}: the value is ${hex(val)}`)
    if (!ok) return { matched: false, trace }
  }
  return { matched: true, trace }
}

export const u32Match: MatchModule<U32Options> = {
  kind: 'match',
  name: 'u32',
  xtopt: true,
  options: [{ name: 'u32', arg: 'required', invertible: true, mandatory: true }],
  create: () => ({ tests: [], inverted: false }),
  parse(o, _option, arg, inverted) {
    o.tests = parseU32(arg ?? '')
    o.inverted = inverted
  },
  save: (o) => `${o.inverted ? '! ' : ''}--u32 "${u32Text(o.tests)}"`,
  list: (o) => `u32${o.inverted ? ' !' : ''} "${u32Text(o.tests)}"`,
  evaluate(o, ctx) {
    const r = runU32(o.tests, packetBytes(ctx.packet))
    const payload = ctx.packet.payload === undefined ? ' (payload taken as zero bytes)' : ''
    return [{ clause: `-m u32 ${this.save(o)}`, matched: r.matched !== o.inverted, why: `${r.trace.join('; ')}${payload}${o.inverted ? ' (negated)' : ''}` }]
  },
}
