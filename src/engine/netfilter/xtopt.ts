/**
 * xtables' option framework (libxtables/xtoptions.c and the number parsers of xtables.c), for modules:
 * strtoul as xtables calls it, and one parser per option type (XTTYPE_UINT*, *RC ranges, DOUBLE, STRING,
 * TOSMASK, MARKMASK32, SYSLOGLEVEL, HOST/HOSTMASK, PLEN/PLENMASK, ETHERMAC, PORT/PORTRC, PROTOCOL) with
 * the exact messages iptables 1.8.9 prints. The checks of the framework itself (an option given twice, a
 * `!` an option does not take, mandatory/also/excl) are the parser's (parse-command.ts), for modules that
 * declare `xtopt: true`.
 */
import { ParameterProblem } from './module-api.ts'
import { maskToPrefix, prefixToMask } from '../net/ipv4.ts'
import { parseProtocol } from './protocols.ts'
import { servicePort } from './services.ts'

export interface Strtoul {
  value: bigint
  /** Index of the first character not consumed. */
  end: number
  overflow: boolean
}

const UINT64_MAX = (1n << 64n) - 1n

function digitValue(c: string): number {
  const code = c.charCodeAt(0)
  if (code >= 48 && code <= 57) return code - 48
  if (code >= 97 && code <= 122) return code - 87
  if (code >= 65 && code <= 90) return code - 55
  return 99
}

/**
 * glibc's strtoumax(s, &end, base): leading blanks, an optional sign, then digits of the base (base 0:
 * `0x` hex, leading `0` octal, else decimal). Undefined when no digit was read (end would be s). A `-`
 * negates (as C does); xtables refuses a leading minus before calling it.
 */
export function strtoumax(text: string, base = 0): Strtoul | undefined {
  let i = 0
  while (i < text.length && ' \t\n\v\f\r'.includes(text[i])) i++
  let negative = false
  if (text[i] === '+' || text[i] === '-') {
    negative = text[i] === '-'
    i++
  }
  let b = base
  if ((b === 0 || b === 16) && text[i] === '0' && (text[i + 1] === 'x' || text[i + 1] === 'X') && digitValue(text[i + 2] ?? '') < 16) {
    b = 16
    i += 2
  } else if (b === 0) {
    b = text[i] === '0' ? 8 : 10
  }
  const start = i
  let value = 0n
  let overflow = false
  while (i < text.length && digitValue(text[i]) < b) {
    value = value * BigInt(b) + BigInt(digitValue(text[i]))
    if (value > UINT64_MAX) overflow = true
    i++
  }
  if (i === start) return undefined
  if (overflow) value = UINT64_MAX
  else if (negative) value = (UINT64_MAX + 1n - value) & UINT64_MAX
  return { value, end: i, overflow }
}

/**
 * xtables_strtoul_base: a number in [min, max] (max 0: no upper bound); with `prefix` the rest of the text
 * may follow (its start is returned), otherwise the whole text must be the number.
 */
export function xtStrtoul(text: string, min: bigint, max: bigint, base = 0): bigint | undefined {
  const r = xtStrtoulPrefix(text, min, max, base)
  return r && r.end === text.length ? r.value : undefined
}

export function xtStrtoulPrefix(text: string, min: bigint, max: bigint, base = 0): { value: bigint; end: number } | undefined {
  let p = 0
  while (p < text.length && ' \t\n\v\f\r'.includes(text[p])) p++
  if (text[p] === '-') return undefined
  const r = strtoumax(text, base)
  if (!r || r.overflow) return undefined
  if (r.value < min || (max !== 0n && r.value > max)) return undefined
  return { value: r.value, end: r.end }
}

/** xtables_strtoui over the whole text: an unsigned int in [min, max], as a number. */
export function xtStrtoui(text: string, min = 0, max = 0xffffffff): number | undefined {
  const v = xtStrtoul(text, BigInt(min), BigInt(max))
  return v === undefined ? undefined : Number(v)
}

export type UintBits = 8 | 16 | 32 | 64

function maxOf(bits: UintBits): bigint {
  return (1n << BigInt(bits)) - 1n
}

/** XTTYPE_UINT8/16/32 (xtopt_parse_int): `min`/`max` 0 mean the type's bounds. */
export function xtUint(module: string, option: string, text: string, bits: Exclude<UintBits, 64> = 32, min = 0, max = 0, base = 0): number {
  return Number(xtUint64(module, option, text, bits, BigInt(min), BigInt(max), base))
}

/** XTTYPE_UINT64 (and the others) as a bigint. */
export function xtUint64(module: string, option: string, text: string, bits: UintBits = 64, min = 0n, max = 0n, base = 0): bigint {
  const lmin = min
  const lmax = max !== 0n ? max : maxOf(bits)
  const v = xtStrtoul(text, lmin, lmax, base)
  if (v === undefined) throw new ParameterProblem(`${module}: bad value for option "--${option}", or out of range (${lmin}-${lmax}).\n`)
  return v
}

/**
 * XTTYPE_UINT*RC (xtopt_parse_mint): `a`, `a:b`, `a:`, `:b` with up to `maxComponents` parts; an empty
 * first part is 0, an empty second the type's maximum. Returns the values given (one or two).
 */
export function xtRange(module: string, option: string, text: string, bits: UintBits = 32, maxComponents = 2): bigint[] {
  const lmax = maxOf(bits)
  const values: bigint[] = []
  let arg = 0
  for (;;) {
    if (values.length === maxComponents) {
      throw new ParameterProblem(`${module}: Too many components for option "--${option}" (max: ${maxComponents})\n`)
    }
    let end: number
    let value: bigint
    if (arg >= text.length || text[arg] === ':') {
      end = arg
      value = values.length === 1 ? lmax : 0n
    } else {
      const rest = text.slice(arg)
      const r = xtStrtoulPrefix(rest, 0n, lmax)
      if (!r) throw new ParameterProblem(`${module}: bad value for option "--${option}" near "${rest}", or out of range (0-${lmax}).\n`)
      end = arg + r.end
      if (end < text.length && text[end] !== ':') {
        throw new ParameterProblem(`${module}: Argument to "--${option}" has unexpected characters near "${text.slice(end)}".\n`)
      }
      value = r.value
    }
    values.push(value)
    if (end >= text.length) break
    arg = end + 1
  }
  return values
}

/** C's strtod over the whole text (decimal and hex floats, inf, nan), undefined when not a number. */
export function strtod(text: string): number | undefined {
  const t = text.replace(/^[ \t\n\v\f\r]+/, '')
  if (/^[+-]?(inf|infinity|nan)$/i.test(t)) return t.toLowerCase().includes('nan') ? NaN : (t.startsWith('-') ? -Infinity : Infinity)
  if (/^[+-]?0x[0-9a-f]*\.?[0-9a-f]*(p[+-]?[0-9]+)?$/i.test(t) && /[0-9a-f]/i.test(t.slice(t.indexOf('x') + 1, t.search(/p|$/i)))) {
    const m = /^([+-]?)0x([0-9a-f]*)\.?([0-9a-f]*)(?:p([+-]?[0-9]+))?$/i.exec(t)!
    const mant = parseInt(`${m[2] || '0'}${m[3]}`, 16) / 16 ** m[3].length
    return (m[1] === '-' ? -1 : 1) * mant * 2 ** Number(m[4] ?? 0)
  }
  if (!/^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)(e[+-]?[0-9]+)?$/i.test(t)) return undefined
  return Number(t)
}

/** XTTYPE_DOUBLE (xtopt_parse_float). */
export function xtDouble(module: string, option: string, text: string, min = 0, max = 0): number {
  const v = strtod(text)
  if (v === undefined || (min !== max && (v < min || v > max))) {
    throw new ParameterProblem(`${module}: bad value for option "--${option}", or out of range (${min}-${max}).\n`)
  }
  return v
}

/** XTTYPE_STRING (xtopt_parse_string): length limits, then cut to `size - 1` bytes when stored. */
export function xtString(text: string, opts: { min?: number; max?: number; size?: number } = {}): string {
  const bytes = utf8Length(text)
  if (opts.min && bytes < opts.min) throw new ParameterProblem(`Argument must have a minimum length of ${opts.min} characters\n`)
  if (opts.max && bytes > opts.max) throw new ParameterProblem(`Argument must have a maximum length of ${opts.max} characters\n`)
  return opts.size !== undefined ? cutBytes(text, opts.size - 1) : text
}

/** Bytes of a character in UTF-8 (a surrogate pair counts 4 on its first half, 0 on its second). */
function utf8Width(text: string, i: number): number {
  const c = text.charCodeAt(i)
  if (c < 0x80) return 1
  if (c < 0x800) return 2
  if (c >= 0xd800 && c < 0xdc00) return 4
  if (c >= 0xdc00 && c < 0xe000) return 0
  return 3
}

export function utf8Length(text: string): number {
  let n = 0
  for (let i = 0; i < text.length; i++) n += utf8Width(text, i)
  return n
}

/** The longest prefix of whole characters within `n` bytes (UTF-8), as a fixed buffer keeps an argument. */
export function cutBytes(text: string, n: number): string {
  let bytes = 0
  for (let i = 0; i < text.length; i++) {
    const w = utf8Width(text, i)
    if (bytes + w > n) return text.slice(0, i)
    bytes += w
    if (w === 4) i++
  }
  return text
}

const TOS_SYMBOLS: [string, number][] = [
  ['Minimize-Delay', 0x10], ['Maximize-Throughput', 0x08], ['Maximize-Reliability', 0x04], ['Minimize-Cost', 0x02], ['Normal-Service', 0x00],
]

/** The TOS symbols xtables knows, value first. */
export function tosSymbolName(value: number): string | undefined {
  return TOS_SYMBOLS.find(([, v]) => v === value)?.[0]
}

/** XTTYPE_TOSMASK: `value[/mask]` (0-255), or a symbol with the mask `symbolMask`. */
export function xtTosMask(text: string, symbolMask: number): { value: number; mask: number } {
  const first = xtStrtoulPrefix(text, 0n, 255n)
  if (first) {
    const value = Number(first.value)
    let mask = 0xff
    let end = first.end
    if (text[end] === '/') {
      const m = xtStrtoulPrefix(text.slice(end + 1), 0n, 255n)
      if (!m) throw new ParameterProblem(`Illegal value: "${text}"`)
      mask = Number(m.value)
      end = end + 1 + m.end
    }
    if (end !== text.length) throw new ParameterProblem(`Illegal value: "${text}"`)
    return { value, mask }
  }
  // xtables_strtoui failed: tos_parse_numeric is not used, a symbol is looked up (case-insensitive).
  const sym = TOS_SYMBOLS.find(([name]) => name.toLowerCase() === text.toLowerCase())
  if (!sym) throw new ParameterProblem(`Symbolic name "${text}" is unknown`)
  return { value: sym[1], mask: symbolMask }
}

/** XTTYPE_MARKMASK32 (xtables_parse_mark_mask): `value[/mask]`, mask defaulting to 0xffffffff. */
export function xtMarkMask(module: string, option: string, text: string): { value: number; mask: number } {
  const bad = () => new ParameterProblem(`${module}: bad integer value for option "--${option}", or out of range.\n`)
  const first = xtStrtoulPrefix(text, 0n, 0xffffffffn)
  if (!first) throw bad()
  let mask = 0xffffffff
  let end = first.end
  if (text[end] === '/') {
    const m = xtStrtoulPrefix(text.slice(end + 1), 0n, 0xffffffffn)
    if (!m) throw bad()
    mask = Number(m.value)
    end = end + 1 + m.end
  }
  if (end !== text.length) throw bad()
  return { value: Number(first.value), mask }
}

const SYSLOG_LEVELS: Record<string, number> = {
  alert: 1, crit: 2, debug: 7, emerg: 0, error: 3, info: 6, notice: 5, panic: 0, warning: 4,
}

/** XTTYPE_SYSLOGLEVEL: 0-7 or a name. */
export function xtSyslogLevel(text: string): number {
  const n = xtStrtoui(text, 0, 7)
  if (n !== undefined) return n
  const level = SYSLOG_LEVELS[text]
  if (level === undefined) throw new ParameterProblem(`log level "${text}" unknown\n`)
  return level
}

/** Names getaddrinfo resolves on the simulated node (its /etc/hosts). */
const HOST_NAMES: Record<string, number> = { localhost: 0x7f000001 }

/**
 * XTTYPE_HOST (xtopt_parse_host): an address getaddrinfo accepts (inet_aton forms such as `10.1` too) or
 * a name from /etc/hosts; anything else fails as getaddrinfo does without DNS.
 */
export function xtHost(text: string): number {
  const n = inetAton(text) ?? HOST_NAMES[text]
  if (n !== undefined) return n
  // The node resolves names from /etc/hosts only; a name beyond it needs DNS, which cannot be reached.
  // glibc asks DNS only for what can be a host name: labels of letters, digits, `-` and `_` (measured),
  // not a dotted number inet_aton refused.
  const hostname = !/^[0-9.]*$/.test(text) && (text === '.' || text.replace(/\.$/, '').split('.').every((l) => /^[A-Za-z0-9_-]+$/.test(l)))
  throw new ParameterProblem(`getaddrinfo: ${hostname ? 'Temporary failure in name resolution' : 'Name or service not known'}\n`)
}

/** inet_aton: 1 to 4 parts, each decimal, octal or hex; the last part fills the remaining bytes. */
export function inetAton(text: string): number | undefined {
  if (text === '' || /\s$/.test(text)) return undefined
  const parts = text.split('.')
  if (parts.length > 4) return undefined
  const nums: number[] = []
  for (const p of parts) {
    const r = strtoumax(p)
    if (!r || r.end !== p.length || /^[\s+-]/.test(p) || r.value > 0xffffffffn) return undefined
    nums.push(Number(r.value))
  }
  const last = nums[nums.length - 1]
  const maxLast = [0xffffffff, 0xffffff, 0xffff, 0xff][nums.length - 1]
  if (last > maxLast || nums.slice(0, -1).some((x) => x > 255)) return undefined
  let v = 0
  nums.slice(0, -1).forEach((x, i) => { v += x * 2 ** (24 - 8 * i) })
  return (v + last) >>> 0
}

/** XTTYPE_PLEN: a prefix length 0-32 or a dotted mask; returns the mask. */
export function xtPlenMask(module: string, option: string, text: string): number {
  const n = xtStrtoui(text, 0, 32)
  if (n !== undefined) return prefixToMask(n)
  // Else a mask getaddrinfo(AI_NUMERICHOST) reads (inet_aton's forms, so `40` is the mask 0.0.0.40), turned
  // into a prefix length by xtables_ipmask_to_cidr: a mask that is not contiguous gives -1, which as an
  // unsigned length shifts nothing out of the all-ones mask — a /32.
  const m = inetAton(text)
  if (m !== undefined) return maskToPrefix(m) < 0 ? 0xffffffff : m
  throw new ParameterProblem(`${module}: bad value for option "--${option}", neither a valid network mask nor valid CIDR (0-32).\n`)
}

/** XTTYPE_PLEN as a prefix length (-1 when the mask given is not contiguous, as xtables_ipmask_to_cidr). */
export function xtPlen(module: string, option: string, text: string): number {
  const n = xtStrtoui(text, 0, 32)
  if (n !== undefined) return n
  const m = inetAton(text)
  if (m !== undefined) return maskToPrefix(m)
  return maskToPrefix(xtPlenMask(module, option, text))
}

/** XTTYPE_HOSTMASK: `host[/plen-or-mask]`. */
export function xtHostMask(module: string, option: string, text: string): { address: number; mask: number } {
  const slash = text.indexOf('/')
  if (slash < 0) return { address: xtHost(text), mask: 0xffffffff }
  const address = xtHost(text.slice(0, slash))
  return { address, mask: xtPlenMask(module, option, text.slice(slash + 1)) }
}

/** XTTYPE_ETHERMAC: six hex bytes of at most two digits, colon-separated. */
export function xtEtherMac(text: string): number[] {
  const bytes: number[] = []
  let arg = 0
  for (let i = 0; i < 6; i++) {
    let end = arg
    while (end < text.length && /[0-9a-fA-F]/.test(text[end])) end++
    // strtoul(…, 16) also takes blanks, a sign and 0x; the simulated inputs keep to plain hex digits.
    const value = end > arg ? parseInt(text.slice(arg, end), 16) : 0
    const sep = i < 5 ? ':' : ''
    if ((i < 5 ? text[end] !== sep : end !== text.length) || end - arg > 2) throw new ParameterProblem('Invalid MAC address specified.')
    bytes.push(value)
    arg = end + 1
  }
  return bytes
}

/** xtables_getportbyname: a number or a service name of any protocol; -1 when unknown. */
export function portByName(name: string): number {
  // getaddrinfo takes a decimal service as strtoul reads it and keeps the low 16 bits (70000 is 4464).
  const m = /^[ \t\n\v\f\r]*\+?([0-9]+)$/.exec(name)
  if (m) return Number(BigInt(m[1]) & 0xffffn)
  return servicePort(name, undefined) ?? -1
}

/** XTTYPE_PORT. */
export function xtPort(text: string): number {
  const p = portByName(text)
  if (p < 0) throw new ParameterProblem(`Port "${text}" does not resolve to anything.\n`)
  return p
}

/** XTTYPE_PORTRC: `p`, `p:q`, `:q`, `p:` (ports or names). */
export function xtPortRange(module: string, option: string, text: string): [number, number] {
  const parts = text.split(':')
  if (parts.length > 2) throw new ParameterProblem(`${module}: Too many components for option "--${option}" (max: 2)\n`)
  const range: [number, number] = [0, 65535]
  parts.forEach((p, i) => {
    if (p === '') return
    range[i] = xtPort(p)
  })
  if (parts.length === 1) range[1] = range[0]
  return range
}

/** xtables_parse_protocol (XTTYPE_PROTOCOL). */
export function xtProtocol(text: string): number {
  const n = xtStrtoui(text, 0, 255)
  if (n !== undefined) return n
  const p = text === 'all' ? 0 : parseProtocol(text)
  if (p === undefined || /^[0-9]+$/.test(text)) throw new ParameterProblem(`unknown protocol "${text}" specified`)
  return p
}

/** xtables_param_act's messages, which modules written for the older parse API use. */
export const paramAct = {
  onlyOnce: (module: string, option: string) => new ParameterProblem(`${module}: "${option}" option may only be specified once`),
  noInvert: (module: string, option: string) => new ParameterProblem(`${module}: "${option}" option cannot be inverted`),
  badValue: (module: string, option: string, value: string) => new ParameterProblem(`${module}: Bad value for "${option}" option: "${value}"`),
  oneAction: (module: string) => new ParameterProblem(`${module}: At most one action is possible`),
}
