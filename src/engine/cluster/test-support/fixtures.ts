/** Helpers for the cluster tests: the default scenario, and small lookups into a snapshot. */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Cluster } from '../cluster.ts'
import type { ApplyOutcome, ManifestError } from '../cluster.ts'
import type { ClusterSnapshot, EndpointSlice, Pod, Service } from '../types.ts'

export const NGINX_SCENARIO = readFileSync(fileURLToPath(new URL('../../../../scenarios/nginx-clusterip.yaml', import.meta.url)), 'utf8')

/** The default cluster with the nginx scenario applied. */
export function nginxCluster(seed?: number): Cluster {
  const cluster = Cluster.createDefault({ seed })
  expectApplied(cluster.apply(NGINX_SCENARIO))
  return cluster
}

export function expectApplied(outcome: ApplyOutcome): asserts outcome is Extract<ApplyOutcome, { ok: true }> {
  if (!outcome.ok) throw new Error(`apply failed: ${outcome.errors.map((e) => e.message).join('\n')}`)
}

export function applyErrors(cluster: Cluster, yaml: string): ManifestError[] {
  const outcome = cluster.apply(yaml)
  if (outcome.ok) throw new Error('expected the manifest to be rejected')
  return outcome.errors
}

export function podsOf(snapshot: ClusterSnapshot, prefix: string, namespace = 'default'): Pod[] {
  return snapshot.pods.filter((p) => p.metadata.namespace === namespace && p.metadata.name.startsWith(`${prefix}-`))
}

export function serviceOf(snapshot: ClusterSnapshot, name: string, namespace = 'default'): Service {
  const svc = snapshot.services.find((s) => s.metadata.namespace === namespace && s.metadata.name === name)
  if (!svc) throw new Error(`no Service ${namespace}/${name}`)
  return svc
}

export function slicesOf(snapshot: ClusterSnapshot, service: string, namespace = 'default'): EndpointSlice[] {
  return snapshot.endpointSlices.filter((s) => s.metadata.namespace === namespace && s.metadata.labels?.['kubernetes.io/service-name'] === service)
}

/** Every endpoint address of a Service with its conditions, sorted by address. */
export function endpointsOf(snapshot: ClusterSnapshot, service: string, namespace = 'default') {
  return slicesOf(snapshot, service, namespace)
    .flatMap((s) => s.endpoints.map((e) => ({ ip: e.addresses[0], pod: e.targetRef?.name, node: e.nodeName, ...e.conditions })))
    .sort((a, b) => (a.ip < b.ip ? -1 : 1))
}

/** A Deployment manifest with the given replicas, labels app=<name>, one container. */
export function deploymentYaml(name: string, replicas: number, extra = ''): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
${extra}      containers:
      - name: web
        image: nginx:1.27
        ports:
        - name: http
          containerPort: 8080
`
}
