/**
 * cut as GNU coreutils 9.1: -f LIST with -d DELIM (default tab; lines without the delimiter print whole
 * unless -s), -c LIST and -b LIST, --output-delimiter. LIST is N, N-M, N-, -M, comma-separated.
 */
import type { ShellCommand } from '../command.ts'
import { linesOf, readInputs } from '../command.ts'
import { getopt, has, lastValue } from '../getopt.ts'

const LONG = {
  fields: { short: 'f', arg: true }, delimiter: { short: 'd', arg: true }, characters: { short: 'c', arg: true }, bytes: { short: 'b', arg: true },
  'only-delimited': { short: 's', arg: false }, 'output-delimiter': { short: 'O', arg: true }, complement: { short: 'C', arg: false },
}

const TRY = "Try 'cut --help' for more information.\n"

type Range = [number, number]

function parseList(list: string, what: 'fields' | 'bytes' | 'characters'): Range[] | string {
  const ranges: Range[] = []
  for (const part of list.split(',')) {
    const m = /^(\d*)(-?)(\d*)$/.exec(part)
    if (!m || (m[1] === '' && m[3] === '' )) return m && m[2] ? 'invalid range with no endpoint: -' : `invalid ${what === 'fields' ? 'field' : 'byte/character'} value '${part}'`
    const a = m[1] === '' ? 1 : Number(m[1])
    const b = m[2] ? (m[3] === '' ? Infinity : Number(m[3])) : a
    if (a === 0 || b === 0) return what === 'fields' ? 'fields are numbered from 1' : 'byte/character positions are numbered from 1'
    if (b < a) return 'invalid decreasing range'
    ranges.push([a, b])
  }
  return ranges
}

export const cut: ShellCommand = (ctx) => {
  const p = getopt(ctx.args, { flags: 'snz', withArg: 'fdcb', long: LONG })
  if (!p.ok) { ctx.err(`cut: ${p.message}\n${TRY}`); return 1 }
  const f = lastValue(p, 'f')
  const c = lastValue(p, 'c') ?? lastValue(p, 'b')
  if (f === undefined && c === undefined) { ctx.err(`cut: you must specify a list of bytes, characters, or fields\n${TRY}`); return 1 }
  if (f !== undefined && c !== undefined) { ctx.err(`cut: only one list may be specified\n${TRY}`); return 1 }
  const delim = lastValue(p, 'd') ?? '\t'
  if (f === undefined && lastValue(p, 'd') !== undefined) { ctx.err(`cut: an input delimiter may be specified only when operating on fields\n${TRY}`); return 1 }
  if ([...delim].length !== 1) { ctx.err(`cut: the delimiter must be a single character\n${TRY}`); return 1 }
  const ranges = parseList(f ?? c!, f !== undefined ? 'fields' : 'characters')
  if (typeof ranges === 'string') { ctx.err(`cut: ${ranges}\n${TRY}`); return 1 }
  const complement = has(p, 'C')
  const selected = (n: number) => ranges.some(([a, b]) => n >= a && n <= b) !== complement
  const outDelim = lastValue(p, 'O') ?? (f !== undefined ? delim : '')
  const { inputs, failed } = readInputs(ctx, p.operands)
  for (const input of inputs) {
    for (const line of linesOf(input.text)) {
      if (f !== undefined) {
        if (!line.includes(delim)) { if (!has(p, 's')) ctx.out(line + '\n'); continue }
        ctx.out(line.split(delim).filter((_, i) => selected(i + 1)).join(outDelim) + '\n')
      } else {
        const chars = [...line]
        // Character lists print selected runs; --output-delimiter separates the ranges.
        let out = ''
        let prev = false
        chars.forEach((ch, i) => {
          const s = selected(i + 1)
          if (s && !prev && out !== '' && outDelim) out += outDelim
          if (s) out += ch
          prev = s
        })
        ctx.out(out + '\n')
      }
    }
  }
  return failed ? 1 : 0
}
