import { describe, expect, it } from 'vitest'
import { createRng } from '../random.ts'
import { allocateClusterIP, allocateNodePort, allocatePodCIDR, allocatePodIP, allocateLoadBalancerIP } from './ip-allocator.ts'
import { formatIPv4, ipv4Range } from '../net/ipv4.ts'
import type { IPv4Range } from '../net/ipv4.ts'

const range = (cidr: string) => ipv4Range(cidr) as IPv4Range

describe('cluster IP allocation', () => {
  it('picks from the upper band of the service CIDR (offset 256 for a /16), leaving the lower band for static IPs', () => {
    const rng = createRng(5)
    for (let i = 0; i < 200; i++) {
      const ip = allocateClusterIP([range('10.96.0.0/16')], new Set(), rng) ?? ''
      expect(ip.startsWith('10.96.')).toBe(true)
      expect(Number(ip.split('.')[2])).toBeGreaterThanOrEqual(1)
      expect(ip).not.toBe('10.96.255.255')
    }
  })

  it('falls back to the lower band, then the next range, when full; undefined when everything is taken', () => {
    // A /28 has 14 usable addresses; its band offset is min(max(16, 14/16), 256) = 16 -> all in the lower band.
    const small = range('10.0.0.0/28')
    const used = new Set<string>()
    for (let i = 0; i < 14; i++) {
      const ip = allocateClusterIP([small], used, createRng(i))
      expect(ip).toBeDefined()
      used.add(ip as string)
    }
    expect([...used].sort()).toEqual(Array.from({ length: 14 }, (_, i) => `10.0.0.${i + 1}`).sort())
    expect(allocateClusterIP([small], used, createRng(1))).toBeUndefined()
    expect(allocateClusterIP([small, range('10.1.0.0/30')], used, createRng(1))).toMatch(/^10\.1\.0\.[12]$/)
  })
})

describe('node port allocation', () => {
  it('stays in 30086-32767 (the dynamic band) while it has room', () => {
    const rng = createRng(3)
    const used = new Set<number>()
    for (let i = 0; i < 300; i++) {
      const p = allocateNodePort(used, rng) as number
      expect(p).toBeGreaterThanOrEqual(30086)
      expect(p).toBeLessThanOrEqual(32767)
      expect(used.has(p)).toBe(false)
      used.add(p)
    }
  })
})

describe('host-local pod IP allocation', () => {
  it('starts at .2, continues after the last address given, and wraps round to reuse freed ones', () => {
    const used = new Set<string>()
    let last: number | undefined
    const next = () => {
      const n = allocatePodIP('10.244.1.0/29', last, used)
      if (n === undefined) return undefined
      last = n
      used.add(formatIPv4(n))
      return formatIPv4(n)
    }
    expect([next(), next(), next()]).toEqual(['10.244.1.2', '10.244.1.3', '10.244.1.4'])
    used.delete('10.244.1.2')
    // .5 and .6 first (after the last one), then the freed .2; .7 is the broadcast address.
    expect([next(), next(), next(), next()]).toEqual(['10.244.1.5', '10.244.1.6', '10.244.1.2', undefined])
  })
})

describe('pod CIDRs, node IPs and the load-balancer pool', () => {
  it('hands out the next free /24 of the cluster CIDR', () => {
    expect(allocatePodCIDR('10.244.0.0/16', ['10.244.0.0/24', '10.244.2.0/24'])).toBe('10.244.1.0/24')
  })

  it('takes the lowest free address of 172.18.255.200-250', () => {
    expect(allocateLoadBalancerIP(new Set(['172.18.255.200', '172.18.255.202']))).toBe('172.18.255.201')
  })
})
