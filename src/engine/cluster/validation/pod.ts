/**
 * A Pod manifest. Status given in the manifest (podIP, hostIP, phase, conditions, as `kubectl get -o yaml`
 * prints them) is honoured so that an exported cluster imports as it was.
 */
import type { Pod, PodCondition } from '../types.ts'
import type { Raw } from './common.ts'
import { Reader, dns1123Subdomain, isRaw } from './common.ts'
import { readMeta } from './meta.ts'
import { readPodSpec } from './pod-spec.ts'
import { checkIP } from './service.ts'

const PHASES = ['Pending', 'Running', 'Succeeded', 'Failed'] as const
const CONDITIONS = ['Ready', 'PodScheduled', 'ContainersReady', 'Initialized'] as const

export function readPod(raw: Raw, r: Reader): Pod {
  const metadata = readMeta(raw, r, { namespaced: true, nameCheck: dns1123Subdomain })
  const spec = readPodSpec(r.map(raw, 'spec', []) ?? {}, ['spec'], r)
  const pod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata, spec, status: { phase: 'Pending' } }
  const owners = r.list(r.map(raw, 'metadata', []), 'ownerReferences', ['metadata'])
  if (owners && owners.length > 0) {
    pod.metadata.ownerReferences = owners.filter(isRaw).map((o) => ({
      apiVersion: String(o.apiVersion ?? ''),
      kind: String(o.kind ?? ''),
      name: String(o.name ?? ''),
      uid: String(o.uid ?? ''),
      ...(o.controller === true ? { controller: true } : {}),
    }))
  }
  const status = r.map(raw, 'status', [])
  if (!status) return pod
  const phase = r.string(status, 'phase', ['status'])
  if (phase && (PHASES as readonly string[]).includes(phase)) pod.status.phase = phase as Pod['status']['phase']
  const podIP = r.string(status, 'podIP', ['status'])
  if (podIP && checkIP(podIP, ['status', 'podIP'], r)) {
    pod.status.podIP = podIP
    pod.status.podIPs = [{ ip: podIP }]
  }
  const hostIP = r.string(status, 'hostIP', ['status'])
  if (hostIP && checkIP(hostIP, ['status', 'hostIP'], r)) pod.status.hostIP = hostIP
  const conditions: PodCondition[] = []
  r.list(status, 'conditions', ['status'])?.forEach((c) => {
    if (!isRaw(c)) return
    if ((CONDITIONS as readonly string[]).includes(String(c.type)) && (c.status === 'True' || c.status === 'False')) {
      conditions.push({ type: c.type as PodCondition['type'], status: c.status })
    }
  })
  if (conditions.length > 0) pod.status.conditions = conditions
  return pod
}
