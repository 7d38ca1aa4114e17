/**
 * Classic BPF (the `-m bpf --bytecode` program, as `nfbpf_compile` writes it): the kernel's validity check
 * (bpf_check_classic) and an interpreter over a packet's bytes from its IP header, as xt_bpf runs it — a
 * program returning non-zero matches, a load outside the packet ends it with 0.
 */

export interface BpfInsn { code: number; jt: number; jf: number; k: number }

const LD = 0x00, LDX = 0x01, ST = 0x02, STX = 0x03, ALU = 0x04, JMP = 0x05, RET = 0x06, MISC = 0x07
const W = 0x00, H = 0x08, B = 0x10
const IMM = 0x00, ABS = 0x20, IND = 0x40, MEM = 0x60, LEN = 0x80
const MEMWORDS = 16

/** The opcodes bpf_check_classic accepts. */
const VALID = new Set([
  0x20, 0x28, 0x30, 0x40, 0x48, 0x50, 0x00, 0x60, 0x80, // LD
  0x01, 0x61, 0x81, 0xb1, // LDX
  0x02, 0x03, // ST, STX
  0x04, 0x0c, 0x14, 0x1c, 0x24, 0x2c, 0x34, 0x3c, 0x94, 0x9c, 0x54, 0x5c, 0x44, 0x4c, 0xa4, 0xac, 0x64, 0x6c, 0x74, 0x7c, 0x84, // ALU
  0x05, 0x15, 0x1d, 0x25, 0x2d, 0x35, 0x3d, 0x45, 0x4d, // JMP
  0x06, 0x16, // RET K, RET A
  0x07, 0x87, // TAX, TXA
])

/** bpf_check_classic: known opcodes, no division by a zero constant, memory slots and jumps in range, a return at the end. */
export function validBpf(prog: readonly BpfInsn[]): boolean {
  if (prog.length === 0 || prog.length > 4096) return false
  for (let pc = 0; pc < prog.length; pc++) {
    const { code, jt, jf, k } = prog[pc]
    if (!VALID.has(code)) return false
    if ((code === 0x34 || code === 0x94) && k === 0) return false
    if ((code === 0x64 || code === 0x74) && k >= 32) return false
    if ((code === 0x60 || code === 0x61 || code === 0x02 || code === 0x03) && k >= MEMWORDS) return false
    if (code === 0x05 && k >= prog.length - pc - 1) return false
    if ((code & 0x07) === JMP && code !== 0x05 && (pc + jt + 1 >= prog.length || pc + jf + 1 >= prog.length)) return false
  }
  return (prog[prog.length - 1].code & 0x07) === RET
}

/** Run a valid program over the packet; the value it returns. */
export function runBpf(prog: readonly BpfInsn[], pkt: readonly number[]): number {
  let A = 0
  let X = 0
  const mem = new Array<number>(MEMWORDS).fill(0)
  const load = (at: number, size: number): number | undefined => {
    const n = size === W ? 4 : size === H ? 2 : 1
    if (at < 0 || at + n > pkt.length) return undefined
    let v = 0
    for (let i = 0; i < n; i++) v = (v * 256) + pkt[at + i]
    return v >>> 0
  }
  for (let pc = 0; pc < prog.length; pc++) {
    const { code, jt, jf, k } = prog[pc]
    const cls = code & 0x07
    const mode = code & 0xe0
    const size = code & 0x18
    switch (cls) {
      case LD: {
        let v: number | undefined
        if (mode === IMM) v = k
        else if (mode === ABS) v = load(k, size)
        else if (mode === IND) v = load((X + k) >>> 0, size)
        else if (mode === MEM) v = mem[k]
        else v = pkt.length
        if (v === undefined) return 0
        A = v >>> 0
        break
      }
      case LDX: {
        if (mode === IMM) X = k >>> 0
        else if (mode === MEM) X = mem[k]
        else if (mode === LEN) X = pkt.length
        else {
          const b = load(k, B)
          if (b === undefined) return 0
          X = (b & 0x0f) * 4
        }
        break
      }
      case ST: mem[k] = A; break
      case STX: mem[k] = X; break
      case ALU: {
        const v = code & 0x08 ? X : k >>> 0
        switch (code & 0xf0) {
          case 0x00: A = (A + v) >>> 0; break
          case 0x10: A = (A - v) >>> 0; break
          case 0x20: A = Math.imul(A, v) >>> 0; break
          case 0x30: if (v === 0) return 0; A = Math.floor(A / v) >>> 0; break
          case 0x90: if (v === 0) return 0; A = (A % v) >>> 0; break
          case 0x40: A = (A | v) >>> 0; break
          case 0x50: A = (A & v) >>> 0; break
          case 0xa0: A = (A ^ v) >>> 0; break
          case 0x60: A = v >= 32 ? 0 : (A << v) >>> 0; break
          case 0x70: A = v >= 32 ? 0 : A >>> v; break
          case 0x80: A = (-A) >>> 0; break
        }
        break
      }
      case JMP: {
        const v = code & 0x08 ? X : k >>> 0
        const op = code & 0xf0
        if (op === 0x00) {
          pc += k
          break
        }
        const hit = op === 0x10 ? A === v : op === 0x20 ? A > v : op === 0x30 ? A >= v : (A & v) !== 0
        pc += hit ? jt : jf
        break
      }
      case RET: return (code & 0x18) === 0x10 ? A : (code & 0x08 ? X : k >>> 0)
      case MISC: if (code === 0x07) X = A; else A = X; break
    }
  }
  return 0
}
