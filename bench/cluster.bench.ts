/**
 * The simulated cluster's costs: building the default cluster, applying the scenario, scaling, a rolling
 * update, and the copies the app makes (clone for undo/replay, snapshot for the UI). Figures, not limits.
 */
import { readFileSync } from 'node:fs'
import { Cluster } from '../src/engine/cluster/cluster.ts'

export const name = 'cluster engine'

function time<T>(f: () => T): [T, number] {
  const t = performance.now()
  const r = f()
  return [r, performance.now() - t]
}

function median(samples: number[]): number {
  const s = [...samples].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]
}

export function run(): string[] {
  const nginx = readFileSync(new URL('../scenarios/nginx-clusterip.yaml', import.meta.url), 'utf8')
  const lines: string[] = []
  const ms = (label: string, values: number[]) => lines.push(`${label.padEnd(48)} ${median(values).toFixed(2)} ms (median of ${values.length})`)

  ms('createDefault()', Array.from({ length: 20 }, () => time(() => Cluster.createDefault())[1]))
  ms('apply nginx scenario', Array.from({ length: 20 }, () => {
    const c = Cluster.createDefault()
    return time(() => c.apply(nginx))[1]
  }))
  for (const replicas of [100, 200]) {
    ms(`scale nginx 2 -> ${replicas}`, Array.from({ length: 5 }, () => {
      const c = Cluster.createDefault()
      c.apply(nginx)
      return time(() => c.scaleDeployment('default', 'nginx-deployment', replicas))[1]
    }))
  }
  const big = Cluster.createDefault()
  big.apply(nginx)
  big.scaleDeployment('default', 'nginx-deployment', 200)
  ms('rolling update of 200 replicas (new image)', Array.from({ length: 5 }, () => {
    const c = big.clone()
    return time(() => c.apply(nginx.replace('replicas: 2', 'replicas: 200').replace('nginx:1.21', 'nginx:1.27')))[1]
  }))
  ms('clone() with 200 Pods', Array.from({ length: 20 }, () => time(() => big.clone())[1]))
  ms('snapshot() with 200 Pods', Array.from({ length: 20 }, () => time(() => big.snapshot())[1]))
  lines.push(`watch events after 200 replicas: ${big.watchEvents().length}, event records: ${big.eventLog().length}`)
  return lines
}
