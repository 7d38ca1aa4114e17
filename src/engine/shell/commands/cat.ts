/**
 * cat as GNU coreutils 9.1 (-n numbers lines `%6d\t`, -b non-blank ones, -s squeezes blank lines, -E marks
 * line ends with $, -A shows tabs as ^I too), and less/more, which print the text as cat does (the console
 * has no pager).
 */
import type { ShellCommand } from '../command.ts'
import { readInputs } from '../command.ts'
import { getopt, has } from '../getopt.ts'
import { rawLines } from './head-tail.ts'

const LONG = {
  number: { short: 'n', arg: false }, 'number-nonblank': { short: 'b', arg: false }, 'squeeze-blank': { short: 's', arg: false },
  'show-ends': { short: 'E', arg: false }, 'show-all': { short: 'A', arg: false }, 'show-tabs': { short: 'T', arg: false },
}

export const cat: ShellCommand = (ctx) => {
  const p = getopt(ctx.args, { flags: 'nbsEATuv', long: LONG })
  if (!p.ok) { ctx.err(`cat: ${p.message}\nTry 'cat --help' for more information.\n`); return 1 }
  const { inputs, failed } = readInputs(ctx, p.operands)
  const plain = !['n', 'b', 's', 'E', 'A', 'T'].some((f) => has(p, f))
  let n = 0
  let lastBlank = false
  for (const input of inputs) {
    if (plain) { ctx.out(input.text); continue }
    for (const raw of rawLines(input.text)) {
      const nl = raw.endsWith('\n')
      let line = nl ? raw.slice(0, -1) : raw
      const blank = line === ''
      if (has(p, 's') && blank && lastBlank) continue
      lastBlank = blank
      if (has(p, 'A') || has(p, 'T')) line = line.replace(/\t/g, '^I')
      const number = has(p, 'b') ? !blank : has(p, 'n')
      ctx.out((number ? `${String(++n).padStart(6)}\t` : '') + line + (nl && (has(p, 'E') || has(p, 'A')) ? '$' : '') + (nl ? '\n' : ''))
    }
  }
  return failed ? 1 : 0
}

/** less and more: the console has no pager, so the text is printed whole. */
export const pager = (name: string): ShellCommand => (ctx) => {
  const files = ctx.args.filter((a) => !a.startsWith('-') && !a.startsWith('+'))
  const { inputs, failed } = readInputs(ctx, files, (f, e) => (name === 'less' ? `${f}: ${e}` : `more: cannot open ${f}: ${e}`))
  for (const input of inputs) ctx.out(input.text)
  // util-linux more exits 0 after a file it cannot open; less exits 1.
  return failed && name === 'less' ? 1 : 0
}
