/**
 * A ClusterSnapshot straight from manifests (Nodes, Services, EndpointSlices, a KubeProxyConfiguration),
 * without the cluster engine: no API validation, no defaulting beyond what kube-proxy needs, no controllers.
 * Upstream's kube-proxy unit tests build their objects this way (cluster IPs outside any ServiceCIDR, node
 * ports 3001..., hand-written EndpointSlices, no Namespaces), which a real API server would refuse; this is
 * how to state one of those scenarios exactly (`compile --raw`, and the upstream fixtures' tests).
 */
import { LineCounter } from 'yaml'
import { parseYamlDocuments } from '../yaml/parse-yaml.ts'
import { yamlValue } from '../yaml/yaml-value.ts'
import type {
  ClusterSnapshot, EndpointSlice, KubeProxyConfiguration, Node, ObjectMeta, Service,
} from '../cluster/types.ts'

export const DEFAULT_TEST_CONFIG: KubeProxyConfiguration = {
  apiVersion: 'kubeproxy.config.k8s.io/v1alpha1',
  kind: 'KubeProxyConfiguration',
  mode: 'iptables',
  clusterCIDR: '',
  iptables: { masqueradeAll: false, masqueradeBit: 14, localhostNodePorts: true },
  ipvs: { scheduler: '' },
  nftables: { masqueradeAll: false, masqueradeBit: 14 },
  nodePortAddresses: [],
}

function meta(raw: Partial<ObjectMeta> | undefined, n: number): ObjectMeta {
  return {
    name: raw?.name ?? `unnamed-${n}`,
    namespace: raw?.namespace,
    uid: raw?.uid ?? `uid-${n}`,
    resourceVersion: raw?.resourceVersion ?? String(n),
    creationTimestamp: raw?.creationTimestamp ?? '2026-01-01T00:00:00Z',
    labels: raw?.labels,
    annotations: raw?.annotations,
  }
}

/** A manifest that cannot be read as given: which document, and why. */
export class RawManifestError extends Error {}

/* eslint-disable @typescript-eslint/no-explicit-any */
export function snapshotFromManifests(text: string): ClusterSnapshot {
  const snapshot: ClusterSnapshot = {
    namespaces: [], nodes: [], deployments: [], pods: [], services: [], endpointSlices: [], serviceCIDRs: [],
    kubeProxyConfig: { ...DEFAULT_TEST_CONFIG, iptables: { ...DEFAULT_TEST_CONFIG.iptables }, nodePortAddresses: [] },
  }
  let n = 0
  const lineCounter = new LineCounter()
  for (const [index, doc] of parseYamlDocuments(text, { lineCounter }).entries()) {
    const where = (offset: number) => {
      const { line, col } = lineCounter.linePos(offset)
      return `document ${index + 1}, line ${line}, column ${col}`
    }
    if (doc.errors?.length) throw new RawManifestError(`${where(doc.errors[0].pos[0])}: ${String(doc.errors[0].message).split('\n')[0]}`)
    const converted = yamlValue(doc)
    if (!converted.ok) throw new RawManifestError(`${where(converted.offset)}: ${converted.message}`)
    const obj = converted.value as any
    if (!obj) continue
    if (typeof obj !== 'object' || Array.isArray(obj)) throw new RawManifestError(`${where(doc.contents?.range?.[0] ?? 0)}: not an object`)
    n++
    switch (obj.kind) {
      case 'Node':
        snapshot.nodes.push({
          apiVersion: 'v1', kind: 'Node', metadata: meta(obj.metadata, n), spec: obj.spec ?? {},
          status: { addresses: obj.status?.addresses ?? [], conditions: obj.status?.conditions ?? [{ type: 'Ready', status: 'True' }] },
        } satisfies Node)
        break
      case 'Service': {
        const spec = obj.spec ?? {}
        snapshot.services.push({
          apiVersion: 'v1', kind: 'Service', metadata: { ...meta(obj.metadata, n), namespace: obj.metadata?.namespace ?? 'default' },
          spec: {
            ...spec,
            type: spec.type ?? 'ClusterIP',
            sessionAffinity: spec.sessionAffinity ?? 'None',
            ports: (spec.ports ?? []).map((p: any) => ({ ...p, protocol: p.protocol ?? 'TCP', targetPort: p.targetPort ?? p.port })),
          },
          status: { loadBalancer: obj.status?.loadBalancer ?? {} },
        } satisfies Service)
        break
      }
      case 'EndpointSlice':
        snapshot.endpointSlices.push({
          apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
          metadata: { ...meta(obj.metadata, n), namespace: obj.metadata?.namespace ?? 'default' },
          addressType: obj.addressType ?? 'IPv4',
          endpoints: (obj.endpoints ?? []).map((e: any) => ({ ...e, conditions: e.conditions ?? {} })),
          ports: (obj.ports ?? []).map((p: any) => ({ ...p, protocol: p.protocol ?? 'TCP' })),
        } satisfies EndpointSlice)
        break
      case 'KubeProxyConfiguration': {
        const base = snapshot.kubeProxyConfig
        snapshot.kubeProxyConfig = {
          ...base, ...obj,
          iptables: { ...base.iptables, ...(obj.iptables ?? {}) },
          nodePortAddresses: obj.nodePortAddresses ?? base.nodePortAddresses,
          clusterCIDR: obj.clusterCIDR ?? base.clusterCIDR,
        }
        break
      }
      default:
        throw new RawManifestError(`${where(doc.contents?.range?.[0] ?? 0)}: kind ${JSON.stringify(obj.kind)} is not read in raw mode (only Node, Service, EndpointSlice, KubeProxyConfiguration)`)
    }
  }
  const byName = <T extends { metadata: ObjectMeta }>(a: T, b: T) =>
    `${a.metadata.namespace ?? ''}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace ?? ''}/${b.metadata.name}`)
  snapshot.services.sort(byName)
  snapshot.endpointSlices.sort(byName)
  snapshot.nodes.sort(byName)
  return snapshot
}
