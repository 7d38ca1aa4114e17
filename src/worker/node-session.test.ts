import { describe, expect, it } from 'vitest'
import nginx from '../../scenarios/nginx-clusterip.yaml?raw'
import firewallExamples from '../../scenarios/firewall-examples.sh?raw'
import { isClearCommand } from '../engine/scenario/run-operation.ts'
import { EngineSession } from './engine-session.ts'
import { CONSOLE_OUTPUT_LIMIT, consoleEntryView, firstLines } from './node-queries.ts'
import type { NodeRequest, NodeResponse } from './node-protocol.ts'
import type { Operation, Scenario } from './operations.ts'

const base: Scenario = { seed: 1, operations: [{ type: 'apply', yaml: nginx }] }
const NODES = ['kind-control-plane', 'kind-worker', 'kind-worker2']
const withOps = (...ops: Operation[]): Scenario => ({ ...base, operations: [...base.operations, ...ops] })
const typed = (node: string, line: string, stdin?: string): Operation =>
  stdin === undefined ? { type: 'console', node, line } : { type: 'console', node, line, stdin }

function ask<T extends NodeRequest['type']>(session: EngineSession, request: Extract<NodeRequest, { type: T }>): Extract<NodeResponse, { type: T }> {
  const response = session.handle(request)
  if (response.type !== request.type) throw new Error(`expected ${request.type}, got ${response.type}`)
  return response as Extract<NodeResponse, { type: T }>
}

const consoleOf = (session: EngineSession, scenario: Scenario, node: string) =>
  ask(session, { type: 'nodeConsole', scenario, node }).entries
const tableOf = (session: EngineSession, scenario: Scenario, node: string, table: 'filter' | 'nat', chain?: string, filter?: string) =>
  ask(session, { type: 'nodeTable', scenario, node, query: { table, ...(chain ? { chain } : {}), ...(filter ? { filter } : {}) } }).table

describe('console operations', () => {
  it('change only the node they were typed on, and their output is kept with the scenario', () => {
    const session = new EngineSession()
    const scenario = withOps(typed('kind-worker', 'sudo iptables -A INPUT -s 192.168.1.1 -j DROP'), typed('kind-worker', 'iptables -S INPUT'))
    const entries = consoleOf(session, scenario, 'kind-worker')
    expect(entries.map((e) => [e.index, e.line, e.rc])).toEqual([[1, 'sudo iptables -A INPUT -s 192.168.1.1 -j DROP', 0], [2, 'iptables -S INPUT', 0]])
    expect(entries[1].out).toContain('-A INPUT -s 192.168.1.1/32 -j DROP\n')
    expect(consoleOf(session, scenario, 'kind-worker2')).toEqual([])

    const input = tableOf(session, scenario, 'kind-worker', 'filter', 'INPUT').selected!
    expect(input.rows.map((r) => r.spec)).toContain('-A INPUT -s 192.168.1.1/32 -j DROP')
    const other = tableOf(session, scenario, 'kind-worker2', 'filter', 'INPUT').selected!
    expect(other.rows.map((r) => r.spec)).not.toContain('-A INPUT -s 192.168.1.1/32 -j DROP')
  })

  it('report a failing command as output with its exit status (it is still part of the scenario)', () => {
    const session = new EngineSession()
    const entries = consoleOf(session, withOps(typed('kind-worker', 'iptables -A NOPE -j DROP'), typed('kind-worker', 'frobnicate')), 'kind-worker')
    expect(entries[0].rc).not.toBe(0)
    expect(entries[0].err).toBe('iptables: No chain/target/match by that name.\n')
    expect(entries[1]).toMatchObject({ rc: 127, err: 'bash: frobnicate: command not found\n' })
  })

  it('feed pasted text to iptables-restore', () => {
    const session = new EngineSession()
    const rules = '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp --dport 8080 -j REJECT\nCOMMIT\n'
    const scenario = withOps(typed('kind-worker2', 'iptables-restore --noflush', rules))
    expect(consoleOf(session, scenario, 'kind-worker2')[0]).toMatchObject({ rc: 0, stdin: rules })
    const input = tableOf(session, scenario, 'kind-worker2', 'filter', 'INPUT').selected!
    expect(input.rows.at(-1)!.spec).toBe('-A INPUT -p tcp -m tcp --dport 8080 -j REJECT --reject-with icmp-port-unreachable')
  })

  it('run every line of firewall-examples.sh verbatim', () => {
    const lines = firewallExamples.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'))
    expect(lines.length).toBeGreaterThan(5)
    const scenario = withOps(...lines.map((l) => typed('kind-worker', l)))
    const entries = consoleOf(new EngineSession(), scenario, 'kind-worker')
    expect(entries.map((e) => [e.line, e.rc, e.err])).toEqual(lines.map((l) => [l, 0, '']))
  })

  it('replay to the same state whether the scenario grew one step at a time or was replayed from scratch', () => {
    const grown = new EngineSession()
    consoleOf(grown, base, 'kind-worker')
    const op = typed('kind-worker', 'iptables -I INPUT -p tcp --dport 22 -j DROP')
    const tried = grown.handle({ type: 'try', scenario: base, operation: op })
    expect(tried.type === 'try' && tried.result.ok).toBe(true)
    const longer = withOps(op)
    expect(consoleOf(grown, longer, 'kind-worker')).toEqual(consoleOf(new EngineSession(), longer, 'kind-worker'))
    expect(ask(grown, { type: 'nodeSave', scenario: longer, node: 'kind-worker', counters: false }).text)
      .toEqual(ask(new EngineSession(), { type: 'nodeSave', scenario: longer, node: 'kind-worker', counters: false }).text)
  })

  it('refuse a command for a node that does not exist, leaving the scenario untouched', () => {
    const session = new EngineSession()
    const tried = session.handle({ type: 'try', scenario: base, operation: typed('kind-worker9', 'iptables -S') })
    if (tried.type !== 'try' || tried.result.ok) throw new Error('expected a refusal')
    expect(tried.result.message).toMatch(/kind-worker9/)
  })

  it('treat clear as wiping the screen, without reaching the node', () => {
    expect(isClearCommand('clear')).toBe(true)
    expect(isClearCommand('sudo clear')).toBe(true)
    expect(isClearCommand('clear all')).toBe(false)
    expect(isClearCommand('iptables -S')).toBe(false)
    const entries = consoleOf(new EngineSession(), withOps(typed('kind-worker', 'clear'), typed('kind-worker', 'history')), 'kind-worker')
    expect(entries[0]).toMatchObject({ line: 'clear', clear: true, rc: 0 })
    expect(entries[1].out).not.toContain('clear')
  })
})

describe('rules, iptables-save and syncs of each node', () => {
  it('list a table\'s chains in iptables -L order with policies, and the selected chain\'s rules with counters and jump targets', () => {
    const view = tableOf(new EngineSession(), base, 'kind-worker', 'nat', 'KUBE-SERVICES')
    expect(view.exists).toBe(true)
    expect(view.release).toMatch(/^v1\.\d+$/)
    expect(view.chains.slice(0, 4).map((c) => [c.name, c.policy])).toEqual([
      ['PREROUTING', 'ACCEPT'], ['INPUT', 'ACCEPT'], ['OUTPUT', 'ACCEPT'], ['POSTROUTING', 'ACCEPT']])
    const selected = view.selected!
    expect(selected.callers).toEqual(['PREROUTING', 'OUTPUT'])
    const svc = selected.rows.find((r) => r.targetChain?.startsWith('KUBE-SVC-') && r.extra.includes('default/nginx-service'))!
    expect(svc.columns).toMatch(/^ 6 +-- +\* +\* +0\.0\.0\.0\/0 +10\.96\.\d+\.\d+$/)
    expect(svc.extra).toBe('/* default/nginx-service cluster IP */ tcp dpt:80')
    expect(svc.pktsText.trim()).toBe('0')
    expect(selected.callees).toContain(svc.targetChain)
    expect(view.edges).toContainEqual(['KUBE-SERVICES', svc.targetChain])
  })

  it('filter chains by name or rule text, and page long chains', () => {
    const session = new EngineSession()
    const sep = tableOf(session, base, 'kind-worker', 'nat', undefined, 'kube-sep-')
    expect(sep.chains.length).toBeGreaterThanOrEqual(2)
    expect(sep.chains.every((c) => c.name.startsWith('KUBE-SEP-') || c.name.startsWith('KUBE-SVC-'))).toBe(true)
    const page = ask(session, { type: 'nodeTable', scenario: base, node: 'kind-worker', query: { table: 'nat', chain: 'KUBE-SERVICES', offset: 1, limit: 1 } }).table.selected!
    expect(page.rows).toHaveLength(1)
    expect(page.rows[0].num).toBe(2)
    expect(page.total).toBeGreaterThan(2)
  })

  it('print iptables-save with and without counters', () => {
    const session = new EngineSession()
    const plain = ask(session, { type: 'nodeSave', scenario: base, node: 'kind-worker', counters: false }).text
    const counted = ask(session, { type: 'nodeSave', scenario: base, node: 'kind-worker', counters: true }).text
    expect(plain).toMatch(/^# Generated by iptables-save v1\.8\.9/)
    expect(plain).toContain('-A KUBE-SERVICES')
    expect(counted).toMatch(/^\[0:0\] -A KUBE-SERVICES/m)
    const head = ask(session, { type: 'nodeSave', scenario: base, node: 'kind-worker', counters: false, maxLines: 3 })
    expect(head.text).toBe(plain.split('\n').slice(0, 3).join('\n') + '\n')
    expect(head.totalLines).toBe(plain.split('\n').length - 1)
  })

  it('show new KUBE-SEP- chains in the newest sync diff of every node after scaling the Deployment', () => {
    const session = new EngineSession()
    const scaled = withOps({ type: 'scale', namespace: 'default', name: 'nginx-deployment', replicas: 4 })
    const before = new Set(ask(session, { type: 'serviceChains', scenario: base, namespace: 'default', name: 'nginx-service' }).chains)
    const after = ask(session, { type: 'serviceChains', scenario: scaled, namespace: 'default', name: 'nginx-service' }).chains
    const newSeps = after.filter((c) => c.startsWith('KUBE-SEP-') && !before.has(c))
    expect(newSeps).toHaveLength(2)
    for (const node of NODES) {
      const syncs = ask(session, { type: 'nodeSyncs', scenario: scaled, node }).syncs
      const addedChains = syncs.flatMap((s) => s.diff.filter((d) => d.op === '+' && d.line.startsWith(':')).map((d) => d.chain))
      for (const sep of newSeps) expect(addedChains).toContain(sep)
      expect(syncs[0].seq).toBeGreaterThan(syncs.at(-1)!.seq)
    }
  })

  it('name a Service\'s chains with kube-proxy\'s hashes; every one of them exists on every node', () => {
    const session = new EngineSession()
    const chains = ask(session, { type: 'serviceChains', scenario: base, namespace: 'default', name: 'nginx-service' }).chains
    expect(chains.filter((c) => c.startsWith('KUBE-SEP-'))).toHaveLength(2)
    expect(chains.filter((c) => c.startsWith('KUBE-SVC-'))).toHaveLength(1)
    // A ClusterIP Service has no external, local-policy or firewall chain.
    expect(chains).toHaveLength(3)
    for (const node of NODES) {
      const names = new Set(tableOf(session, base, node, 'nat').chains.map((c) => c.name))
      for (const c of chains.filter((n) => /^KUBE-(SVC|SEP)-/.test(n))) expect(names).toContain(c)
    }
    expect(ask(session, { type: 'serviceChains', scenario: base, namespace: 'default', name: 'nope' }).chains).toEqual([])
  })
})

describe('firstLines', () => {
  it('cuts a text after its first lines and counts them all', () => {
    expect(firstLines('a\nb\nc\n', 2)).toEqual({ text: 'a\nb\n', totalLines: 3 })
    expect(firstLines('a\nb\nc\n', 3)).toEqual({ text: 'a\nb\nc\n', totalLines: 3 })
    expect(firstLines('a\nb\nc\n')).toEqual({ text: 'a\nb\nc\n', totalLines: 3 })
    expect(firstLines('a\nb', 5)).toEqual({ text: 'a\nb', totalLines: 2 })
    expect(firstLines('', 5)).toEqual({ text: '', totalLines: 0 })
  })
})

describe('consoleEntryView', () => {
  it('cuts a huge output at a line end and says how long it was', () => {
    const line = 'x'.repeat(99) + '\n'
    const out = line.repeat(Math.ceil(CONSOLE_OUTPUT_LIMIT / 100) + 10)
    const view = consoleEntryView({ index: 1, line: 'iptables-save', rc: 0, out, err: '' })
    expect(view.outChars).toBe(out.length)
    expect(view.out.length).toBeLessThanOrEqual(CONSOLE_OUTPUT_LIMIT)
    expect(view.out.endsWith('\n')).toBe(true)
    expect(out.startsWith(view.out)).toBe(true)
    const small = { index: 2, line: 'ip route', rc: 0, out: line, err: '' }
    expect(consoleEntryView(small)).toBe(small)
  })
})
