import { describe, expect, it } from 'vitest'
import { duration, simTime, unifiedDiff } from './sync-diff.ts'

describe('a sync diff', () => {
  it('reads as a unified diff of iptables-save lines, with a heading per table', () => {
    const lines = unifiedDiff([
      { op: '+', table: 'filter', chain: 'KUBE-SERVICES', line: '-A KUBE-SERVICES -j X' },
      { op: '+', table: 'nat', chain: 'KUBE-SEP-A', line: ':KUBE-SEP-A - [0:0]' },
      { op: '-', table: 'nat', chain: 'KUBE-SVC-B', line: '-A KUBE-SVC-B -j KUBE-SEP-C' },
    ])
    expect(lines.map((l) => l.text)).toEqual([
      '*filter', '+-A KUBE-SERVICES -j X', '*nat', '+:KUBE-SEP-A - [0:0]', '--A KUBE-SVC-B -j KUBE-SEP-C'])
    expect(lines[3]).toMatchObject({ kind: '+', chain: 'KUBE-SEP-A', table: 'nat' })
  })

  it('states times in readable units', () => {
    expect(simTime(0)).toBe('0 ms')
    expect(simTime(12_340)).toBe('12.3 s')
    expect(simTime(125_000)).toBe('125 s')
    expect(duration(0.25)).toBe('250 µs')
    expect(duration(3.14159)).toBe('3.1 ms')
    expect(duration(250.4)).toBe('250 ms')
  })
})
