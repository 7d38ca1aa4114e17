/** A Node manifest: labels, podCIDR(s), taints, unschedulable, addresses and the Ready condition. */
import type { Node, NodeAddress, Taint } from '../types.ts'
import type { Raw } from './common.ts'
import { Reader, dns1123Subdomain, isRaw } from './common.ts'
import { invalid, notSupported, required } from './field-error.ts'
import { readMeta } from './meta.ts'
import { canonicalCIDR } from '../../net/ipv4.ts'
import { checkIP } from './service.ts'

const EFFECTS = ['NoExecute', 'NoSchedule', 'PreferNoSchedule'] as const
const ADDRESS_TYPES = ['ExternalIP', 'Hostname', 'InternalIP'] as const

export function readNode(raw: Raw, r: Reader): Node {
  const metadata = readMeta(raw, r, { namespaced: false, nameCheck: dns1123Subdomain })
  const spec = r.map(raw, 'spec', []) ?? {}
  const node: Node = { apiVersion: 'v1', kind: 'Node', metadata, spec: {}, status: { addresses: [], conditions: [] } }
  const podCIDR = r.string(spec, 'podCIDR', ['spec'])
  const podCIDRs = r.stringList(spec, 'podCIDRs', ['spec'])
  const cidrs = podCIDRs && podCIDRs.length > 0 ? podCIDRs : podCIDR ? [podCIDR] : []
  cidrs.forEach((c, i) => {
    const path = podCIDRs && podCIDRs.length > 0 ? ['spec', 'podCIDRs', i] : ['spec', 'podCIDR']
    const canon = canonicalCIDR(c)
    if (!canon) r.add(invalid(path, c, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'))
    else if (canon !== c) r.add(invalid(path, c, `must be in canonical form ("${canon}")`))
  })
  if (podCIDR && podCIDRs && podCIDRs.length > 0 && podCIDRs[0] !== podCIDR) {
    r.add(invalid(['spec', 'podCIDRs'], podCIDRs, 'element [0] must match spec.podCIDR'))
  }
  if (cidrs.length > 0) { node.spec.podCIDR = cidrs[0]; node.spec.podCIDRs = cidrs }
  const unschedulable = r.boolean(spec, 'unschedulable', ['spec'])
  if (unschedulable) node.spec.unschedulable = true
  const taints: Taint[] = []
  r.list(spec, 'taints', ['spec'])?.forEach((t, i) => {
    const p = ['spec', 'taints', i]
    if (!isRaw(t)) { r.add(invalid(p, t, 'must be an object')); return }
    const key = r.requiredString(t, 'key', p)
    const effect = r.string(t, 'effect', p)
    if (!effect) { r.add(required([...p, 'effect'])); return }
    if (!(EFFECTS as readonly string[]).includes(effect)) { r.add(notSupported([...p, 'effect'], effect, EFFECTS)); return }
    const value = r.string(t, 'value', p)
    taints.push({ key: key ?? '', ...(value ? { value } : {}), effect: effect as Taint['effect'] })
  })
  if (taints.length > 0) node.spec.taints = taints

  const status = r.map(raw, 'status', [])
  const addresses: NodeAddress[] = []
  r.list(status, 'addresses', ['status'])?.forEach((a, i) => {
    const p = ['status', 'addresses', i]
    if (!isRaw(a)) return
    const type = r.string(a, 'type', p) ?? ''
    const address = r.string(a, 'address', p) ?? ''
    if (!(ADDRESS_TYPES as readonly string[]).includes(type)) { r.add(notSupported([...p, 'type'], type, ADDRESS_TYPES)); return }
    if (type !== 'Hostname' && !checkIP(address, [...p, 'address'], r)) return
    addresses.push({ type: type as NodeAddress['type'], address })
  })
  node.status.addresses = addresses
  const ready = (r.list(status, 'conditions', ['status']) ?? []).filter(isRaw).find((c) => c.type === 'Ready')
  if (ready && (ready.status === 'False' || ready.status === 'Unknown')) {
    node.status.conditions = [{ type: 'Ready', status: ready.status, ...(typeof ready.reason === 'string' ? { reason: ready.reason } : {}) }]
  }
  return node
}
