/** Test helpers: a rule built by the real command-line parser, and an evaluation context for a packet. */
import { expect } from 'vitest'
import { Ruleset } from '../ruleset.ts'
import { runIptables } from '../iptables-command.ts'
import { runIpset } from '../../ipset/command.ts'
import { tokenizeCommandLine } from '../command-line.ts'
import type { AddrType, EvalContext, Hook, Packet, Rule, TableName } from '../types.ts'

/** The rule `iptables -t TABLE -A CHAIN SPEC` creates. */
export function ruleFrom(spec: string, table: TableName = 'filter', chain = 'INPUT', ipsets: string[] = []): Rule {
  const rs = Ruleset.create()
  for (const name of ipsets) runIpset(rs.ipsets, ['create', name, 'hash:ip'])
  const r = runIptables(rs, ['-t', table, '-A', chain, ...tokenizeCommandLine(spec)])
  expect(r.err).toBe('')
  return rs.chain(table, chain)!.rules[0]
}

export function packet(p: Partial<Packet> = {}): Packet {
  return { src: '10.0.0.1', dst: '10.0.0.2', proto: 'tcp', sport: 40000, dport: 80, length: 60, ttl: 64, mark: 0, ...p }
}

/** A fixed sequence of random numbers. */
export function fixedRng(values: number[]) {
  let i = 0
  return { next: () => values[i++ % values.length] }
}

export function context(p: Partial<Packet> = {}, extra: Partial<EvalContext> = {}): EvalContext {
  const local = new Set(['10.0.0.2', '192.168.0.10'])
  return {
    packet: packet(p),
    hook: 'INPUT' as Hook,
    table: 'filter',
    chain: 'INPUT',
    ct: undefined,
    node: {
      addrType: (addr: string): AddrType => (local.has(addr) || addr.startsWith('127.') ? 'LOCAL' : 'UNICAST'),
      primaryAddress: (iface: string) => (iface === 'eth0' ? '192.168.0.10' : undefined),
    },
    rng: fixedRng([0.5]),
    now: 0,
    state: new Map(),
    ...extra,
  }
}
