/**
 * tr as GNU coreutils 9.1: translate SET1 to SET2 (SET2 padded with its last character), -d deletes,
 * -s squeezes repeats (of SET2 when translating, else of SET1), -c complements SET1. Sets know ranges
 * (a-z), classes ([:upper:] [:lower:] [:digit:] [:space:] [:alpha:] [:alnum:] [:punct:] [:blank:]) and
 * escapes (\n \t \\ \NNN).
 */
import type { ShellCommand } from '../command.ts'
import { getopt, has } from '../getopt.ts'
import { lookup } from '../lookup.ts'

const CLASS_CHARS: Record<string, () => string[]> = {
  upper: () => range('A', 'Z'), lower: () => range('a', 'z'), digit: () => range('0', '9'),
  alpha: () => [...range('A', 'Z'), ...range('a', 'z')], alnum: () => [...range('0', '9'), ...range('A', 'Z'), ...range('a', 'z')],
  space: () => [' ', '\t', '\n', '\v', '\f', '\r'], blank: () => [' ', '\t'],
  punct: () => range('!', '~').filter((c) => !/[A-Za-z0-9]/.test(c)), xdigit: () => [...range('0', '9'), ...range('A', 'F'), ...range('a', 'f')],
}

function range(a: string, b: string): string[] {
  const out: string[] = []
  for (let c = a.charCodeAt(0); c <= b.charCodeAt(0); c++) out.push(String.fromCharCode(c))
  return out
}

function unescape(s: string, i: number): { ch: string; next: number } {
  if (s[i] !== '\\' || i + 1 >= s.length) return { ch: s[i], next: i + 1 }
  const oct = /^[0-7]{1,3}/.exec(s.slice(i + 1))
  if (oct) return { ch: String.fromCharCode(parseInt(oct[0], 8)), next: i + 1 + oct[0].length }
  const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', a: '\x07', b: '\b', f: '\f', v: '\v' }
  return { ch: map[s[i + 1]] ?? s[i + 1], next: i + 2 }
}

function expandSet(s: string): string[] | string {
  const out: string[] = []
  for (let i = 0; i < s.length;) {
    const cls = /^\[:([a-z]+):\]/.exec(s.slice(i))
    if (cls) {
      const f = lookup(CLASS_CHARS, cls[1])
      if (!f) return `invalid character class '${cls[1]}'`
      out.push(...f())
      i += cls[0].length
      continue
    }
    const a = unescape(s, i)
    if (s[a.next] === '-' && a.next + 1 < s.length) {
      const b = unescape(s, a.next + 1)
      if (b.ch < a.ch) return `range-endpoints of '${a.ch}-${b.ch}' are in reverse collating sequence order`
      out.push(...range(a.ch, b.ch))
      i = b.next
      continue
    }
    out.push(a.ch)
    i = a.next
  }
  return out
}

export const tr: ShellCommand = (ctx) => {
  const p = getopt(ctx.args, { flags: 'dscC', long: { delete: { short: 'd', arg: false }, 'squeeze-repeats': { short: 's', arg: false }, complement: { short: 'c', arg: false } } })
  const TRY = "Try 'tr --help' for more information.\n"
  if (!p.ok) { ctx.err(`tr: ${p.message}\n${TRY}`); return 1 }
  const del = has(p, 'd')
  const squeeze = has(p, 's')
  const complement = has(p, 'c') || has(p, 'C')
  const [s1, s2] = p.operands
  if (s1 === undefined) { ctx.err(`tr: missing operand\n${TRY}`); return 1 }
  if (!del && !squeeze && s2 === undefined) { ctx.err(`tr: missing operand after '${s1}'\nTwo strings must be given when translating.\n${TRY}`); return 1 }
  if (del && !squeeze && s2 !== undefined) { ctx.err(`tr: extra operand '${s2}'\nOnly one string may be given when deleting without squeezing repeats.\n${TRY}`); return 1 }
  const set1 = expandSet(s1)
  if (typeof set1 === 'string') { ctx.err(`tr: ${set1}\n`); return 1 }
  const set2r = s2 !== undefined ? expandSet(s2) : []
  if (typeof set2r === 'string') { ctx.err(`tr: ${set2r}\n`); return 1 }
  const in1 = (c: string) => set1.includes(c) !== complement
  const text = ctx.stdin()
  let out = ''
  const translating = !del && s2 !== undefined
  const map = new Map<string, string>()
  if (translating && !complement) {
    if (set2r.length === 0) { ctx.err('tr: when not truncating set1, string2 must be non-empty\n'); return 1 }
    set1.forEach((c, i) => map.set(c, set2r[Math.min(i, set2r.length - 1)]))
  }
  const squeezeSet = translating || del ? set2r : set1
  let last: string | undefined
  for (const c of text) {
    if (del && in1(c)) continue
    let o = c
    if (translating) o = complement ? (in1(c) ? set2r[set2r.length - 1] : c) : map.get(c) ?? c
    if (squeeze && o === last && (squeezeSet.includes(o) !== (complement && !translating && !del))) continue
    out += o
    last = o
  }
  ctx.out(out)
  return 0
}
