import { describe, expect, it } from 'vitest'
import { computeProbability, formatFixed, masqueradeMark, savedProbability } from './numbers.ts'

describe('numbers as kube-proxy and iptables print them', () => {
  it('computeProbability is Go fmt "%0.10f" of 1/n (upstream TestComputeProbability)', () => {
    const expected: Record<number, string> = {
      1: '1.0000000000', 2: '0.5000000000', 10: '0.1000000000', 100: '0.0100000000', 1000: '0.0010000000',
      10000: '0.0001000000', 100000: '0.0000100000', 100001: '0.0000099999',
    }
    for (const [n, p] of Object.entries(expected)) expect(computeProbability(Number(n))).toBe(p)
    expect([3, 4, 5, 6, 7].map(computeProbability)).toEqual(['0.3333333333', '0.2500000000', '0.2000000000', '0.1666666667', '0.1428571429'])
  })

  it('probabilities decrease strictly from n=2 to n=100000, as upstream checks', () => {
    let prev = 0
    for (let i = 100000; i > 1; i--) {
      const p = Number(computeProbability(i))
      expect(p > prev).toBe(true)
      prev = p
    }
  })

  it('rounds an exact tie to even like Go (JavaScript toFixed would round 1/2048 up)', () => {
    expect(formatFixed(1 / 2048, 10)).toBe('0.0004882812')
    expect((1 / 2048).toFixed(10)).toBe('0.0004882813')
    expect(formatFixed(0.125, 2)).toBe('0.12')
    expect(formatFixed(0.375, 2)).toBe('0.38')
  })

  it('iptables-save prints the stored fixed-point probability with 11 decimals (checked in the kernel)', () => {
    expect(savedProbability('0.5000000000')).toBe('0.50000000000')
    expect(savedProbability('0.3333333333')).toBe('0.33333333349')
    expect(savedProbability('0.2500000000')).toBe('0.25000000000')
    expect(savedProbability('0.2000000000')).toBe('0.20000000019')
    expect(savedProbability('0.1666666667')).toBe('0.16666666651')
    expect(savedProbability('0.1428571429')).toBe('0.14285714272')
  })

  it('the masquerade mark is Go "%#08x" of 1<<bit: the digits are zero-padded to 8, then 0x', () => {
    expect(masqueradeMark(14)).toBe('0x00004000')
    expect(masqueradeMark(0)).toBe('0x00000001')
    expect(masqueradeMark(31)).toBe('0x80000000')
  })
})
