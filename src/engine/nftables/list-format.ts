/**
 * `nft list table` / `nft list ruleset` output for a table, as nft 1.0.x prints it (measured with
 * nftables v1.0.6 in a network namespace):
 *
 * - sets and maps first, then chains, each block in creation order, separated by a blank line, one tab per
 *   level of indentation;
 * - base chains as `type filter hook prerouting priority dstnat - 10; policy accept;` (standard priority
 *   names where they apply to the hook, numbers otherwise);
 * - set elements sorted as nft sorts them (single values numerically; concatenations by their bytes read
 *   as one host-endian number, i.e. from the last byte backwards), two IPv4 addresses per line in plain
 *   address sets, one element per line in maps and concatenations, continuation lines indented by three
 *   tabs and five spaces;
 * - rules re-rendered from knftables' input syntax: `mark set mark or 0x4000` is listed as
 *   `meta mark set meta mark | 0x00004000`, a one-element anonymous set `{ 172.30.0.0/16 }` as the bare
 *   value, anonymous sets sorted and merged, `a , b` as `a, b`.
 */
import type { NftChain, NftElement, NftHook, NftSet, NftTable } from './model.ts'
import { formatIPv4, ipv4ToInt } from '../net/ipv4.ts'

// ---------------------------------------------------------------------------------------------------
// Priorities and times

const STD_PRIORITIES: { name: string; value: number; hooks?: NftHook[] }[] = [
  { name: 'raw', value: -300 },
  { name: 'mangle', value: -150 },
  // NAT priorities only have names in the hooks NAT uses them in (nft std_prio_family_hook_compat).
  { name: 'dstnat', value: -100, hooks: ['prerouting'] },
  { name: 'filter', value: 0 },
  { name: 'security', value: 50 },
  { name: 'srcnat', value: 100, hooks: ['postrouting'] },
]

/** A base chain priority as nft prints it for the ip/ip6/inet families: `dstnat - 10`, `filter`, `-110`. */
export function formatPriority(hook: NftHook, priority: number): string {
  for (const std of STD_PRIORITIES) {
    if (std.hooks && !std.hooks.includes(hook)) continue
    const offset = priority - std.value
    if (offset === 0) return std.name
    if (Math.abs(offset) <= 10) return `${std.name} ${offset < 0 ? '-' : '+'} ${Math.abs(offset)}`
  }
  return String(priority)
}

/** nft's time format: `3h`, `1h30m`, `1d`, `10s` (largest units first, zero units left out). */
export function formatTime(seconds: number): string {
  if (seconds === 0) return '0s'
  let rest = seconds
  let out = ''
  for (const [unit, size] of [['d', 86400], ['h', 3600], ['m', 60], ['s', 1]] as const) {
    const n = Math.floor(rest / size)
    if (n > 0) out += `${n}${unit}`
    rest -= n * size
  }
  return out
}

// ---------------------------------------------------------------------------------------------------
// Values

const PROTOCOLS: Record<string, number> = { icmp: 1, tcp: 6, udp: 17, sctp: 132 }

/** The bytes nft uses for one key component of a given datatype, in the component's byte order. */
function componentBytes(type: string, text: string): number[] {
  switch (type) {
    case 'ipv4_addr': {
      const n = ipv4ToInt(text)
      return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]
    }
    case 'inet_proto':
      return [PROTOCOLS[text] ?? Number(text)]
    case 'inet_service': {
      const n = Number(text)
      return [(n >> 8) & 255, n & 255]
    }
    default:
      return [...text].map((c) => c.charCodeAt(0) & 255)
  }
}

/** nft's element order (mergesort.c): a value compares as a number; a concatenation as host-endian bytes. */
function compareElements(keyTypes: string[]): (a: NftElement, b: NftElement) => number {
  if (keyTypes.length === 1) {
    const t = keyTypes[0]
    const num = (e: NftElement) => (t === 'ipv4_addr' ? ipv4ToInt(e.key[0]) : t === 'inet_proto' ? PROTOCOLS[e.key[0]] ?? Number(e.key[0]) : Number(e.key[0]))
    return (a, b) => num(a) - num(b)
  }
  const bytes = (e: NftElement) => e.key.flatMap((k, i) => componentBytes(keyTypes[i] ?? '', k))
  return (a, b) => {
    const x = bytes(a)
    const y = bytes(b)
    // Little-endian host: the last byte is the most significant.
    for (let i = Math.max(x.length, y.length) - 1; i >= 0; i--) {
      const d = (x[i] ?? 0) - (y[i] ?? 0)
      if (d !== 0) return d
    }
    return 0
  }
}

/** Elements per line before nft breaks the line (expression.c calculate_delim). */
function elementsPerLine(keyTypes: string[]): number {
  if (keyTypes.length !== 1) return 1
  switch (keyTypes[0]) {
    case 'ipv4_addr':
    case 'ipv6_addr':
      return 2
    case 'inet_proto':
    case 'inet_service':
    case 'mark':
      return 5
    default:
      return 1
  }
}

function elementText(e: NftElement): string {
  let s = e.key.join(' . ')
  if (e.comment !== undefined) s += ` comment "${e.comment}"`
  if (e.value) s += ` : ${e.value.join(' . ')}`
  return s
}

const CONTINUATION = ',\n\t\t\t     '

function formatElements(set: NftSet): string {
  const keyTypes = set.type.split(' : ')[0].split(' . ').map((s) => s.trim())
  const sorted = [...set.elements].sort(compareElements(keyTypes))
  const perLine = elementsPerLine(keyTypes)
  let out = ''
  let count = 0
  sorted.forEach((e, i) => {
    if (i > 0) {
      if (count < perLine) out += ', '
      else {
        out += CONTINUATION
        count = 0
      }
    }
    out += elementText(e)
    count++
  })
  return `{ ${out} }`
}

// ---------------------------------------------------------------------------------------------------
// Rules

function hex8(text: string): string {
  return '0x' + Number(text).toString(16).padStart(8, '0')
}

/** An IPv4 address or CIDR as an inclusive numeric range. */
function ipv4Range(text: string): [number, number] | undefined {
  const [ip, prefixText] = text.split('/')
  if (!/^\d+\.\d+\.\d+\.\d+$/.test(ip)) return undefined
  const prefix = prefixText === undefined ? 32 : Number(prefixText)
  const size = 2 ** (32 - prefix)
  const start = Math.floor(ipv4ToInt(ip) / size) * size
  return [start, start + size - 1]
}

/** A range as nft prints it: a host, a prefix, or `a-b`. */
function rangeText([start, end]: [number, number]): string {
  if (start === end) return formatIPv4(start)
  const size = end - start + 1
  const bits = Math.log2(size)
  if (Number.isInteger(bits) && start % size === 0) return `${formatIPv4(start)}/${32 - bits}`
  return `${formatIPv4(start)}-${formatIPv4(end)}`
}

/**
 * An anonymous set of addresses as nft lists it: intervals sorted, overlapping and adjacent ones merged
 * (anonymous interval sets are auto-merged; measured: 10.96.0.0/16,10.97.0.0/16,10.98.0.0/16 lists as
 * `{ 10.96.0.0-10.98.255.255 }`), a single given element without braces.
 */
function formatAddressSet(items: string[]): string {
  const ranges = items.map((i) => ipv4Range(i))
  if (ranges.some((r) => r === undefined)) return `{ ${items.join(', ')} }`
  const sorted = (ranges as [number, number][]).sort((a, b) => a[0] - b[0] || a[1] - b[1])
  const merged: [number, number][] = []
  for (const r of sorted) {
    const last = merged[merged.length - 1]
    if (last && r[0] <= last[1] + 1) last[1] = Math.max(last[1], r[1])
    else merged.push([r[0], r[1]])
  }
  const texts = merged.map(rangeText)
  // nft turns a one-element set into a plain comparison when it reads the rule; a set of several
  // elements stays a set even when its elements merge into one interval on listing.
  return items.length === 1 ? texts[0] : `{ ${texts.join(', ')} }`
}

/** A rule's statements (knftables input syntax) as `nft list` prints them. */
export function formatRuleText(text: string): string {
  let s = text
  s = s.replace(/\bmark set mark (or|xor) (0x[0-9a-fA-F]+|\d+)/g, (_m, op: string, v: string) =>
    `meta mark set meta mark ${op === 'or' ? '|' : '^'} ${hex8(v)}`)
  s = s.replace(/\bmark and (0x[0-9a-fA-F]+|\d+) (==|!=) (0x[0-9a-fA-F]+|\d+)/g, (_m, mask: string, op: string, v: string) =>
    `meta mark & ${hex8(mask)} ${op} ${hex8(v)}`)
  // Anonymous address sets after an address match.
  s = s.replace(/\b(ip6? [sd]addr (?:!= )?)\{ ([^}]*) \}/g, (_m, head: string, body: string) =>
    head + formatAddressSet(body.split(',').map((x) => x.trim()).filter((x) => x !== '')))
  // Anonymous verdict maps and other sets: nft separates elements with ", ".
  s = s.replace(/\{ ([^}]*) \}/g, (_m, body: string) => `{ ${body.split(/\s*,\s*/).join(', ')} }`)
  return s
}

function formatRule(rule: { text: string; comment?: string }): string {
  return formatRuleText(rule.text) + (rule.comment !== undefined ? ` comment "${rule.comment}"` : '')
}

// ---------------------------------------------------------------------------------------------------
// Blocks

function setBlock(set: NftSet): string {
  const lines = [`\t${set.kind} ${set.name} {`, `\t\ttype ${set.type}`]
  if (set.size !== undefined) lines.push(`\t\tsize ${set.size}`)
  if (set.flags?.length) lines.push(`\t\tflags ${set.flags.join(',')}`)
  if (set.timeout !== undefined) lines.push(`\t\ttimeout ${formatTime(set.timeout)}`)
  if (set.comment !== undefined) lines.push(`\t\tcomment "${set.comment}"`)
  if (set.elements.length) lines.push(`\t\telements = ${formatElements(set)}`)
  lines.push('\t}')
  return lines.join('\n') + '\n'
}

function chainBlock(chain: NftChain): string {
  const lines = [`\tchain ${chain.name} {`]
  if (chain.comment !== undefined) lines.push(`\t\tcomment "${chain.comment}"`)
  if (chain.base) {
    const b = chain.base
    lines.push(`\t\ttype ${b.type} hook ${b.hook} priority ${formatPriority(b.hook, b.priority)}; policy accept;`)
  }
  for (const rule of chain.rules) lines.push(`\t\t${formatRule(rule)}`)
  lines.push('\t}')
  return lines.join('\n') + '\n'
}

/** `nft list table FAMILY NAME`. */
export function listTable(t: NftTable): string {
  const blocks = [...t.sets.map(setBlock), ...t.chains.map(chainBlock)]
  let out = `table ${t.family} ${t.name} {\n`
  if (t.comment !== undefined) out += `\tcomment "${t.comment}"\n`
  out += blocks.join('\n')
  out += '}\n'
  return out
}

/** `nft list ruleset` of a host whose only tables are these. */
export function listRuleset(tables: readonly NftTable[]): string {
  return tables.map(listTable).join('')
}
