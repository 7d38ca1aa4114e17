import { describe, expect, it } from 'vitest'
import {
  broadcastOf, canonicalCIDR, canonicalIP, cidrContains, formatIPv4, inPrefix, ipv4Range, ipv4ToInt, isLoopback,
  listMaskSuffix, maskSuffix, maskToPrefix, parseCIDRSloppy, parseCidr, parseHostMask, parseIPSloppy,
  parseIPv4OrThrow, parseStrictIPv4, parseXtablesIPv4, prefixToMask, rangeContains, saveAddress, sloppyIPv4,
} from './ipv4.ts'
import type { Cidr, IPv4Range } from './ipv4.ts'

describe('uint32 arithmetic', () => {
  it('round-trips dotted quads through integers, unsigned above 128.0.0.0', () => {
    expect(ipv4ToInt('10.96.0.1')).toBe(0x0a600001)
    expect(ipv4ToInt('255.255.255.255')).toBe(0xffffffff)
    expect(formatIPv4(0xc0a80101)).toBe('192.168.1.1')
  })

  it('converts between prefixes and masks; a non-contiguous mask has no prefix', () => {
    expect(prefixToMask(0)).toBe(0)
    expect(prefixToMask(24)).toBe(0xffffff00)
    expect(prefixToMask(32)).toBe(0xffffffff)
    expect(maskToPrefix(0xffff0000)).toBe(16)
    expect(maskToPrefix(0xff00ff00)).toBe(-1)
  })

  it('finds networks, broadcasts and prefix membership', () => {
    const a = ipv4ToInt('10.244.1.7')
    expect(formatIPv4(broadcastOf(a, 24))).toBe('10.244.1.255')
    expect(inPrefix(a, ipv4ToInt('10.244.0.0'), 16)).toBe(true)
    expect(inPrefix(a, ipv4ToInt('10.244.2.0'), 24)).toBe(false)
    expect(inPrefix(a, 0, 0)).toBe(true)
  })
})

describe('Kubernetes validation and host addresses (ipaddr.js)', () => {
  it('accepts only canonical four-part decimal IPv4 and any IPv6', () => {
    expect(canonicalIP('10.0.0.1')).toBe('10.0.0.1')
    expect(canonicalIP('10.0.0.01')).toBeUndefined()
    expect(canonicalIP('10.1')).toBeUndefined()
    expect(canonicalIP('fd00:0::1')).toBe('fd00::1')
  })

  it('gives the network address of a CIDR and refuses prefixes beyond the family', () => {
    expect(canonicalCIDR('10.96.0.1/16')).toBe('10.96.0.0/16')
    expect(canonicalCIDR('10.96.0.0/33')).toBeUndefined()
    expect(canonicalCIDR('fd00::1/64')).toBe('fd00::/64')
    expect(canonicalCIDR('10.96.0.0')).toBeUndefined()
  })

  it('throws naming the text the host was given', () => {
    expect(parseIPv4OrThrow('172.18.0.2')).toBe(ipv4ToInt('172.18.0.2'))
    expect(() => parseIPv4OrThrow('172.18.0')).toThrow('invalid IPv4 address "172.18.0"')
    expect(parseCidr('10.0.0.0/8')).toEqual({ address: ipv4ToInt('10.0.0.0'), prefix: 8 })
    expect(parseCidr('10.0.0.5')).toEqual({ address: ipv4ToInt('10.0.0.5'), prefix: 32 })
    expect(() => parseCidr('10.0.0.0/40')).toThrow('invalid prefix length in "10.0.0.0/40"')
  })

  it('treats a CIDR as a half-open integer range', () => {
    const r = ipv4Range('10.96.0.0/30') as IPv4Range
    expect(r).toEqual({ cidr: '10.96.0.0/30', base: ipv4ToInt('10.96.0.0'), size: 4 })
    expect(rangeContains(r, '10.96.0.3')).toBe(true)
    expect(rangeContains(r, '10.96.0.4')).toBe(false)
    expect(ipv4Range('fd00::/64')).toBeUndefined()
  })
})

describe("kube-proxy's sloppy parsers", () => {
  it('reads leading zeros as decimal, as Go netutils does', () => {
    expect(sloppyIPv4('010.096.000.005')).toBe('10.96.0.5')
    expect(sloppyIPv4('10.0.0.256')).toBeUndefined()
    expect(parseIPSloppy(' 1.2.3.004 ')).toEqual({ ip: '1.2.3.4', family: 'IPv4' })
    expect(parseIPSloppy('fd00:0::1')).toEqual({ ip: 'fd00::1', family: 'IPv6' })
    expect(parseIPSloppy('example')).toBeUndefined()
  })

  it('prints a CIDR as its network and checks containment per family', () => {
    const c = parseCIDRSloppy('10.0.0.1/8') as Cidr
    expect(c.text).toBe('10.0.0.0/8')
    expect(cidrContains(c, '10.200.0.1')).toBe(true)
    expect(cidrContains(c, '11.0.0.1')).toBe(false)
    expect(cidrContains(c, '::1')).toBe(false)
  })

  it('saves hosts with /32 or /128 and spots loopback', () => {
    expect(saveAddress('1.2.3.004')).toBe('1.2.3.4/32')
    expect(saveAddress('fd00::1')).toBe('fd00::1/128')
    expect(saveAddress('10.1.2.3/16')).toBe('10.1.0.0/16')
    expect(isLoopback('127.0.0.53')).toBe(true)
    expect(isLoopback('::1')).toBe(true)
    expect(isLoopback('10.0.0.1')).toBe(false)
  })
})

describe("iptables' address parser (xtables.c)", () => {
  it('accepts short, hex and octal forms', () => {
    expect(parseXtablesIPv4('10.1')).toBe(ipv4ToInt('10.1.0.0'))
    expect(parseXtablesIPv4('0x0a.010.0.1')).toBe(ipv4ToInt('10.8.0.1'))
    expect(parseXtablesIPv4('10.0.0.256')).toBeUndefined()
    expect(parseStrictIPv4('10.1')).toBeUndefined()
    expect(parseStrictIPv4('10.0.0.1')).toBe(ipv4Range('10.0.0.1/32')?.base)
  })

  it('parses -s/-d text, masking the address, with the error texts iptables prints', () => {
    expect(parseHostMask('10.1.2.3/16')).toEqual({ address: ipv4ToInt('10.1.0.0'), mask: 0xffff0000 })
    expect(parseHostMask('localhost')).toEqual({ address: ipv4ToInt('127.0.0.1'), mask: 0xffffffff })
    expect(parseHostMask('10.0.0.0/255.0.255.0')).toEqual({ address: ipv4ToInt('10.0.0.0'), mask: 0xff00ff00 })
    expect(parseHostMask('10.0.0.0/33')).toEqual({ error: "invalid mask `33' specified" })
    expect(parseHostMask('nosuchhost')).toEqual({ error: "host/network `nosuchhost' not found" })
    expect(parseHostMask('10.0.0.0/255.0')).toEqual({ error: "host/network `255.0' not found" })
  })

  it('prints masks as prefixes where contiguous, dotted where not, nothing for a host in -L', () => {
    expect(maskSuffix(0xffffff00)).toBe('/24')
    expect(maskSuffix(0xff00ff00)).toBe('/255.0.255.0')
    expect(listMaskSuffix(0xffffffff)).toBe('')
    expect(listMaskSuffix(0xffff0000)).toBe('/16')
  })
})
