/**
 * `-m string --algo bm|kmp [!] --string S | --hex-string "|..|" [--from N] [--to N] [--icase]`: a byte
 * pattern (at most 128 bytes) anywhere in the packet from its IP header on, between the offsets `--from`
 * and `--to`. iptables prints a pattern with a byte that is not printable as `--hex-string`. The kernel
 * refuses an empty pattern or `--from` after `--to` (EINVAL) and an algorithm it has no module for
 * (ENOENT). Of the kernel's algorithms only bm and kmp take a plain pattern; fsm refuses one (EINVAL).
 */
import type { MatchModule } from '../module-api.ts'
import { ParameterProblem } from '../module-api.ts'
import { joinParts } from '../values.ts'
import { cutBytes, xtUint } from '../xtopt.ts'
import { packetBytes } from '../packet-bytes.ts'

const MAX_PATTERN = 128
const ALGOS = new Set(['bm', 'kmp'])

export interface StringOptions {
  /** The pattern, one character per byte (0-255). */
  pattern: string
  algo: string
  from: number
  to: number
  icase: boolean
  inverted: boolean
}

/** Bytes of a command-line argument, one character per byte. */
function argBytes(text: string): string {
  let out = ''
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? 0
    if (c < 0x80) out += ch
    else if (c < 0x800) out += String.fromCharCode(0xc0 | (c >> 6), 0x80 | (c & 63))
    else if (c < 0x10000) out += String.fromCharCode(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63))
    else out += String.fromCharCode(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63))
  }
  return out
}

function parseHexString(s: string): string {
  if (s.length === 0) throw new ParameterProblem('STRING must contain at least one char')
  let out = ''
  let i = 0
  let hex = false
  let literal = false
  const isX = (c: string | undefined) => c !== undefined && /[0-9a-fA-F]/.test(c)
  while (i < s.length) {
    if (out.length >= MAX_PATTERN) throw new ParameterProblem(`STRING too long "${s}"`)
    if (s[i] === '\\' && !hex) literal = true
    else if (s[i] === '\\') throw new ParameterProblem('Cannot include literals in hex data')
    else if (s[i] === '|') {
      if (hex) hex = false
      else {
        hex = true
        while (s[i + 1] === ' ') i++
      }
      if (i + 1 >= s.length) break
      i++
    }
    if (literal) {
      if (i + 1 >= s.length) throw new ParameterProblem('Bad literal placement at end of string')
      out += s[i + 1]
      i += 2
      literal = false
    } else if (hex) {
      if (i + 1 >= s.length) throw new ParameterProblem('Odd number of hex digits')
      if (i + 2 >= s.length) throw new ParameterProblem('Invalid hex block')
      if (!isX(s[i])) throw new ParameterProblem(`Invalid hex char '${s[i]}'`)
      if (!isX(s[i + 1])) throw new ParameterProblem(`Invalid hex char '${s[i + 1]}'`)
      out += String.fromCharCode(parseInt(s.slice(i, i + 2), 16))
      i += s[i + 2] === ' ' ? 3 : 2
    } else {
      out += s[i]
      i++
    }
  }
  return out
}

/** isprint() in the C locale, and no trailing backslash: else iptables prints the pattern in hex. */
function printsAsHex(p: string): boolean {
  for (const c of p) {
    const n = c.charCodeAt(0)
    if (n < 0x20 || n > 0x7e) return true
  }
  return p.endsWith('\\')
}

function patternText(p: string): string {
  if (printsAsHex(p)) return `"|${[...p].map((c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join('')}|"`
  return `"${p.replace(/["\\]/g, (c) => `\\${c}`)}"`
}

export const stringMatch: MatchModule<StringOptions> = {
  kind: 'match',
  name: 'string',
  xtopt: true,
  options: [
    { name: 'from', arg: 'required', id: 0 }, { name: 'to', arg: 'required', id: 1 },
    { name: 'algo', arg: 'required', mandatory: true, id: 2 },
    { name: 'string', arg: 'required', invertible: true, excl: ['hex-string'], id: 4 },
    { name: 'hex-string', arg: 'required', invertible: true, excl: ['string'], id: 5 },
    { name: 'icase', arg: 'none', id: 3 },
  ],
  create: () => ({ pattern: '', algo: '', from: 0, to: 0xffff, icase: false, inverted: false }),
  parse(o, option, arg, inverted) {
    const text = arg ?? ''
    switch (option) {
      case 'from': o.from = xtUint('string', option, text, 16); return
      case 'to': o.to = xtUint('string', option, text, 16); return
      case 'algo': o.algo = cutBytes(text, 15); return
      case 'icase': o.icase = true; return
      case 'string': {
        const bytes = argBytes(text)
        if (bytes.length > MAX_PATTERN) throw new ParameterProblem(`STRING too long "${text}"`)
        o.pattern = bytes
        if (inverted) o.inverted = true
        return
      }
      case 'hex-string':
        o.pattern = parseHexString(argBytes(text))
        if (inverted) o.inverted = true
    }
  },
  finalCheck(_o, env) {
    if (!env.seen.includes('string') && !env.seen.includes('hex-string')) {
      throw new ParameterProblem("STRING match: You must specify `--string' or `--hex-string'")
    }
  },
  kernelCheck(o) {
    if (o.algo === 'fsm') return 'EINVAL'
    if (!ALGOS.has(o.algo)) return 'ENOENT'
    if (o.pattern.length === 0 || o.from > o.to) return 'EINVAL'
    return undefined
  },
  save: (o) => joinParts([
    `${o.inverted ? '! ' : ''}--${printsAsHex(o.pattern) ? 'hex-string' : 'string'} ${patternText(o.pattern)}`, `--algo ${o.algo}`,
    o.from !== 0 && `--from ${o.from}`, o.to !== 0xffff && `--to ${o.to}`, o.icase && '--icase',
  ]),
  list: (o) => joinParts([
    `STRING match ${o.inverted ? '!' : ''} ${patternText(o.pattern)}`, `ALGO name ${o.algo}`,
    o.from !== 0 && `FROM ${o.from}`, o.to !== 0xffff && `TO ${o.to}`, o.icase && 'ICASE',
  ]),
  evaluate(o, ctx) {
    const bytes = packetBytes(ctx.packet)
    const end = Math.min(o.to, bytes.length)
    const norm = (c: number) => (o.icase && c >= 0x41 && c <= 0x5a ? c + 32 : c)
    const pat = [...o.pattern].map((c) => norm(c.charCodeAt(0)))
    let at = -1
    for (let i = o.from; i + pat.length <= end && at < 0; i++) {
      if (pat.every((c, k) => norm(bytes[i + k]) === c)) at = i
    }
    const hit = at >= 0
    const payload = ctx.packet.payload === undefined ? ' (the simulated packet carries zero bytes as payload)' : ''
    return [{
      clause: `-m string ${this.save(o)}`, matched: hit !== o.inverted,
      why: `${hit ? `found at byte ${at}` : `not found in bytes ${o.from}-${end}`} of the ${bytes.length}-byte packet${payload}${o.inverted ? ' (negated)' : ''}`,
    }]
  },
}
