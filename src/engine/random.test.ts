import { describe, expect, it } from 'vitest'
import { createRng } from './random.ts'

describe('createRng', () => {
  it('gives the same sequence for the same seed and different ones for different seeds', () => {
    const a = createRng(42)
    const b = createRng(42)
    const c = createRng(43)
    const seqA = Array.from({ length: 5 }, () => a.next())
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(seqA)
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(seqA)
  })

  it('stays in [0, 1) and int(n) in [0, n)', () => {
    const rng = createRng(1)
    for (let i = 0; i < 10000; i++) {
      const x = rng.next()
      expect(x >= 0 && x < 1).toBe(true)
      const k = rng.int(7)
      expect(Number.isInteger(k) && k >= 0 && k < 7).toBe(true)
    }
  })

  it('clone() continues the same sequence independently', () => {
    const rng = createRng(7)
    rng.next()
    const copy = rng.clone()
    expect(copy.next()).toBe(rng.next())
    expect(createRng(0, rng.state()).next()).toBe(rng.clone().next())
  })

  it('string() draws only from the alphabet', () => {
    expect(createRng(3).string(50, 'ab')).toMatch(/^[ab]{50}$/)
  })
})
