/**
 * Builds a ClusterSnapshot straight from manifests (Nodes, Services, EndpointSlices, a
 * KubeProxyConfiguration) without the cluster engine: the upstream scenarios state their objects exactly
 * (cluster IPs, node ports 3001..., EndpointSlices written by hand), including values a real API server would
 * refuse with its default flags (node ports below 30000), so they are read as given here.
 */
import { parseAllDocuments } from 'yaml'
import type {
  ClusterSnapshot, EndpointSlice, KubeProxyConfiguration, Node, ObjectMeta, Service,
} from '../../../cluster/types.ts'

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

/* eslint-disable @typescript-eslint/no-explicit-any */
export function snapshotFromManifests(text: string): ClusterSnapshot {
  const snapshot: ClusterSnapshot = {
    namespaces: [], nodes: [], deployments: [], pods: [], services: [], endpointSlices: [], serviceCIDRs: [],
    kubeProxyConfig: structuredClone(DEFAULT_TEST_CONFIG),
  }
  let n = 0
  for (const doc of parseAllDocuments(text) as any[]) {
    if (doc.errors?.length) throw new Error(String(doc.errors[0].message))
    const obj = doc.toJS() as any
    if (!obj) continue
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
        throw new Error(`unsupported kind in fixture: ${obj.kind}`)
    }
  }
  const byName = <T extends { metadata: ObjectMeta }>(a: T, b: T) =>
    `${a.metadata.namespace ?? ''}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace ?? ''}/${b.metadata.name}`)
  snapshot.services.sort(byName)
  snapshot.endpointSlices.sort(byName)
  snapshot.nodes.sort(byName)
  return snapshot
}
