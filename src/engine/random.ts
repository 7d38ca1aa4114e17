/**
 * The engine's only source of randomness: a small seeded PRNG (mulberry32), so the same seed gives the same
 * names, IPs and load-balancing choices everywhere (tests, CLI, browser).
 */
import type { Rng as NetfilterRng } from './netfilter/types.ts'

export interface Rng extends NetfilterRng {
  /** A float in [0, 1). */
  next(): number
  /** An integer in [0, n). */
  int(n: number): number
  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T
  /** `length` characters drawn from `alphabet`. */
  string(length: number, alphabet: string): string
  /** The generator's internal state: `createRng(0, state)` continues the same sequence. */
  state(): number
  /** An independent copy that continues the same sequence. */
  clone(): SeededRng
}

export class SeededRng implements Rng {
  private s: number

  constructor(seed: number, state?: number) {
    // Mix the seed once so small seeds (0, 1, 2...) do not start with correlated outputs.
    this.s = state !== undefined ? state >>> 0 : (Math.imul((seed | 0) ^ 0x9e3779b9, 0x85ebca6b) >>> 0)
  }

  next(): number {
    // mulberry32: a 32-bit state, full period 2^32, good enough for simulation choices.
    this.s = (this.s + 0x6d2b79f5) >>> 0
    let t = this.s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0) throw new RangeError(`int(n) needs a positive integer, got ${n}`)
    return Math.floor(this.next() * n)
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick() from an empty array')
    return items[this.int(items.length)]
  }

  string(length: number, alphabet: string): string {
    let out = ''
    for (let i = 0; i < length; i++) out += alphabet[this.int(alphabet.length)]
    return out
  }

  state(): number {
    return this.s
  }

  clone(): SeededRng {
    return new SeededRng(0, this.s)
  }
}

export function createRng(seed: number, state?: number): SeededRng {
  return new SeededRng(seed, state)
}
