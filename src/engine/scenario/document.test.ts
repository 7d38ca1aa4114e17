import { describe, expect, it } from 'vitest'
import {
  API_VERSION, LIMITS, documentToData, parseScenarioDocument, scenarioDocument, serializeScenarioDocument,
  type ScenarioDocument, type ScenarioOperation,
} from './document.ts'

const EXAMPLE = `apiVersion: kube-proxy-visualizer.dev/v1
kind: Scenario
schemaVersion: 1
metadata:
  name: nginx-clusterip
  title: nginx behind a ClusterIP Service
seed: 7
base: default
operations:
  - apply: |
      apiVersion: v1
      kind: Namespace
      metadata:
        name: demo
  - scale: { deployment: default/nginx-deployment, replicas: 3 }
  - delete: { kind: Service, namespace: default, name: old }
  - deletePod: default/nginx-abc
  - podReady: { pod: default/nginx-abc, ready: false }
  - cordon: kind-worker
  - uncordon: kind-worker
  - stopNode: kind-worker2
  - startNode: kind-worker2
  - advance: 30
  - run: { node: kind-worker, command: "iptables -I INPUT -p tcp --dport 80 -j DROP" }
  - run: { node: kind-worker, command: "iptables-restore", stdin: "*filter\\nCOMMIT\\n" }
  - send: { from: default/client, to: default/nginx-service, port: 80 }
  - send: { from: 172.18.0.1, to: 10.96.0.10, port: 53, proto: udp, count: 100 }
  - send: { from: default/client, to: default/nginx-service, port: 80, nextSport: 40000 }
layout:
  positions:
    pod/default/client: { x: 10, y: -20.5 }
step: { hop: 3 }
lesson:
  steps:
    - title: The Service
      text: A **ClusterIP** Service.
      highlight: [service/default/nginx-service, chain/KUBE-SERVICES, node/kind-worker]
      operationsUpTo: 1
      packet: { step: 2 }
      expect: { reaches: pod/default/nginx-abc, verdict: delivered }
`

function parsed(text: string): ScenarioDocument {
  const result = parseScenarioDocument(text)
  if (!result.ok) throw new Error(JSON.stringify(result.errors))
  return result.doc
}

function errorsOf(text: string) {
  const result = parseScenarioDocument(text)
  if (result.ok) throw new Error('expected the document to be refused')
  return result.errors
}

describe('scenario document', () => {
  it('reads every operation kind into the app operation shape', () => {
    const doc = parsed(EXAMPLE)
    expect(doc.seed).toBe(7)
    expect(doc.metadata).toEqual({ name: 'nginx-clusterip', title: 'nginx behind a ClusterIP Service' })
    const expected: ScenarioOperation[] = [
      { type: 'apply', yaml: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: demo\n' },
      { type: 'scale', namespace: 'default', name: 'nginx-deployment', replicas: 3 },
      { type: 'delete', kind: 'Service', namespace: 'default', name: 'old' },
      { type: 'deletePod', namespace: 'default', name: 'nginx-abc' },
      { type: 'podReady', namespace: 'default', name: 'nginx-abc', ready: false },
      { type: 'cordon', node: 'kind-worker', on: true },
      { type: 'cordon', node: 'kind-worker', on: false },
      { type: 'nodeReady', node: 'kind-worker2', ready: false },
      { type: 'nodeReady', node: 'kind-worker2', ready: true },
      { type: 'advance', seconds: 30 },
      { type: 'console', node: 'kind-worker', line: 'iptables -I INPUT -p tcp --dport 80 -j DROP' },
      { type: 'console', node: 'kind-worker', line: 'iptables-restore', stdin: '*filter\nCOMMIT\n' },
      { type: 'sendPacket', from: 'default/client', to: 'default/nginx-service', port: 80, proto: 'tcp' },
      { type: 'sendPacket', from: '172.18.0.1', to: '10.96.0.10', port: 53, proto: 'udp', count: 100 },
      { type: 'sendPacket', from: 'default/client', to: 'default/nginx-service', port: 80, proto: 'tcp', next: { sport: 40000 } },
    ]
    expect(doc.operations).toEqual(expected)
    expect(doc.step).toEqual({ hop: 3 })
    expect(doc.layout?.positions['pod/default/client']).toEqual({ x: 10, y: -20.5 })
    expect(doc.lesson?.steps[0]).toEqual({
      title: 'The Service', text: 'A **ClusterIP** Service.',
      highlight: ['service/default/nginx-service', 'chain/KUBE-SERVICES', 'node/kind-worker'],
      operationsUpTo: 1, packet: { step: 2 }, expect: { reaches: 'pod/default/nginx-abc', verdict: 'delivered' },
    })
  })

  it('serialises to YAML that reads back to the same document', () => {
    const doc = parsed(EXAMPLE)
    const text = serializeScenarioDocument(doc)
    expect(text).toContain(`apiVersion: ${API_VERSION}`)
    expect(text).toContain('- apply: |')
    expect(parsed(text)).toEqual(doc)
  })

  it('round-trips a scenario built from app operations, with awkward strings', () => {
    const doc = scenarioDocument({
      seed: 42,
      operations: [
        { type: 'apply', yaml: 'a: "#not a comment"\n  trailing spaces  \n' },
        { type: 'console', node: 'kind-control-plane', line: "iptables -A INPUT -m comment --comment 'x: y # z' -j ACCEPT" },
      ],
    }, { metadata: { name: 'x', description: 'line one\nline two: with colon' } })
    expect(parsed(serializeScenarioDocument(doc))).toEqual(doc)
    // JSON is YAML too: the data form written as JSON reads back the same.
    expect(parsed(JSON.stringify(documentToData(doc)))).toEqual(doc)
  })

  it('names the line and column of a wrong field', () => {
    const text = EXAMPLE.replace('replicas: 3', 'replicas: "three"')
    const [error] = errorsOf(text)
    expect(error).toMatchObject({ line: 15, path: 'operations[1].scale.replicas' })
    expect(error.message).toMatch(/whole number/)
    expect(error.column).toBeGreaterThan(40)
  })

  it('reports YAML syntax errors with positions', () => {
    const [error] = errorsOf('apiVersion: x\nkind: [unclosed\n')
    expect(error.line).toBeGreaterThanOrEqual(2)
  })

  it('refuses unknown operations, unknown fields and wrong kinds', () => {
    expect(errorsOf(EXAMPLE.replace('- advance: 30', '- format: disk'))[0].message).toMatch(/an operation is one of/)
    expect(errorsOf(EXAMPLE.replace('base: default', 'base: default\nextra: 1'))[0].message).toMatch(/unknown field "extra"/)
    expect(errorsOf(EXAMPLE.replace('kind: Scenario', 'kind: Pod'))[0].path).toBe('kind')
    expect(errorsOf(EXAMPLE.replace('kind: Service,', 'kind: Secret,'))[0].path).toBe('operations[2].delete.kind')
  })

  it('refuses names with markup and commands spanning lines', () => {
    expect(errorsOf(EXAMPLE.replace('name: nginx-clusterip', 'name: "<script>alert(1)</script>"'))[0].path).toBe('metadata.name')
    expect(errorsOf(EXAMPLE.replace('deletePod: default/nginx-abc', 'deletePod: "default/<img src=x onerror=alert(1)>"'))[0].path).toBe('operations[3].deletePod')
    expect(errorsOf(EXAMPLE.replace('"iptables -I INPUT -p tcp --dport 80 -j DROP"', '"ls\\nrm -rf /"'))[0].message).toMatch(/one line/)
  })

  it('keeps lesson text as text (markup is the renderer’s business, never HTML)', () => {
    const doc = parsed(EXAMPLE.replace('A **ClusterIP** Service.', '"<img src=x onerror=alert(1)>"'))
    expect(doc.lesson?.steps[0].text).toBe('<img src=x onerror=alert(1)>')
  })

  it('checks lesson steps against the operations and references', () => {
    expect(errorsOf(EXAMPLE.replace('operationsUpTo: 1', 'operationsUpTo: 99'))[0].message).toMatch(/between 0 and 15/)
    expect(errorsOf(EXAMPLE.replace('chain/KUBE-SERVICES', 'javascript:alert(1)'))[0].path).toBe('lesson.steps[0].highlight[1]')
  })

  it('caps sizes: text, operations, strings', () => {
    expect(errorsOf('#'.repeat(LIMITS.textBytes + 1))[0].message).toMatch(/larger than 2 MB/)
    const many = `apiVersion: ${API_VERSION}\nkind: Scenario\nmetadata: {name: x}\noperations:\n${'  - advance: 1\n'.repeat(LIMITS.operations + 1)}`
    expect(errorsOf(many)[0].message).toMatch(/more than 5000 items/)
    const longTitle = EXAMPLE.replace('title: nginx behind a ClusterIP Service', `title: ${'x'.repeat(LIMITS.title + 1)}`)
    expect(errorsOf(longTitle)[0].path).toBe('metadata.title')
  })

  it('refuses alias bombs', () => {
    const bomb = `a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n`
    expect(errorsOf(bomb)[0].message).toMatch(/cannot be read|alias/i)
  })

  it('keeps __proto__ as a plain layout key (no prototype pollution)', () => {
    const errors = errorsOf(EXAMPLE.replace('pod/default/client:', '__proto__:'))
    expect(errors[0].path).toBe('layout.positions.__proto__')
    expect(({} as Record<string, unknown>).x).toBeUndefined()
  })

  it('migrates a schema version 0 document', () => {
    const v0 = `schemaVersion: 0
name: old-lesson
title: From the first drafts
seed: 3
manifests: |
  apiVersion: v1
  kind: Namespace
  metadata:
    name: demo
ops:
  - { op: scale, namespace: default, name: web, replicas: 2 }
  - { op: console, node: kind-worker, line: iptables -L }
  - { op: cordon, node: kind-worker, on: false }
  - { op: sendPacket, from: default/client, to: default/web, port: 80 }
lesson:
  - title: Start
    text: Look at the Service.
`
    const result = parseScenarioDocument(v0)
    if (!result.ok) throw new Error(JSON.stringify(result.errors))
    expect(result.migratedFrom).toBe(0)
    expect(result.doc.metadata).toEqual({ name: 'old-lesson', title: 'From the first drafts' })
    expect(result.doc.seed).toBe(3)
    expect(result.doc.operations).toEqual([
      { type: 'apply', yaml: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: demo\n' },
      { type: 'scale', namespace: 'default', name: 'web', replicas: 2 },
      { type: 'console', node: 'kind-worker', line: 'iptables -L' },
      { type: 'cordon', node: 'kind-worker', on: false },
      { type: 'sendPacket', from: 'default/client', to: 'default/web', port: 80, proto: 'tcp' },
    ])
    expect(result.doc.lesson?.steps).toEqual([{ title: 'Start', text: 'Look at the Service.' }])
    // The migrated document serialises as version 1.
    expect(serializeScenarioDocument(result.doc)).toMatch(/schemaVersion: 1/)
  })

  it('refuses a version 0 document with an unknown operation', () => {
    const result = parseScenarioDocument('schemaVersion: 0\nname: x\nops:\n  - { op: reboot }\n')
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.errors[0].message).toMatch(/"reboot" is not known/)
  })

  it('refuses a future schema version', () => {
    expect(errorsOf(EXAMPLE.replace('schemaVersion: 1', 'schemaVersion: 2'))[0].path).toBe('schemaVersion')
  })
})
