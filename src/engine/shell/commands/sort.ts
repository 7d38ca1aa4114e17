/**
 * sort as GNU coreutils 9.1 in the C locale: byte order; -n (numeric prefix, non-numbers are 0), -h
 * (1K 2M), -r, -u (first of each run of equal keys), -f, -b, -s, -t SEP, -k POS1[,POS2] with per-key
 * modifiers (`-k2,2n`), -o FILE. Lines equal by every key are ordered by the whole line (last resort)
 * unless -s or -u.
 */
import type { ShellCommand } from '../command.ts'
import { joinLines, linesOf } from '../command.ts'
import { FsError } from '../filesystem.ts'
import { getopt } from '../getopt.ts'

const LONG = {
  'numeric-sort': { short: 'n', arg: false }, 'human-numeric-sort': { short: 'h', arg: false }, reverse: { short: 'r', arg: false },
  unique: { short: 'u', arg: false }, 'ignore-case': { short: 'f', arg: false }, 'ignore-leading-blanks': { short: 'b', arg: false },
  stable: { short: 's', arg: false }, 'field-separator': { short: 't', arg: true }, key: { short: 'k', arg: true }, output: { short: 'o', arg: true },
}

interface Flags { n: boolean; h: boolean; r: boolean; f: boolean; b: boolean }
interface Key { startField: number; startChar: number; endField: number; endChar: number; flags: Flags; own: boolean }

const noFlags = (): Flags => ({ n: false, h: false, r: false, f: false, b: false })

function parseKey(spec: string, global: Flags): Key | string {
  const m = /^(\d+)(?:\.(\d+))?([bdfghinMRrV]*)(?:,(\d+)(?:\.(\d+))?([bdfghinMRrV]*))?$/.exec(spec)
  if (!m) return `invalid number at field start: invalid count at start of '${spec}'`
  if (Number(m[1]) === 0) return `field number is zero: invalid field specification '${spec}'`
  const mods = (m[3] ?? '') + (m[6] ?? '')
  const bad = mods.replace(/[bfhnr]/g, '')
  if (bad) return `the ${bad[0]} key ordering is not supported by this simulated shell`
  const own = mods.length > 0
  const flags = own ? { n: mods.includes('n'), h: mods.includes('h'), r: mods.includes('r'), f: mods.includes('f'), b: mods.includes('b') } : { ...global }
  return {
    startField: Number(m[1]), startChar: m[2] ? Number(m[2]) : 1,
    endField: m[4] ? Number(m[4]) : Infinity, endChar: m[5] ? Number(m[5]) : 0, flags, own,
  }
}

/** Field boundaries: with -t the separator; otherwise a field is leading blanks plus non-blanks. */
function fieldStarts(line: string, sep: string | undefined): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = []
  if (sep !== undefined) {
    let s = 0
    for (;;) {
      const i = line.indexOf(sep, s)
      if (i < 0) { out.push({ start: s, end: line.length }); break }
      out.push({ start: s, end: i })
      s = i + sep.length
    }
    return out
  }
  const re = /[ \t]*[^ \t]+/g
  let m: RegExpExecArray | null
  while ((m = re.exec(line)) !== null) out.push({ start: m.index, end: m.index + m[0].length })
  return out
}

function keyText(line: string, k: Key, sep: string | undefined): string {
  const fields = fieldStarts(line, sep)
  const sf = fields[k.startField - 1]
  if (!sf) return ''
  let start = sf.start
  if (k.flags.b) while (start < sf.end && (line[start] === ' ' || line[start] === '\t')) start++
  start = Math.min(start + k.startChar - 1, sf.end)
  let end = line.length
  if (k.endField !== Infinity) {
    const ef = fields[k.endField - 1]
    end = ef ? (k.endChar > 0 ? Math.min(ef.start + k.endChar, ef.end) : ef.end) : line.length
  }
  return line.slice(start, Math.max(start, end))
}

const numericPrefix = (s: string): number => {
  const m = /^[ \t]*(-?(?:\d+\.?\d*|\.\d+))/.exec(s)
  return m ? Number(m[1]) : 0
}
const HUMAN = ['', 'K', 'M', 'G', 'T', 'P', 'E']
const humanPrefix = (s: string): number => {
  const m = /^[ \t]*(-?(?:\d+\.?\d*|\.\d+))([KMGTPE]?)/.exec(s)
  return m ? Number(m[1]) * 1024 ** HUMAN.indexOf(m[2]) : 0
}
const bytewise = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

function compareBy(flags: Flags, a: string, b: string): number {
  let c: number
  if (flags.n) c = Math.sign(numericPrefix(a) - numericPrefix(b))
  else if (flags.h) c = Math.sign(humanPrefix(a) - humanPrefix(b))
  else {
    if (flags.b) { a = a.replace(/^[ \t]+/, ''); b = b.replace(/^[ \t]+/, '') }
    c = flags.f ? bytewise(a.toUpperCase(), b.toUpperCase()) : bytewise(a, b)
  }
  return flags.r ? -c : c
}

export const sort: ShellCommand = (ctx) => {
  const p = getopt(ctx.args, { flags: 'nhrufbscmzVRMgd', withArg: 'tko', long: LONG })
  if (!p.ok) { ctx.err(`sort: ${p.message}\nTry 'sort --help' for more information.\n`); return 2 }
  const global = noFlags()
  let unique = false
  let stable = false
  let sep: string | undefined
  let output: string | undefined
  const keySpecs: string[] = []
  for (const o of p.options) {
    if (o.name in global) global[o.name as keyof Flags] = true
    else if (o.name === 'u') unique = true
    else if (o.name === 's') stable = true
    else if (o.name === 't') {
      if (o.value!.length !== 1) { ctx.err(o.value === '' ? 'sort: empty tab\n' : `sort: multi-character tab '${o.value}'\n`); return 2 }
      sep = o.value
    } else if (o.name === 'k') keySpecs.push(o.value!)
    else if (o.name === 'o') output = o.value
    else if ('cmzVRMgd'.includes(o.name)) { ctx.err(`sort: -${o.name}: not supported by this simulated shell\n`); return 2 }
  }
  const keys: Key[] = []
  for (const s of keySpecs) {
    const k = parseKey(s, global)
    if (typeof k === 'string') { ctx.err(`sort: ${k}\n`); return 2 }
    keys.push(k)
  }
  const lines: string[] = []
  for (const f of p.operands.length === 0 ? ['-'] : p.operands) {
    try {
      lines.push(...linesOf(f === '-' ? ctx.stdin() : ctx.shell.fs.readFile(ctx.shell.resolve(f))))
    } catch (e) {
      if (!(e instanceof FsError)) throw e
      ctx.err(e.code === 'EISDIR' ? `sort: read failed: ${f}: Is a directory\n` : `sort: cannot read: ${f}: ${e.message}\n`)
      return 2
    }
  }
  const compareKeys = (a: string, b: string): number => {
    if (keys.length === 0) return compareBy(global, a, b)
    for (const k of keys) {
      const c = compareBy(k.flags, keyText(a, k, sep), keyText(b, k, sep))
      if (c !== 0) return c
    }
    return 0
  }
  const lastResort = !stable && !unique && (keys.length > 0 || global.n || global.h || global.f || global.b)
  const indexed = lines.map((l, i) => ({ l, i }))
  indexed.sort((x, y) => {
    const c = compareKeys(x.l, y.l)
    if (c !== 0) return c
    if (lastResort) {
      const r = bytewise(x.l, y.l)
      return global.r ? -r : r
    }
    return x.i - y.i
  })
  let sorted = indexed.map((x) => x.l)
  if (unique) sorted = sorted.filter((l, i) => i === 0 || compareKeys(sorted[i - 1], l) !== 0)
  const text = joinLines(sorted)
  if (output !== undefined) {
    try {
      ctx.shell.fs.writeFile(ctx.shell.resolve(output), text, ctx.shell.now())
    } catch (e) {
      if (!(e instanceof FsError)) throw e
      ctx.err(`sort: open failed: ${output}: ${e.message}\n`)
      return 2
    }
    return 0
  }
  ctx.out(text)
  return 0
}
