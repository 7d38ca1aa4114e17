/** Namespace, ServiceCIDR and KubeProxyConfiguration manifests: the small kinds. */
import { deepCopy } from '../deep-copy.ts'
import type { KubeProxyConfiguration, Namespace, ServiceCIDR } from '../types.ts'
import type { Raw } from './common.ts'
import { Reader, dns1123Label, dns1123Subdomain } from './common.ts'
import { invalid, notSupported, required } from './field-error.ts'
import { readMeta } from './meta.ts'
import { canonicalCIDR } from '../../net/ipv4.ts'

export function readNamespace(raw: Raw, r: Reader): Namespace {
  const metadata = readMeta(raw, r, { namespaced: false, nameCheck: dns1123Label })
  return { apiVersion: 'v1', kind: 'Namespace', metadata, status: { phase: 'Active' } }
}

export function readServiceCIDR(raw: Raw, r: Reader): ServiceCIDR {
  const metadata = readMeta(raw, r, { namespaced: false, nameCheck: dns1123Subdomain })
  const spec = r.map(raw, 'spec', [])
  const cidrs = r.stringList(spec, 'cidrs', ['spec']) ?? []
  if (cidrs.length === 0) r.add(required(['spec', 'cidrs']))
  if (cidrs.length > 2) r.add({ type: 'TooLong', path: ['spec', 'cidrs'], detail: 'must have at most 2 items' })
  cidrs.forEach((c, i) => {
    const canon = canonicalCIDR(c)
    if (!canon) r.add(invalid(['spec', 'cidrs', i], c, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'))
    else if (canon !== c) r.add(invalid(['spec', 'cidrs', i], c, `must be in canonical form ("${canon}")`))
  })
  return { apiVersion: 'networking.k8s.io/v1', kind: 'ServiceCIDR', metadata, spec: { cidrs } }
}

const MODES = ['iptables', 'ipvs', 'nftables'] as const

/** Fields given in the manifest, merged over `base` (the defaults or the current configuration). */
export function readKubeProxyConfig(raw: Raw, base: KubeProxyConfiguration, r: Reader): KubeProxyConfiguration {
  const out: KubeProxyConfiguration = deepCopy(base)
  const mode = r.string(raw, 'mode', [])
  if (mode !== undefined && mode !== '') {
    if (!(MODES as readonly string[]).includes(mode)) r.add(notSupported(['mode'], mode, MODES))
    else out.mode = mode as KubeProxyConfiguration['mode']
  }
  const clusterCIDR = r.string(raw, 'clusterCIDR', [])
  if (clusterCIDR) {
    for (const [i, c] of clusterCIDR.split(',').entries()) {
      if (!canonicalCIDR(c.trim())) r.add(invalid(['clusterCIDR'], clusterCIDR, `must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)${i > 0 ? ` (entry ${i})` : ''}`))
    }
    out.clusterCIDR = clusterCIDR
  }
  const ipt = r.map(raw, 'iptables', [])
  const masqueradeAll = r.boolean(ipt, 'masqueradeAll', ['iptables'])
  if (masqueradeAll !== undefined) out.iptables.masqueradeAll = masqueradeAll
  const bit = r.integer(ipt, 'masqueradeBit', ['iptables'])
  if (bit !== undefined) {
    if (bit < 0 || bit > 31) r.add(invalid(['iptables', 'masqueradeBit'], bit, 'must be within the range [0, 31]'))
    out.iptables.masqueradeBit = bit
  }
  const lnp = r.boolean(ipt, 'localhostNodePorts', ['iptables'])
  if (lnp !== undefined) out.iptables.localhostNodePorts = lnp
  const minSync = r.string(ipt, 'minSyncPeriod', ['iptables'])
  if (minSync) out.iptables.minSyncPeriod = minSync
  const sync = r.string(ipt, 'syncPeriod', ['iptables'])
  if (sync) out.iptables.syncPeriod = sync
  const ipvs = r.map(raw, 'ipvs', [])
  const scheduler = r.string(ipvs, 'scheduler', ['ipvs'])
  if (scheduler !== undefined) out.ipvs.scheduler = scheduler
  const strictARP = r.boolean(ipvs, 'strictARP', ['ipvs'])
  if (strictARP !== undefined) out.ipvs.strictARP = strictARP
  const nft = r.map(raw, 'nftables', [])
  const nftMasqAll = r.boolean(nft, 'masqueradeAll', ['nftables'])
  if (nftMasqAll !== undefined) out.nftables.masqueradeAll = nftMasqAll
  const nftBit = r.integer(nft, 'masqueradeBit', ['nftables'])
  if (nftBit !== undefined) {
    if (nftBit < 0 || nftBit > 31) r.add(invalid(['nftables', 'masqueradeBit'], nftBit, 'must be within the range [0, 31]'))
    out.nftables.masqueradeBit = nftBit
  }
  const addrs = r.stringList(raw, 'nodePortAddresses', [])
  if (addrs) {
    addrs.forEach((a, i) => {
      if (a !== 'primary' && !canonicalCIDR(a)) r.add(invalid(['nodePortAddresses', i], a, 'must be a valid CIDR'))
    })
    out.nodePortAddresses = addrs
  }
  return out
}
