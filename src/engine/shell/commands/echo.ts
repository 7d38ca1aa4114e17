/**
 * echo (bash's builtin: -n, -e, -E, combined as -ne; the first word that is not such an option ends the
 * options) and printf (bash's builtin: the format is reused until the arguments are used up; %s %b %c %d %i
 * %u %o %x %X %e %f %g %% with flags, width and precision; `invalid number` for a non-number).
 */
import type { ShellCommand } from '../command.ts'

/** The backslash escapes of `echo -e` and printf's %b; `\c` stops all output. */
export function echoEscapes(s: string): { text: string; stop: boolean } {
  let out = ''
  for (let i = 0; i < s.length; i++) {
    const c = s[i]
    if (c !== '\\' || i + 1 >= s.length) { out += c; continue }
    const n = s[++i]
    const simple: Record<string, string> = { a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' }
    if (n in simple) { out += simple[n]; continue }
    if (n === 'c') return { text: out, stop: true }
    if (n === '0') {
      const m = /^[0-7]{0,3}/.exec(s.slice(i + 1))![0]
      out += String.fromCharCode(parseInt(m || '0', 8))
      i += m.length
      continue
    }
    if (n === 'x') {
      const m = /^[0-9A-Fa-f]{1,2}/.exec(s.slice(i + 1))
      if (m) { out += String.fromCharCode(parseInt(m[0], 16)); i += m[0].length; continue }
    }
    out += '\\' + n
  }
  return { text: out, stop: false }
}

export const echo: ShellCommand = (ctx) => {
  let newline = true
  let escapes = false
  let i = 0
  for (; i < ctx.args.length && /^-[neE]+$/.test(ctx.args[i]); i++) {
    for (const c of ctx.args[i].slice(1)) {
      if (c === 'n') newline = false
      else if (c === 'e') escapes = true
      else escapes = false
    }
  }
  let text = ctx.args.slice(i).join(' ')
  if (escapes) {
    const r = echoEscapes(text)
    text = r.text
    if (r.stop) { ctx.out(text); return 0 }
  }
  ctx.out(text + (newline ? '\n' : ''))
  return 0
}

/** printf's escapes in the format (\n \t \\ \" \NNN octal \xHH). */
function formatEscapes(s: string): string {
  return s.replace(/\\([0-7]{1,3}|x[0-9A-Fa-f]{1,2}|.)/g, (_, e: string) => {
    if (/^[0-7]/.test(e)) return String.fromCharCode(parseInt(e, 8))
    if (e[0] === 'x' && e.length > 1) return String.fromCharCode(parseInt(e.slice(1), 16))
    const simple: Record<string, string> = { a: '\x07', b: '\b', e: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"', "'": "'" }
    return simple[e] ?? '\\' + e
  })
}

function pad(s: string, flags: string, width: number | undefined): string {
  if (width === undefined || s.length >= width) return s
  if (flags.includes('-')) return s.padEnd(width)
  if (flags.includes('0') && /^[-+ ]?[0-9]/.test(s)) {
    const sign = /^[-+ ]/.test(s) ? s[0] : ''
    return sign + s.slice(sign.length).padStart(width - sign.length, '0')
  }
  return s.padStart(width)
}

export const printf: ShellCommand = (ctx) => {
  const args = ctx.args[0] === '--' ? ctx.args.slice(1) : ctx.args
  if (args.length === 0) { ctx.err('bash: printf: usage: printf [-v var] format [arguments]\n'); return 2 }
  if (args[0] === '-v') { ctx.err('bash: printf: -v: not supported by this simulated shell\n'); return 2 }
  const format = formatEscapes(args[0])
  const rest = args.slice(1)
  let rc = 0
  let used = 0
  const next = () => (used < rest.length ? rest[used++] : undefined)
  const number = (v: string | undefined): number => {
    if (v === undefined || v === '') return 0
    if (/^['"]/.test(v)) return v.codePointAt(1) ?? 0
    const t = v.trim()
    if (/^[-+]?0x[0-9a-f]+$/i.test(t)) return parseInt(t, 16)
    if (/^[-+]?0[0-7]+$/.test(t)) return parseInt(t, 8)
    if (/^[-+]?\d+(\.\d*)?([eE][-+]?\d+)?$/.test(t)) return Number(t)
    ctx.err(`bash: printf: ${v}: invalid number\n`)
    rc = 1
    const m = /^[-+]?\d+/.exec(t)
    return m ? Number(m[0]) : 0
  }
  let out = ''
  for (let round = 0; round === 0 || used < rest.length; round++) {
    const before = used
    let stop = false
    out += format.replace(/%([-+ #0]*)(\*|\d+)?(?:\.(\*|\d+))?([sbcdiouxXeEfgG%])/g, (whole, flags: string, w: string | undefined, pr: string | undefined, conv: string) => {
      if (stop) return ''
      if (conv === '%') return '%'
      const width = w === '*' ? number(next()) : w !== undefined ? Number(w) : undefined
      const precision = pr === '*' ? number(next()) : pr !== undefined ? Number(pr) : undefined
      const arg = next()
      switch (conv) {
        case 's': return pad(precision !== undefined ? (arg ?? '').slice(0, precision) : arg ?? '', flags, width)
        case 'b': {
          const r = echoEscapes(arg ?? '')
          if (r.stop) stop = true
          return pad(r.text, flags, width)
        }
        case 'c': return pad((arg ?? '').slice(0, 1), flags, width)
        case 'd': case 'i': case 'u': {
          const n = Math.trunc(number(arg))
          let s = String(Math.abs(n))
          if (precision !== undefined) s = s.padStart(precision, '0')
          s = (n < 0 ? '-' : flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '') + s
          return pad(s, precision !== undefined ? flags.replace('0', '') : flags, width)
        }
        case 'o': case 'x': case 'X': {
          const n = Math.trunc(number(arg))
          let s = (n >>> 0).toString(conv === 'o' ? 8 : 16)
          if (conv === 'X') s = s.toUpperCase()
          if (flags.includes('#') && n !== 0) s = (conv === 'o' ? '0' : conv === 'x' ? '0x' : '0X') + s
          return pad(s, flags, width)
        }
        case 'f': case 'e': case 'E': case 'g': case 'G': {
          const n = number(arg)
          const p = precision ?? 6
          let s = conv === 'f' ? n.toFixed(p) : conv === 'e' || conv === 'E' ? expo(n, p) : general(n, p)
          if (conv === 'E' || conv === 'G') s = s.toUpperCase()
          if (n >= 0 && flags.includes('+')) s = '+' + s
          return pad(s, flags, width)
        }
      }
      return whole
    })
    if (stop || used === before) break
  }
  ctx.out(out)
  return rc
}

function expo(n: number, p: number): string {
  const [m, e] = n.toExponential(p).split('e')
  const exp = Number(e)
  return `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`
}

function general(n: number, p: number): string {
  if (n === 0) return '0'
  const prec = p === 0 ? 1 : p
  const exp = Math.floor(Math.log10(Math.abs(n)))
  if (exp < -4 || exp >= prec) return expo(n, prec - 1).replace(/\.?0+e/, 'e')
  return String(Number(n.toFixed(Math.max(0, prec - 1 - exp))))
}
