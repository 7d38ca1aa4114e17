import { describe, expect, it } from 'vitest'
import { Ruleset } from './ruleset.ts'
import { runCommandLine } from './command-line.ts'
import { ruleToSaveText } from './format-rule.ts'

describe('Ruleset', () => {
  it('has the five tables with exactly their built-in chains, policy ACCEPT, and no table in the kernel yet', () => {
    const rs = Ruleset.create()
    expect([...rs.table('nat').chains.keys()]).toEqual(['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'])
    expect([...rs.table('raw').chains.keys()]).toEqual(['PREROUTING', 'OUTPUT'])
    expect(rs.chain('filter', 'FORWARD')?.policy).toBe('ACCEPT')
    expect(rs.exists('filter')).toBe(false)
  })

  it('clones deeply: changing the copy leaves the original alone', () => {
    const rs = Ruleset.create()
    runCommandLine(rs, 'iptables -A INPUT -j ACCEPT')
    const copy = rs.clone()
    runCommandLine(copy, 'iptables -A INPUT -j DROP')
    copy.chain('filter', 'INPUT')!.rules[0].counters.packets = 9
    expect(rs.chain('filter', 'INPUT')!.rules.map((r) => ruleToSaveText(r))).toEqual(['-j ACCEPT'])
    expect(rs.chain('filter', 'INPUT')!.rules[0].counters.packets).toBe(0)
  })

  it('keeps Table objects, rule objects and rule ids stable across committed commands', () => {
    const rs = Ruleset.create()
    const filter = rs.table('filter')
    runCommandLine(rs, 'iptables -A INPUT -j ACCEPT')
    const first = rs.chain('filter', 'INPUT')!.rules[0]
    runCommandLine(rs, 'iptables -A INPUT -j DROP')
    runCommandLine(rs, 'iptables-restore --noflush', '*filter\n:K - [0:0]\n-A K -j RETURN\nCOMMIT\n')
    expect(rs.table('filter')).toBe(filter)
    expect(rs.chain('filter', 'INPUT')!.rules[0]).toBe(first)
    expect(rs.chain('filter', 'INPUT')!.rules[1].id).not.toBe(first.id)
    // Zeroing replaces the rule object (rules are never changed in place) but keeps its id.
    runCommandLine(rs, 'iptables -Z INPUT')
    expect(rs.chain('filter', 'INPUT')!.rules[0]).not.toBe(first)
    expect(rs.chain('filter', 'INPUT')!.rules[0].id).toBe(first.id)
  })

  it('counts references and lists user chains sorted by name after the built-in ones', () => {
    const rs = Ruleset.create()
    runCommandLine(rs, 'iptables -N KUBE-SERVICES')
    runCommandLine(rs, 'iptables -N KUBE-FORWARD')
    runCommandLine(rs, 'iptables -A FORWARD -j KUBE-FORWARD')
    runCommandLine(rs, 'iptables -A INPUT -g KUBE-FORWARD')
    expect(rs.chainsInOrder('filter').map((c) => c.name)).toEqual(['INPUT', 'FORWARD', 'OUTPUT', 'KUBE-FORWARD', 'KUBE-SERVICES'])
    expect(rs.references('filter', 'KUBE-FORWARD')).toBe(2)
  })

  it('leaves the rule set untouched when a command fails half-way (all or nothing)', () => {
    const rs = Ruleset.create()
    runCommandLine(rs, 'iptables -A INPUT -s 1.1.1.1 -j ACCEPT')
    const r = runCommandLine(rs, 'iptables-restore --noflush', '*filter\n-A INPUT -s 2.2.2.2 -j ACCEPT\n-A INPUT -j NOPE\nCOMMIT\n')
    expect(r.rc).toBe(2)
    expect(runCommandLine(rs, 'iptables -S INPUT').out).toBe('-P INPUT ACCEPT\n-A INPUT -s 1.1.1.1/32 -j ACCEPT\n')
  })
})
