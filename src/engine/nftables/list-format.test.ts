/**
 * `nft list` rendering details, each measured with nftables v1.0.6 in a network namespace (the kernel
 * suite in test/nftables-kernel checks whole tables the same way).
 */
import { describe, expect, it } from 'vitest'
import { formatPriority, formatRuleText, formatTime, listTable } from './list-format.ts'
import type { NftTable } from './model.ts'

describe('base chain priorities', () => {
  it('uses standard names only where the hook allows them, with offsets up to 10', () => {
    expect(formatPriority('prerouting', -110)).toBe('dstnat - 10')
    expect(formatPriority('output', -110)).toBe('-110')
    expect(formatPriority('output', -100)).toBe('-100')
    expect(formatPriority('prerouting', -100)).toBe('dstnat')
    expect(formatPriority('input', 0)).toBe('filter')
    expect(formatPriority('postrouting', 100)).toBe('srcnat')
    expect(formatPriority('forward', 10)).toBe('filter + 10')
  })
})

describe('times', () => {
  it('prints the largest units first', () => {
    expect(formatTime(10800)).toBe('3h')
    expect(formatTime(5400)).toBe('1h30m')
    expect(formatTime(86400)).toBe('1d')
    expect(formatTime(10)).toBe('10s')
  })
})

describe('rules', () => {
  it('spells marks out with meta and eight hex digits', () => {
    expect(formatRuleText('mark set mark or 0x4000')).toBe('meta mark set meta mark | 0x00004000')
    expect(formatRuleText('mark and 0x4000 == 0 return')).toBe('meta mark & 0x00004000 == 0x00000000 return')
    expect(formatRuleText('mark set mark xor 0x4000')).toBe('meta mark set meta mark ^ 0x00004000')
  })
  it('drops the braces of a one-element anonymous set and sorts longer ones', () => {
    expect(formatRuleText('ip daddr { 172.30.0.0/16 } drop')).toBe('ip daddr 172.30.0.0/16 drop')
    expect(formatRuleText('ip saddr != { 203.0.113.0/25 , 5.6.7.8 } drop')).toBe('ip saddr != { 5.6.7.8, 203.0.113.0/25 } drop')
    expect(formatRuleText('ip daddr { 172.30.0.0/16,172.50.0.0/16 } drop')).toBe('ip daddr { 172.30.0.0/16, 172.50.0.0/16 } drop')
  })
  it('merges adjacent and overlapping intervals of a set but keeps its braces', () => {
    expect(formatRuleText('ip daddr { 10.96.0.0/16,10.97.0.0/16,10.98.0.0/16 } drop')).toBe('ip daddr { 10.96.0.0-10.98.255.255 } drop')
    expect(formatRuleText('ip saddr != { 192.168.0.0/24 , 192.168.0.128/25 , 1.2.3.4 } drop')).toBe('ip saddr != { 1.2.3.4, 192.168.0.0/24 } drop')
  })
  it('separates verdict map entries with ", "', () => {
    expect(formatRuleText('numgen random mod 2 vmap { 0 : goto a , 1 : goto b }')).toBe('numgen random mod 2 vmap { 0 : goto a, 1 : goto b }')
  })
})

describe('sets', () => {
  const table: NftTable = {
    family: 'ip', name: 't', sets: [
      { name: 's', kind: 'set', type: 'ipv4_addr', elements: ['10.0.0.30', '10.0.0.3', '10.0.1.1', '10.0.0.6', '10.0.0.9'].map((ip) => ({ key: [ip] })) },
      {
        name: 'm', kind: 'map', type: 'inet_proto . inet_service : verdict',
        elements: [['tcp', '301'], ['tcp', '305'], ['udp', '30000'], ['tcp', '302']].map((key) => ({ key, value: ['drop'] })),
      },
    ], chains: [],
  }
  it('sorts addresses numerically, two per line; concatenations by their bytes from the last one, one per line', () => {
    expect(listTable(table)).toBe([
      'table ip t {',
      '\tset s {',
      '\t\ttype ipv4_addr',
      '\t\telements = { 10.0.0.3, 10.0.0.6,',
      '\t\t\t     10.0.0.9, 10.0.0.30,',
      '\t\t\t     10.0.1.1 }',
      '\t}',
      '',
      '\tmap m {',
      '\t\ttype inet_proto . inet_service : verdict',
      '\t\telements = { tcp . 301 : drop,',
      '\t\t\t     tcp . 302 : drop,',
      '\t\t\t     udp . 30000 : drop,',
      '\t\t\t     tcp . 305 : drop }',
      '\t}',
      '}',
      '',
    ].join('\n'))
  })
})
