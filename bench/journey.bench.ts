/**
 * Journeys on the default scenario (kind-like cluster + nginx-clusterip.yaml): the time one journey
 * takes (request and answer, every Node's netfilter on the way), for the common kinds of source, and
 * sendMany with 10,000 new connections (time, connections per second, where they landed).
 *
 * `npm run bench` (bench/run.ts) calls `run()`; the default export prints the same figures on its own.
 */
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Simulation } from '../src/engine/simulation/simulation.ts'
import type { JourneySpec } from '../src/engine/journeys/journey.ts'

export const name = 'packet journeys across the simulated cluster'

const SCENARIO = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', 'scenarios', 'nginx-clusterip.yaml'), 'utf8')
const NODEPORT = `apiVersion: v1
kind: Service
metadata: {name: nginx-nodeport}
spec:
  type: NodePort
  selector: {app: nginx}
  ports: [{port: 80, targetPort: 80, nodePort: 30080}]
`

function simulation(): Simulation {
  const sim = Simulation.create({ seed: 1 })
  for (const y of [SCENARIO, NODEPORT]) {
    const o = sim.apply(y)
    if (!o.ok) throw new Error(o.errors.map((e) => e.message).join('; '))
  }
  return sim
}

function perJourney(spec: JourneySpec, n: number): { ms: number; hops: number } {
  const sim = simulation()
  for (let i = 0; i < 50; i++) sim.sendJourney(spec) // warm-up
  let hops = 0
  const t = performance.now()
  for (let i = 0; i < n; i++) hops += sim.sendJourney(spec).hops.length
  return { ms: (performance.now() - t) / n, hops: hops / n }
}

export async function run(): Promise<string[]> {
  const lines: string[] = []
  const t0 = performance.now()
  simulation()
  lines.push(`create the simulation (3 Nodes, default scenario, kube-proxy syncs): ${(performance.now() - t0).toFixed(1)} ms`)
  const pod = simulation().snapshot().pods.find((p) => p.metadata.labels?.app === 'nginx')!.metadata.name
  const cases: [string, JourneySpec][] = [
    ['ClusterIP from a Pod', { from: pod, to: 'nginx-service', port: 80 }],
    ['ClusterIP from a Node', { from: 'kind-control-plane', to: 'nginx-service', port: 80 }],
    ['NodePort from outside via the control plane', { from: '172.18.0.1', to: '172.18.0.2', port: 30080 }],
  ]
  for (const [label, spec] of cases) {
    const r = perJourney(spec, 2000)
    lines.push(`one journey, ${label}: ${(r.ms * 1000).toFixed(0)} µs (${r.hops.toFixed(1)} hops on average)`)
  }
  const sim = simulation()
  const t = performance.now()
  const many = sim.sendMany({ from: pod, to: 'nginx-service', port: 80 }, 10_000)
  const ms = performance.now() - t
  lines.push(`sendMany 10,000 connections (ClusterIP from a Pod): ${ms.toFixed(0)} ms, ${Math.round(10_000 / (ms / 1000))} connections/s`)
  lines.push(`  landed: ${Object.entries(many.landed).map(([p, n]) => `${p} ${n}`).join(', ')}; dropped ${many.dropped}, rejected ${many.rejected}`)
  const c = performance.now()
  sim.clone()
  lines.push(`clone() after those 10,000 connections: ${(performance.now() - c).toFixed(0)} ms`)
  return lines
}

export default async function main(): Promise<void> {
  for (const l of await run()) console.log(l)
}
