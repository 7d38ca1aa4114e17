/**
 * Fuzzing (seeded, so failures reproduce): random command lines and random rule sets must never make the
 * engine throw or hang — every input ends in a CommandResult — and any rule set the engine accepted must
 * survive iptables-save -> iptables-restore -> iptables-save unchanged.
 */
import { describe, expect, it } from 'vitest'
import { createRng, type SeededRng } from '../random.ts'
import { Ruleset } from './ruleset.ts'
import { runCommandLine } from './command-line.ts'
import { runIptablesSave, runIptablesRestore } from './iptables-command.ts'
import { applyTarget, evaluateRule } from './evaluate-rule.ts'
import { context } from './test-support/rules.ts'
import type { ConntrackInfo, Hook, TableName } from './types.ts'

const WORDS = [
  '-A', '-I', '-D', '-R', '-C', '-F', '-Z', '-N', '-X', '-E', '-P', '-L', '-S', '-t', '-n', '-v', '-x', '--line-numbers',
  '-s', '-d', '-p', '-i', '-o', '-j', '-g', '-m', '!', '-f', '-c', '-w', '--append', '--insert', '--policy', '--list',
  'INPUT', 'OUTPUT', 'FORWARD', 'PREROUTING', 'POSTROUTING', 'KUBE-SVC', 'KUBE-SEP', 'FOO', 'filter', 'nat', 'mangle',
  'raw', 'security', 'bogus', 'ACCEPT', 'DROP', 'REJECT', 'RETURN', 'LOG', 'MARK', 'DNAT', 'SNAT', 'MASQUERADE',
  'REDIRECT', 'CT', 'NOTRACK', 'CONNMARK', 'tcp', 'udp', 'icmp', 'all', '6', '300', 'comment', 'statistic', 'mark',
  'conntrack', 'state', 'addrtype', 'recent', 'set', 'iprange', 'limit', 'multiport', 'nfacct', '--dport', '--sport',
  '--syn', '--tcp-flags', 'SYN,ACK', 'ALL', 'NONE', '--icmp-type', 'echo-request', '--comment', '"a b"', "'x'",
  '--mode', 'random', 'nth', '--probability', '0.5', '1.5', '--every', '--packet', '--mark', '0x4000/0x4000',
  '--ctstate', 'NEW,ESTABLISHED', '--dst-type', 'LOCAL', '--name', '--set', '--rcheck', '--seconds', '--limit',
  '5/min', '--limit-burst', '--dports', '80,443', '--to-destination', '10.0.0.1:80', '--to-source', '1.2.3.4',
  '--to-ports', '8080', '--set-xmark', '--or-mark', '--reject-with', 'tcp-reset', '--log-prefix', '--random-fully',
  '--src-range', '10.0.0.1-10.0.0.9', '--match-set', 'src', '10.0.0.0/8', '1.2.3.4', '256.1.1.1', '0/0', 'eth0',
  'veth+', '1', '2', '99', '0', '-1', '--', '-', '-nvL', '-Lnv', '--foo', '--dport=80', '=', '\\"', '#',
]

function randomLine(rng: SeededRng): string {
  const n = rng.int(14)
  const words: string[] = [rng.pick(['iptables', 'iptables', 'iptables', 'sudo iptables', 'iptables-save', 'ipset'])]
  for (let i = 0; i < n; i++) words.push(rng.pick(WORDS))
  return words.join(' ')
}

/** A valid rule spec for a chain in a table, built from pieces the engine accepts. */
function randomRuleSpec(rng: SeededRng, table: TableName, chain: string, userChains: string[]): string {
  const parts: string[] = []
  if (rng.next() < 0.4) parts.push(`${rng.next() < 0.2 ? '! ' : ''}-s 10.${rng.int(256)}.0.0/${8 + rng.int(25)}`)
  if (rng.next() < 0.4) parts.push(`-d 10.96.0.${rng.int(256)}`)
  const proto = rng.pick(['tcp', 'udp', 'icmp', undefined, undefined])
  if (proto) parts.push(`-p ${proto}`)
  if (proto === 'tcp' && rng.next() < 0.6) parts.push(`--dport ${rng.int(65536)}`)
  if (proto === 'tcp' && rng.next() < 0.3) parts.push('--syn')
  if (proto === 'udp' && rng.next() < 0.6) parts.push(`--sport ${rng.int(1000)}:${1000 + rng.int(1000)}`)
  if (proto === 'icmp' && rng.next() < 0.6) parts.push(`--icmp-type ${rng.pick(['echo-request', '3/4', 'any', '0'])}`)
  if (rng.next() < 0.4) parts.push(`-m comment --comment "c ${rng.int(100)}"`)
  if (rng.next() < 0.3) parts.push(`-m statistic --mode random --probability 0.${rng.int(100000)}`)
  if (rng.next() < 0.2) parts.push('-m statistic --mode nth --every 3 --packet 1')
  if (rng.next() < 0.3) parts.push(`-m mark ${rng.next() < 0.5 ? '! ' : ''}--mark 0x4000/0x4000`)
  if (rng.next() < 0.3) parts.push(`-m conntrack --ctstate ${rng.pick(['NEW', 'INVALID', 'RELATED,ESTABLISHED', 'DNAT'])}`)
  if (rng.next() < 0.2) parts.push('-m addrtype --dst-type LOCAL')
  if (rng.next() < 0.1) parts.push('-m limit --limit 2/sec --limit-burst 3')
  if (rng.next() < 0.1) parts.push('-m recent --name r --set')
  if (rng.next() < 0.1) parts.push('-m iprange --src-range 10.0.0.1-10.0.0.9')
  if (rng.next() < 0.1 && (proto === 'tcp' || proto === 'udp')) parts.push('-m multiport --dports 80,443,8000:8080')
  const targets: string[] = ['ACCEPT', 'RETURN', 'LOG --log-prefix "x: "', 'MARK --or-mark 0x4000', 'CONNMARK --save-mark']
  if (table !== 'nat') targets.push('DROP') // iptables refuses DROP in nat
  if (table === 'filter') targets.push('REJECT', proto === 'tcp' ? 'REJECT --reject-with tcp-reset' : 'REJECT --reject-with icmp-host-prohibited')
  if (table === 'nat' && (chain === 'PREROUTING' || chain === 'OUTPUT')) targets.push(proto === 'tcp' ? 'DNAT --to-destination 10.244.1.2:8080' : 'DNAT --to-destination 10.244.1.2', 'REDIRECT')
  if (table === 'nat' && chain === 'POSTROUTING') targets.push('MASQUERADE --random-fully', 'SNAT --to-source 192.168.0.1')
  if (table === 'raw') targets.push('NOTRACK', 'CT --notrack')
  const pick = rng.next()
  if (pick < 0.15 && userChains.length > 0) parts.push(`-j ${rng.pick(userChains)}`)
  else if (pick < 0.2 && userChains.length > 0) parts.push(`-g ${rng.pick(userChains)}`)
  else if (pick < 0.95) parts.push(`-j ${rng.pick(targets)}`)
  return parts.join(' ')
}

const BUILTIN: Record<TableName, Hook[]> = {
  raw: ['PREROUTING', 'OUTPUT'], mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'], filter: ['INPUT', 'FORWARD', 'OUTPUT'], security: ['INPUT', 'FORWARD', 'OUTPUT'],
}

describe('fuzz', () => {
  it('random command lines always end in a result, never an exception', () => {
    const rng = createRng(20261124)
    const rs = Ruleset.create()
    const seen = new Set<number>()
    for (let i = 0; i < 4000; i++) {
      const line = randomLine(rng)
      const r = runCommandLine(rs, line)
      expect(typeof r.rc).toBe('number')
      expect(typeof r.out).toBe('string')
      expect(typeof r.err).toBe('string')
      seen.add(r.rc)
      if (r.rc !== 0) expect(r.err.length).toBeGreaterThan(0)
    }
    // The generator reaches both successes and the various failure statuses.
    expect([...seen].sort()).toEqual(expect.arrayContaining([0, 1, 2]))
  })

  it('random iptables-restore input always ends in a result', () => {
    const rng = createRng(7)
    const rs = Ruleset.create()
    for (let i = 0; i < 500; i++) {
      const lines: string[] = []
      const n = rng.int(12)
      for (let k = 0; k < n; k++) {
        lines.push(rng.pick(['*filter', '*nat', '*bogus', 'COMMIT', ':INPUT DROP [1:2]', ':KUBE-X - [0:0]', ':INPUT FOO', '# c', '',
          `-A ${rng.pick(['INPUT', 'KUBE-X', 'PREROUTING'])} ${randomLine(rng).split(' ').slice(1).join(' ')}`,
          '[3:4] -A INPUT -j ACCEPT', '-X KUBE-X', '-A INPUT -m comment --comment "unterminated']))
      }
      const r = runIptablesRestore(rs, lines.join('\n'), rng.pick([[], ['--noflush'], ['-c'], ['--test']]))
      expect(typeof r.rc).toBe('number')
    }
  })

  it('random valid rule sets round-trip through save/restore and evaluate without throwing', () => {
    const rng = createRng(42)
    for (let round = 0; round < 25; round++) {
      const rs = Ruleset.create()
      const tables: TableName[] = ['raw', 'mangle', 'nat', 'filter']
      const users: Record<string, string[]> = {}
      for (const t of tables) {
        users[t] = Array.from({ length: rng.int(4) }, (_, k) => `U${k}`)
        for (const u of users[t]) expect(runCommandLine(rs, `iptables -t ${t} -N ${u}`).rc).toBe(0)
      }
      let accepted = 0
      for (let k = 0; k < 60; k++) {
        const t = rng.pick(tables)
        const chain = rng.next() < 0.7 || users[t].length === 0 ? rng.pick(BUILTIN[t]) : rng.pick(users[t])
        const r = runCommandLine(rs, `iptables -t ${t} -A ${chain} ${randomRuleSpec(rng, t, chain, users[t].filter((u) => u !== chain))}`)
        if (r.rc === 0) accepted++
        else expect(r.rc).toBe(4) // only the kernel may refuse these (loops, hooks), never the parser
      }
      expect(accepted).toBeGreaterThan(10)
      const saved = runIptablesSave(rs, ['-c']).out
      const copy = Ruleset.create()
      const restored = runIptablesRestore(copy, saved, ['-c'])
      expect(restored).toEqual({ rc: 0, out: '', err: '' })
      expect(runIptablesSave(copy, ['-c']).out).toBe(saved)

      for (const t of tables) {
        for (const chain of rs.chainsInOrder(t)) {
          for (const rule of chain.rules) {
            for (let p = 0; p < 3; p++) {
              const ct: ConntrackInfo | undefined = rng.next() < 0.5 ? undefined : { state: rng.pick(['NEW', 'ESTABLISHED', 'INVALID'] as const), direction: 'ORIGINAL' }
              const ctx = context({
                proto: rng.pick(['tcp', 'udp', 'icmp', 47] as const), dport: rng.int(65536), mark: rng.next() < 0.5 ? 0x4000 : 0,
                inIface: rng.pick(['eth0', 'veth1', undefined]), outIface: rng.pick(['eth0', undefined]),
              }, { table: t, chain: chain.name, ct, rng, now: p * 100 })
              const result = evaluateRule(rule, ctx)
              expect(result.clauses.length).toBeGreaterThanOrEqual(result.matched ? 0 : 1)
              if (result.matched) applyTarget(rule, ctx)
            }
          }
        }
      }
    }
  })
})
