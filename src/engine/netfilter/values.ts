/**
 * Value parsers and printers shared by several modules: ports and port ranges (with /etc/services names),
 * marks (`value[/mask]`), numbers as xtables parses them, and iptables-save's quoting of strings.
 */
import { ParameterProblem } from './module-api.ts'
import { parseCUnsigned } from '../net/ipv4.ts'
import { serviceName, servicePort } from './services.ts'
import { protocolName } from './protocols.ts'

/** A port or service name for protocol `proto` (tcp/udp); throws iptables' message when invalid. */
export function parsePort(text: string, proto: string | undefined): number {
  const byName = servicePort(text, proto)
  if (byName !== undefined) return byName
  const n = /^[0-9]+$/.test(text) ? Number(text) : undefined
  if (n === undefined || n > 65535) throw new ParameterProblem(`invalid port/service \`${text}' specified`)
  return n
}

/** `a`, `a:b`, `:b`, `a:` as -m tcp/udp --sport/--dport accept them. */
export function parsePortRange(text: string, proto: string | undefined): [number, number] {
  const colon = text.indexOf(':')
  if (colon < 0) {
    const p = parsePort(text, proto)
    return [p, p]
  }
  const lo = colon === 0 ? 0 : parsePort(text.slice(0, colon), proto)
  const hiText = text.slice(colon + 1)
  const hi = hiText === '' ? 65535 : parsePort(hiText, proto)
  if (lo > hi) throw new ParameterProblem('invalid portrange (min > max)')
  return [lo, hi]
}

export function formatPortRange([lo, hi]: [number, number], sep = ':'): string {
  return lo === hi ? String(lo) : `${lo}${sep}${hi}`
}

/** A port as `-L` prints it: the service name unless numeric output was asked for. */
export function listPort(port: number, proto: string | undefined, numeric: boolean): string {
  if (!numeric) {
    const name = serviceName(port, proto)
    if (name !== undefined) return name
  }
  return String(port)
}

/** Protocol name for services lookups (`tcp`/`udp`) from a rule's protocol number. */
export function protoForServices(protocol: number | undefined): string | undefined {
  return protocol === undefined ? undefined : protocolName(protocol)
}

/** An unsigned 32-bit value as xtables_strtoui accepts it. */
export function parseU32(text: string): number | undefined {
  const n = parseCUnsigned(text)
  return n !== undefined && n <= 0xffffffff ? n : undefined
}

/** `value[/mask]` (XTTYPE_MARKMASK32): mask defaults to 0xffffffff; `module`/`option` name the error. */
export function parseMarkMask(text: string, module: string, option: string): { value: number; mask: number } {
  const slash = text.indexOf('/')
  const value = parseU32(slash >= 0 ? text.slice(0, slash) : text)
  const mask = slash >= 0 ? parseU32(text.slice(slash + 1)) : 0xffffffff
  if (value === undefined || mask === undefined) {
    throw new ParameterProblem(`${module}: bad integer value for option "--${option}", or out of range.\n`)
  }
  return { value, mask }
}

/** A plain 32-bit value (XTTYPE_UINT32) with xtopt's error. */
export function parseU32Option(text: string | undefined, module: string, option: string): number {
  const n = parseU32(text ?? '')
  if (n === undefined) throw new ParameterProblem(`${module}: bad integer value for option "--${option}", or out of range.\n`)
  return n
}

export function hex(n: number): string {
  return `0x${(n >>> 0).toString(16)}`
}

/** `0x4000/0x4000`, or just `0x1` when the mask is all ones (xtables_print_mark_mask). */
export function formatMarkMask(value: number, mask: number): string {
  return mask === 0xffffffff ? hex(value) : `${hex(value)}/${hex(mask)}`
}

const NO_QUOTE = /^[_\-0-9a-zA-Z]+$/

/** xtables_save_string: bare when only [_-0-9a-zA-Z], else double-quoted with `"`, `\` and `'` escaped. */
export function saveString(value: string): string {
  if (NO_QUOTE.test(value)) return value
  return `"${value.replace(/["\\']/g, (c) => `\\${c}`)}"`
}

/** `--option value` or `! --option value`. */
export function opt(name: string, value: string | undefined, inverted = false): string {
  return `${inverted ? '! ' : ''}--${name}${value === undefined ? '' : ` ${value}`}`
}

export function joinParts(parts: (string | false | undefined)[]): string {
  return parts.filter((p): p is string => typeof p === 'string' && p !== '').join(' ')
}
