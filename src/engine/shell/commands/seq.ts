/**
 * seq as GNU coreutils 9.1: LAST, FIRST LAST or FIRST INCREMENT LAST, integers or decimals (printed with
 * the most decimals of the arguments), -s SEP, -w equal width.
 */
import type { ShellCommand } from '../command.ts'
import { getopt, has, lastValue } from '../getopt.ts'

/** Marks a negative number so option parsing takes it as an operand. */
const NEGATIVE = 'negative:'

/** Lines seq may print at most (the console keeps its output in memory). */
const MAX_LINES = 1_000_000

export const seq: ShellCommand = (ctx) => {
  // Negative numbers are operands, not options.
  const args = ctx.args.map((a) => (/^-\d/.test(a) ? NEGATIVE + a : a))
  const p = getopt(args, { flags: 'w', withArg: 'sf', long: { separator: { short: 's', arg: true }, 'equal-width': { short: 'w', arg: false }, format: { short: 'f', arg: true } } })
  const TRY = "Try 'seq --help' for more information.\n"
  if (!p.ok) { ctx.err(`seq: ${p.message}\n${TRY}`); return 1 }
  if (lastValue(p, 'f') !== undefined) { ctx.err('seq: -f: not supported by this simulated shell\n'); return 1 }
  const ops = p.operands.map((o) => (o.startsWith(NEGATIVE) ? o.slice(NEGATIVE.length) : o))
  if (ops.length === 0) { ctx.err(`seq: missing operand\n${TRY}`); return 1 }
  if (ops.length > 3) { ctx.err(`seq: extra operand '${ops[3]}'\n${TRY}`); return 1 }
  for (const o of ops) {
    if (!/^[-+]?(\d+\.?\d*|\.\d+)$/.test(o)) { ctx.err(`seq: invalid floating point argument: '${o}'\n${TRY}`); return 1 }
  }
  const nums = ops.map(Number)
  const [first, step, last] = ops.length === 1 ? [1, 1, nums[0]] : ops.length === 2 ? [nums[0], 1, nums[1]] : nums
  if (step === 0) { ctx.err(`seq: invalid Zero increment value: '${ops[1]}'\n${TRY}`); return 1 }
  const decimals = Math.max(0, ...(ops.length === 3 ? [ops[0], ops[1]] : ops.length === 2 ? [ops[0]] : []).map((o) => (o.split('.')[1] ?? '').length), ops.length === 1 ? 0 : 0)
  const values: string[] = []
  for (let i = 0; ; i++) {
    const v = first + i * step
    if (step > 0 ? v > last + 1e-9 : v < last - 1e-9) break
    if (values.length >= MAX_LINES) { ctx.err(`seq: more than ${MAX_LINES} numbers: stopped (the console keeps output in memory)\n`); return 1 }
    values.push(v.toFixed(decimals))
  }
  if (has(p, 'w')) {
    const width = Math.max(...values.map((v) => v.replace('-', '').length), last.toFixed(decimals).length)
    for (let i = 0; i < values.length; i++) {
      const neg = values[i].startsWith('-')
      values[i] = (neg ? '-' : '') + values[i].replace('-', '').padStart(width - (neg ? 1 : 0), '0')
    }
  }
  if (values.length > 0) ctx.out(values.join(lastValue(p, 's') ?? '\n') + '\n')
  return 0
}
