import { describe, expect, it } from 'vitest'
import { defaultScenario } from '../state/default-scenario.ts'
import { EngineSession } from './engine-session.ts'
import { PROXY_MODES } from '../engine/kube-proxy/proxy-modes.ts'
import { modeManifest } from './compare-protocol.ts'
import type { Operation, Scenario } from './operations.ts'
import type { TryResult } from './protocol.ts'

function tryOp(session: EngineSession, scenario: Scenario, operation: Operation): Extract<TryResult, { ok: true }> {
  const response = session.handle({ type: 'try', scenario, operation })
  if (response.type !== 'try') throw new Error(`unexpected ${response.type}`)
  if (!response.result.ok) throw new Error(response.result.message)
  return response.result
}

const toNginx = { to: 'default/nginx-service', port: 80, proto: 'tcp' } as const

describe('sendPacket operations in the engine session', () => {
  it('sends one packet from a Node to the nginx Service and answers with the journey to an nginx Pod', () => {
    const session = new EngineSession()
    const result = tryOp(session, defaultScenario(), { type: 'sendPacket', from: 'kind-worker', ...toNginx })
    const journey = result.journey!
    expect(journey.verdict).toBe('delivered')
    expect(journey.reachedPod).toMatch(/^nginx-deployment-/)
    const dnat = journey.hops.find((h) => h.kind === 'rule' && h.chain?.startsWith('KUBE-SEP-') && h.changed.includes('dst'))
    expect(dnat?.packetBefore.dst).toBe(journey.resolved.dst)
    expect(dnat?.packetAfter.dst).toBe(journey.reached?.kind === 'pod' ? journey.reached.ip : null)
  })

  it('replays sent packets deterministically: the same scenario lands the next packet on the same Pod', () => {
    const base = defaultScenario()
    const first: Operation = { type: 'sendPacket', from: 'kind-worker', ...toNginx }
    const second: Operation = { type: 'sendPacket', from: 'kind-worker2', ...toNginx }
    const a = tryOp(new EngineSession(), { ...base, operations: [...base.operations, first] }, second).journey!
    const fresh = new EngineSession()
    tryOp(fresh, base, first)
    const b = tryOp(fresh, { ...base, operations: [...base.operations, first] }, second).journey!
    expect(b.reachedPod).toBe(a.reachedPod)
    expect(b.sport).toBe(a.sport)
  })

  it('refuses a packet to a port the Service does not have, with the engine\'s reason', () => {
    const response = new EngineSession().handle({ type: 'try', scenario: defaultScenario(), operation: { type: 'sendPacket', from: 'kind-worker', to: 'default/nginx-service', port: 81, proto: 'tcp' } })
    expect(response.type === 'try' && !response.result.ok && response.result.message).toMatch(/has no tcp port 81/)
  })

  it('sends 1,000 connections: they all land on the two nginx Pods, each expected to take half', () => {
    const result = tryOp(new EngineSession(), defaultScenario(), { type: 'sendPacket', from: 'kind-worker', ...toNginx, count: 1000 })
    const lb = result.loadBalance!
    const counts = Object.values(lb.result.landed)
    expect(counts).toHaveLength(2)
    expect(counts.reduce((a, b) => a + b, 0)).toBe(1000)
    expect(lb.chain).toMatch(/^KUBE-SVC-/)
    expect(lb.expected.map((e) => e.share)).toEqual([0.5, 0.5])
    expect(new Set(lb.expected.map((e) => e.pod))).toEqual(new Set(Object.keys(lb.result.landed)))
  })
})

describe('the load-balancing histogram with session affinity', () => {
  const sticky = `apiVersion: v1
kind: Service
metadata: {name: nginx-sticky}
spec:
  selector: {app: nginx}
  sessionAffinity: ClientIP
  ports: [{port: 80, targetPort: 80}]
`
  for (const mode of PROXY_MODES) {
    it(`lists each Pod once, and the one that takes every connection is expected to (${mode} mode)`, () => {
      const base = defaultScenario()
      const scenario: Scenario = { ...base, operations: [...base.operations, { type: 'apply', yaml: sticky }, { type: 'apply', yaml: modeManifest(mode) }] }
      const lb = tryOp(new EngineSession(), scenario, { type: 'sendPacket', from: 'kind-worker', to: 'default/nginx-sticky', port: 80, proto: 'tcp', count: 200 }).loadBalance!
      const pods = lb.expected.map((e) => e.pod)
      expect(new Set(pods).size).toBe(pods.length)
      expect(pods).toHaveLength(2)
      const [[pod, landed]] = Object.entries(lb.result.landed)
      expect(landed).toBe(200)
      expect(lb.expected.find((e) => e.pod === pod)?.share).toBe(1)
      expect(lb.expected.filter((e) => e.pod !== pod).map((e) => e.share)).toEqual([0])
      expect(lb.expected.every((e) => /^10\.244\.\d+\.\d+:80$/.test(e.endpoint))).toBe(true)
    })
  }
})

describe('a sent packet in the history', () => {
  it('reads as what was sent', async () => {
    const { describeOperation } = await import('./operations.ts')
    expect(describeOperation({ type: 'sendPacket', from: 'kind-worker', to: 'default/nginx-service', port: 80, proto: 'tcp' }))
      .toBe('send a TCP packet kind-worker → default/nginx-service:80')
    expect(describeOperation({ type: 'sendPacket', from: '172.18.0.100', to: 'default/web', port: 30080, proto: 'udp', count: 100 }))
      .toBe('send 100 UDP connections 172.18.0.100 → default/web:30080')
  })
})

describe('sending after a refused packet', () => {
  it('leaves no trace of the refused packet: the next one lands as in a session that never saw it', () => {
    const base = defaultScenario()
    const good: Operation = { type: 'sendPacket', from: 'kind-worker', ...toNginx }
    const bad: Operation = { type: 'sendPacket', from: 'kind-worker', to: 'default/nginx-service', port: 81, proto: 'tcp' }
    const session = new EngineSession()
    expect(session.handle({ type: 'try', scenario: base, operation: bad })).toMatchObject({ result: { ok: false } })
    const after = tryOp(session, base, good).journey!
    const clean = tryOp(new EngineSession(), base, good).journey!
    expect(after.sport).toBe(clean.sport)
    expect(after.reachedPod).toBe(clean.reachedPod)
    // And the scenario with the packet replays to the same counters as the try left.
    const next = { ...base, operations: [...base.operations, good] }
    const again = tryOp(session, next, good).journey!
    const fresh = tryOp(new EngineSession(), next, good).journey!
    expect(again.sport).toBe(fresh.sport)
    expect(again.reachedPod).toBe(fresh.reachedPod)
    // Edits that copy the simulation still work (a copy replays what the simulation did).
    const scaled = session.handle({ type: 'try', scenario: { ...next, operations: [...next.operations, good] }, operation: { type: 'scale', namespace: 'default', name: 'nginx-deployment', replicas: 3 } })
    expect(scaled).toMatchObject({ result: { ok: true } })
  })
})

describe('the next packet of a connection', () => {
  it('finds the connection ESTABLISHED and skips the nat table, reaching the same Pod through conntrack', () => {
    const base = defaultScenario()
    const first: Operation = { type: 'sendPacket', from: 'kind-worker', ...toNginx }
    const session = new EngineSession()
    const j1 = tryOp(session, base, first).journey!
    const next: Operation = { ...first, next: { sport: j1.sport } }
    const j2 = tryOp(session, { ...base, operations: [...base.operations, first] }, next).journey!
    expect(j2.packet).toBe('next')
    expect(j2.sport).toBe(j1.sport)
    expect(j2.reachedPod).toBe(j1.reachedPod)
    expect(j2.hops.some((h) => h.table === 'nat' && h.kind === 'rule')).toBe(false)
    expect(j2.hops.find((h) => h.event === 'conntrack')?.text).toMatch(/^conntrack: ESTABLISHED/)
  })
})
