/**
 * `-m bpf --bytecode "N,code jt jf k,..." | --object-pinned PATH`: a classic BPF program run over the packet
 * from its IP header (xt_bpf revision 1); non-zero means match. The kernel refuses a program its verifier
 * rejects (EINVAL). No eBPF objects are pinned on a simulated node, so `--object-pinned` always fails as
 * libxt_bpf does when the object cannot be opened. `-L` prints the program after "match bpf" with no blank
 * before it and a NUL byte after it, as libxt_bpf's print does.
 */
import type { MatchModule } from '../module-api.ts'
import { ParameterProblem } from '../module-api.ts'
import { type BpfInsn, runBpf, validBpf } from '../cbpf.ts'
import { packetBytes } from '../packet-bytes.ts'

const MAX_INSTR = 64

export interface BpfOptions {
  program: BpfInsn[]
}

function parseProgram(text: string): BpfInsn[] {
  const head = /^\s*\+?([0-9]+)(.)/.exec(text)
  if (!head || head[2] !== ',') throw new ParameterProblem('bpf: error parsing program length')
  const len = Number(BigInt(head[1]) & 0xffffn)
  if (len === 0) throw new ParameterProblem('bpf: illegal zero length program')
  if (len > MAX_INSTR) throw new ParameterProblem('bpf: number of instructions exceeds maximum')
  const prog: BpfInsn[] = []
  let at = text.indexOf(',')
  while (at >= 0 && at + 1 < text.length) {
    if (prog.length >= len) throw new ParameterProblem('bpf: real program length exceeds the encoded length parameter')
    const m = /^\s*([0-9]+)\s+([0-9]+)\s+([0-9]+)\s+([0-9]+)/.exec(text.slice(at + 1))
    if (!m) throw new ParameterProblem(`bpf: error at instr ${prog.length}`)
    prog.push({ code: Number(m[1]) & 0xffff, jt: Number(m[2]) & 0xff, jf: Number(m[3]) & 0xff, k: Number(BigInt(m[4]) & 0xffffffffn) })
    at = text.indexOf(',', at + 1)
  }
  if (prog.length !== len) throw new ParameterProblem('bpf: parsed program length is less than the encoded length parameter')
  return prog
}

const insnText = (i: BpfInsn) => `${i.code} ${i.jt} ${i.jf} ${i.k}`

export const bpfMatch: MatchModule<BpfOptions> = {
  kind: 'match',
  name: 'bpf',
  xtopt: true,
  listGlued: true,
  options: [{ name: 'bytecode', arg: 'required', excl: ['object-pinned'] }, { name: 'object-pinned', arg: 'required', excl: ['bytecode'] }],
  create: () => ({ program: [] }),
  parse(o, option, arg) {
    if (option === 'object-pinned') throw new ParameterProblem('bpf: failed to get bpf object')
    o.program = parseProgram(arg ?? '')
  },
  finalCheck(o) {
    if (o.program.length === 0) throw new ParameterProblem('bpf: one of --bytecode or --pinned is required')
  },
  kernelCheck: (o) => (validBpf(o.program) ? undefined : 'EINVAL'),
  save: (o) => `--bytecode "${o.program.length},${o.program.map(insnText).join(',')}"`,
  list: (o) => `match bpf ${o.program.map(insnText).join(',')}\u0000`,
  evaluate(o, ctx) {
    const ret = runBpf(o.program, packetBytes(ctx.packet))
    const payload = ctx.packet.payload === undefined ? ' (payload taken as zero bytes)' : ''
    return [{ clause: `-m bpf ${this.save(o)}`, matched: ret !== 0, why: `the program returns ${ret}${payload}` }]
  },
}
