/**
 * The journeys' test cluster: the default kind-like cluster, the default nginx scenario (two Pods, one
 * on kind-worker and one on kind-worker2, behind the ClusterIP Service nginx-service), plus a client Pod
 * pinned to kind-worker and Services of every kind over the same Pods.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Simulation } from '../../simulation/simulation.ts'

export const NGINX = readFileSync(join(import.meta.dirname, '..', '..', '..', '..', 'scenarios', 'nginx-clusterip.yaml'), 'utf8')

export const EXTRA = `
apiVersion: v1
kind: Pod
metadata: {name: client, labels: {app: client}}
spec:
  nodeName: kind-worker
  containers: [{name: curl, image: curlimages/curl}]
---
apiVersion: v1
kind: Service
metadata: {name: nginx-nodeport}
spec:
  type: NodePort
  selector: {app: nginx}
  ports: [{port: 80, targetPort: 80, nodePort: 30080}]
---
apiVersion: v1
kind: Service
metadata: {name: nginx-local}
spec:
  type: NodePort
  externalTrafficPolicy: Local
  selector: {app: nginx}
  ports: [{port: 80, targetPort: 80, nodePort: 30081}]
---
apiVersion: v1
kind: Service
metadata: {name: nginx-lb}
spec:
  type: LoadBalancer
  selector: {app: nginx}
  ports: [{port: 80, targetPort: 80, nodePort: 30082}]
---
apiVersion: v1
kind: Service
metadata: {name: nginx-sticky}
spec:
  selector: {app: nginx}
  sessionAffinity: ClientIP
  ports: [{port: 80, targetPort: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: nothing-here}
spec:
  selector: {app: nothing}
  ports: [{port: 80, targetPort: 80}]
`

export function journeySimulation(seed = 1): Simulation {
  const sim = Simulation.create({ seed })
  for (const yaml of [NGINX, EXTRA]) {
    const outcome = sim.apply(yaml)
    if (!outcome.ok) throw new Error(`test scenario rejected: ${outcome.errors.map((e) => e.message).join('; ')}`)
  }
  return sim
}
