/**
 * Real texts to damage, made once per process: the repository's manifests and lessons, what the engine's
 * kube-proxy writes for them (iptables-save, nft transactions, ipset save), the kubectl List fixture.
 */
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { Simulation } from '../../src/engine/simulation/simulation.ts'
import { NftablesKubeProxy } from '../../src/engine/kube-proxy/modes/nftables/proxier.ts'
import { compileIpvs } from '../../src/engine/kube-proxy/modes/ipvs/compile.ts'
import { applyIpvsSync, newIpvsNodeState } from '../../src/engine/kube-proxy/modes/ipvs/node-state.ts'
import { saveSets } from '../../src/engine/ipset/store.ts'

const root = join(import.meta.dirname, '..', '..')
const read = (path: string) => readFileSync(join(root, path), 'utf8')

function once<T>(make: () => T): () => T {
  let value: T | undefined
  return () => (value ??= make())
}

export const NGINX = read('scenarios/nginx-clusterip.yaml')

const NODEPORT = `apiVersion: v1
kind: Service
metadata: {name: web, labels: &l {app: nginx}}
spec:
  type: NodePort
  selector: *l
  externalTrafficPolicy: Local
  ports: [{name: http, port: 80, targetPort: 80, nodePort: 30080}, {port: 53, protocol: UDP}]
---
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: default}
spec: {containers: [{name: c, image: busybox}]}
`

export const lessonTexts = once(() => readdirSync(join(root, 'scenarios/lessons')).filter((f) => f.endsWith('.yaml')).map((f) => read(`scenarios/lessons/${f}`)))

/** Manifests: the default scenario, a NodePort with anchors, every manifest the lessons apply. */
export const manifests = once(() => {
  const applied = lessonTexts().flatMap((t) => ((parse(t) as { operations?: { apply?: string }[] }).operations ?? []).map((o) => o.apply).filter((a): a is string => typeof a === 'string'))
  return [NGINX, NODEPORT, `${NGINX}---\n${NODEPORT}`, ...applied]
})

export const kindList = once(() => read('src/engine/scenario/import-kind-list.fixture.yaml'))

/** A simulation of the default scenario plus the NodePort Service (every kube-proxy mode gets its own). */
export const simulation = once(() => {
  const sim = Simulation.create({ seed: 1 })
  sim.apply(NGINX)
  sim.apply(NODEPORT)
  return sim
})

export const iptablesSaves = once(() => [
  simulation().iptablesSave('kind-worker'),
  simulation().iptablesSave('kind-control-plane', { counters: true }),
  read('src/engine/scenario/import-kind-worker.iptables-save.fixture.txt'),
])

export const nftTransactions = once(() => {
  const snapshot = simulation().snapshot()
  const nft = new NftablesKubeProxy('kind-worker', { ...snapshot.kubeProxyConfig, mode: 'nftables' })
  nft.loadSnapshot(snapshot)
  return [nft.sync().transaction]
})

export const ipsetSaves = once(() => {
  const snapshot = simulation().snapshot()
  const config = { ...snapshot.kubeProxyConfig, mode: 'ipvs' as const }
  const state = newIpvsNodeState()
  applyIpvsSync(state, compileIpvs({ ...snapshot, kubeProxyConfig: config }, 'kind-worker', config))
  return [saveSets(state.ipsets)]
})

export const consoleLines = once(() => read('scenarios/firewall-examples.sh').split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#')))
