import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { Simulation } from '../simulation/simulation.ts'
import { runOperation } from './run-operation.ts'
import type { Operation } from '../../worker/operations.ts'
import { clusterImportOperations } from './import-cluster.ts'
import { iptablesRestoreOperation } from './import-iptables.ts'

const kindList = readFileSync(join(import.meta.dirname, 'import-kind-list.fixture.yaml'), 'utf8')
const kindWorkerSave = readFileSync(join(import.meta.dirname, 'import-kind-worker.iptables-save.fixture.txt'), 'utf8')

function play(operations: readonly Operation[], seed = 1): Simulation {
  const sim = Simulation.create({ seed })
  operations.forEach((op, i) => {
    const result = runOperation(sim, op, i)
    if (!result.ok) throw new Error(`operation ${i + 1} refused: ${result.message}`)
  })
  return sim
}

describe('importing kubectl get nodes,pods,services,endpointslices -A -o yaml', () => {
  const imported = clusterImportOperations(kindList, 1)
  if (!imported.ok) throw new Error(imported.message)
  const sim = play(imported.operations)
  const snap = sim.snapshot()

  it('counts what the List holds and creates the Namespaces kubectl does not print', () => {
    expect(imported.summary).toEqual({ nodes: 3, pods: 16, services: 3, endpointSlices: 3, namespaces: ['local-path-storage'] })
  })

  it('recreates the Nodes with their addresses and pod CIDRs, and nothing of the base cluster', () => {
    expect(snap.nodes.map((n) => [n.metadata.name, n.status.addresses?.find((a) => a.type === 'InternalIP')?.address, n.spec.podCIDR])).toEqual([
      ['kind-control-plane', '172.18.0.4', '10.244.0.0/24'],
      ['kind-worker', '172.18.0.2', '10.244.1.0/24'],
      ['kind-worker2', '172.18.0.3', '10.244.2.0/24'],
    ])
    expect(snap.deployments).toEqual([])
  })

  it('keeps every Pod with its IP and Node (host-network Pods on their Node\'s address)', () => {
    const pods = new Map(snap.pods.map((p) => [`${p.metadata.namespace}/${p.metadata.name}`, [p.spec.nodeName, p.status.podIP]]))
    expect(pods.size).toBe(16)
    expect(pods.get('default/nginx-deployment-7c79c4bf97-ltx8m')).toEqual(['kind-worker2', '10.244.2.3'])
    expect(pods.get('kube-system/kube-proxy-h5v8r')).toEqual(['kind-worker', '172.18.0.2'])
    expect(pods.get('local-path-storage/local-path-provisioner-57c5987fd4-k2x9v')).toEqual(['kind-control-plane', '10.244.0.4'])
  })

  it('keeps Service cluster IPs and node ports, and their endpoints', () => {
    const nginx = snap.services.find((s) => s.metadata.name === 'nginx-service')!
    expect(nginx.spec.clusterIP).toBe('10.96.104.217')
    expect(nginx.spec.ports?.[0].nodePort).toBe(31847)
    const slice = snap.endpointSlices.find((s) => s.metadata.labels?.['kubernetes.io/service-name'] === 'nginx-service')!
    expect(slice.endpoints.map((e) => e.addresses[0]).sort()).toEqual(['10.244.1.2', '10.244.2.2', '10.244.2.3'])
  })

  it('programs kube-proxy from it: a packet to the NodePort lands on one of the imported Pods', () => {
    const journey = sim.sendJourney({ from: '172.18.0.100', to: '172.18.0.4', port: 31847 })
    expect(journey.verdict).toBe('delivered')
    expect(journey.reachedPod).toMatch(/^nginx-deployment-7c79c4bf97-/)
    expect(sim.iptablesSave('kind-worker')).toContain('-A KUBE-SERVICES -d 10.96.104.217/32 -p tcp -m comment --comment "default/nginx-service cluster IP" -m tcp --dport 80 -j KUBE-SVC-')
  })

  it('refuses text that is not a cluster dump, saying why', () => {
    expect(clusterImportOperations('kind: List\nitems: []\n', 1)).toEqual({ ok: false, message: 'the List has no Nodes: use kubectl get nodes,pods,services,endpointslices -A -o yaml' })
    const bad = clusterImportOperations('items: [\n', 1)
    expect(bad.ok).toBe(false)
    if (!bad.ok) expect(bad.message).toMatch(/^YAML error at line \d+, column \d+/)
  })
})

describe('loading a node\'s iptables-save', () => {
  it('replaces the Node\'s tables through iptables-restore, and packets follow the loaded rules', () => {
    // The default cluster has no Service at 10.96.104.217: only the loaded rules know it.
    const load = iptablesRestoreOperation('kind-worker', kindWorkerSave)
    if (!load.ok) throw new Error(load.message)
    expect(load.tables).toEqual(['mangle', 'filter', 'nat'])
    const sim = play([{ type: 'apply', yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: web, labels: {app: web}}\nspec: {nodeName: kind-worker2, containers: [{name: web, image: nginx}]}\n' }, load.operation])
    expect(sim.iptablesSave('kind-worker')).toContain('-A KIND-MASQ-AGENT -d 10.244.0.0/16 -m comment --comment "kind-masq-agent: local traffic is not subject to MASQUERADE" -j RETURN')
    const journey = sim.sendJourney({ from: 'kind-worker', to: '10.96.104.217', port: 80 })
    const dnat = journey.hops.find((h) => h.kind === 'rule' && h.chain?.startsWith('KUBE-SEP-') && h.verdict?.startsWith('DNAT'))
    expect(dnat?.node).toBe('kind-worker')
    expect(['10.244.1.2', '10.244.2.2', '10.244.2.3']).toContain(dnat?.packetAfter.dst)
  })

  it('refuses text without tables or cut short', () => {
    expect(iptablesRestoreOperation('kind-worker', 'hello')).toEqual({ ok: false, message: 'no table found: iptables-save output starts each table with a line like *filter' })
    expect(iptablesRestoreOperation('kind-worker', '*nat\n:PREROUTING ACCEPT [0:0]\n').ok).toBe(false)
  })
})
