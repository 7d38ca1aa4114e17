/**
 * kube-proxy's nftables mode as a pure function: from a cluster snapshot, a Node and the
 * KubeProxyConfiguration to the transaction kube-proxy sends to `nft` on that Node and the resulting
 * `ip kube-proxy` table (pkg/proxy/nftables/proxier.go: setupNFTables and syncProxyRules).
 *
 * Layout reproduced: the one upstream's proxier_test.go at kubernetes/kubernetes commit
 * 81810de635aa13aa0a32992f6def3aa9d6025ebc expects (v1.34+: filter-prerouting-pre-dnat /
 * filter-output-pre-dnat at dstnat-10, filter-input / filter-forward / filter-output at filter priority,
 * cluster-ips-check jumped to from filter-forward and filter-output, the ClusterIP masquerade rule without a
 * port match). The sync logic follows proxier.go at commit b0f823e6ccd8a10b3893fc75011b9981af39285c
 * (nftElementStorage, stale chains, partial syncs) adapted to that layout.
 *
 * Where upstream's order depends on Go map iteration (services within a sync) we use a stable order:
 * services by namespace/name, ports in spec order, endpoints sorted. Upstream's tests compare after a
 * canonical sort for the same reason. Sets are listed sorted by nft anyway; only the creation order of
 * per-service chains (and so their order in `nft list`) can differ from a given real node.
 *
 * Syncs can be chained: pass the previous result's `state` to get what the next sync does (partial syncs
 * with `changedServices`, stale chains flushed and deleted a second later, set elements added and deleted
 * one by one), as upstream's TestSyncProxyRulesRepeated checks.
 */
import type { ClusterSnapshot, KubeProxyConfiguration } from '../../../cluster/types.ts'
import { cidrContains, isLoopback, parseCIDRSloppy } from '../../../net/ipv4.ts'
import { masqueradeMark } from '../../numbers.ts'
import { nodeAddresses } from '../../node-addresses.ts'
import { allServicePorts, externallyAccessible, usesClusterEndpoints, usesLocalEndpoints } from '../../service/service-port.ts'
import { categorizeEndpoints } from '../../service/topology.ts'
import { endpointsByServicePort } from '../../service/endpoints.ts'
import type { EndpointInfo } from '../../service/endpoints.ts'
import type { ServicePortInfo } from '../../service/service-port.ts'
import { applyTransaction, formatTransaction } from '../../../nftables/transaction.ts'
import type { NftOp } from '../../../nftables/transaction.ts'
import { emptyTable } from '../../../nftables/model.ts'
import type { NftBaseChainSpec, NftElement, NftTable } from '../../../nftables/model.ts'
import {
  isAffinitySetName, isServiceChainName, PREFIX, servicePortChainNameBase, servicePortEndpointChainNameBase,
} from './names.ts'

/** The Kubernetes release whose nftables layout this module reproduces. */
export const NFTABLES_LAYOUT_RELEASE = 'v1.34'
/** The upstream test file commit the layout is checked against. */
export const UPSTREAM_TEST_COMMIT = '81810de635aa13aa0a32992f6def3aa9d6025ebc'

export const KUBE_PROXY_TABLE = 'kube-proxy'

// Base chains
export const FILTER_PREROUTING_PRE_DNAT = 'filter-prerouting-pre-dnat'
export const FILTER_OUTPUT_PRE_DNAT = 'filter-output-pre-dnat'
export const FILTER_INPUT = 'filter-input'
export const FILTER_FORWARD = 'filter-forward'
export const FILTER_OUTPUT = 'filter-output'
export const NAT_PREROUTING = 'nat-prerouting'
export const NAT_OUTPUT = 'nat-output'
export const NAT_POSTROUTING = 'nat-postrouting'
// Service dispatch
export const SERVICES = 'services'
export const SERVICE_IPS = 'service-ips'
export const SERVICE_NODEPORTS = 'service-nodeports'
export const NODEPORT_IPS = 'nodeport-ips'
export const CLUSTER_IPS = 'cluster-ips'
// No endpoints
export const SERVICE_ENDPOINTS_CHECK = 'service-endpoints-check'
export const NODEPORT_ENDPOINTS_CHECK = 'nodeport-endpoints-check'
export const NO_ENDPOINT_SERVICES = 'no-endpoint-services'
export const NO_ENDPOINT_NODEPORTS = 'no-endpoint-nodeports'
export const REJECT_CHAIN = 'reject-chain'
export const CLUSTER_IPS_CHECK = 'cluster-ips-check'
// LoadBalancerSourceRanges
export const FIREWALL_IPS = 'firewall-ips'
export const FIREWALL_CHECK = 'firewall-check'
// Masquerading
export const MARK_MASQ = 'mark-for-masquerade'
export const MASQUERADING = 'masquerading'

/** knftables priorities: DNATPriority = -100, SNATPriority = 100, FilterPriority = 0. */
const DNAT = -100
const SNAT = 100
const FILTER = 0

/** nftablesBaseChains, in upstream's order. */
export const BASE_CHAINS: { name: string; spec: NftBaseChainSpec }[] = [
  { name: FILTER_PREROUTING_PRE_DNAT, spec: { type: 'filter', hook: 'prerouting', priority: DNAT - 10 } },
  { name: FILTER_OUTPUT_PRE_DNAT, spec: { type: 'filter', hook: 'output', priority: DNAT - 10 } },
  { name: FILTER_INPUT, spec: { type: 'filter', hook: 'input', priority: FILTER } },
  { name: FILTER_FORWARD, spec: { type: 'filter', hook: 'forward', priority: FILTER } },
  { name: FILTER_OUTPUT, spec: { type: 'filter', hook: 'output', priority: FILTER } },
  { name: NAT_PREROUTING, spec: { type: 'nat', hook: 'prerouting', priority: DNAT } },
  { name: NAT_OUTPUT, spec: { type: 'nat', hook: 'output', priority: DNAT } },
  { name: NAT_POSTROUTING, spec: { type: 'nat', hook: 'postrouting', priority: SNAT } },
]

/**
 * nftablesJumpChains: [destination, source, extra match]. Reject is only valid in input/forward/output
 * hooks on older kernels, so the endpoint checks hang off filter-input/forward/output, the firewall check
 * off the pre-DNAT chains (it must see the original destination).
 */
export const JUMP_CHAINS: [string, string, string][] = [
  [NODEPORT_ENDPOINTS_CHECK, FILTER_INPUT, 'ct state new'],
  [SERVICE_ENDPOINTS_CHECK, FILTER_INPUT, 'ct state new'],
  [SERVICE_ENDPOINTS_CHECK, FILTER_FORWARD, 'ct state new'],
  [SERVICE_ENDPOINTS_CHECK, FILTER_OUTPUT, 'ct state new'],
  [FIREWALL_CHECK, FILTER_PREROUTING_PRE_DNAT, 'ct state new'],
  [FIREWALL_CHECK, FILTER_OUTPUT_PRE_DNAT, 'ct state new'],
  [SERVICES, NAT_OUTPUT, ''],
  [SERVICES, NAT_PREROUTING, ''],
  [MASQUERADING, NAT_POSTROUTING, ''],
  [CLUSTER_IPS_CHECK, FILTER_FORWARD, 'ct state new'],
  [CLUSTER_IPS_CHECK, FILTER_OUTPUT, 'ct state new'],
]

/** The six containers kube-proxy tracks element by element (nftElementStorage). */
export const ELEMENT_CONTAINERS = [
  [CLUSTER_IPS, 'set'], [SERVICE_IPS, 'map'], [FIREWALL_IPS, 'map'], [NO_ENDPOINT_SERVICES, 'map'],
  [NO_ENDPOINT_NODEPORTS, 'map'], [SERVICE_NODEPORTS, 'map'],
] as const

/** What kube-proxy remembers between syncs (and what is in the kernel). */
export interface NftablesSyncState {
  /** The `ip kube-proxy` table as it is in the kernel after the sync. */
  table: NftTable
  /** nftElementStorage: per container, element key → value (both joined by ` . `). */
  elements: Record<string, Map<string, string>>
  /** Chains flushed because no longer used, and the time (ms) they became stale. */
  staleChains: Map<string, number>
  /** The base chains were recreated once (the first sync's add+delete). */
  flushed: boolean
}

export interface NftablesCompileOptions {
  /** Mark text as kube-proxy formats it (`%#08x` → `0x00004000`); upstream's tests use `0x4000`. */
  masqueradeMark?: string
  /** The node's interface addresses, for nodePortAddresses. Default: 127.0.0.1 and the Node's addresses. */
  localAddresses?: readonly string[]
  /** The state after the previous sync; without it this is the first sync into an empty table. */
  previous?: NftablesSyncState
  /**
   * Partial sync: only these Services (`namespace/name`) get their chains rewritten (requires `previous`).
   * Without it the sync is a full one.
   */
  changedServices?: ReadonlySet<string>
  /** Time of this sync (ms), for stale chain ageing. */
  now?: number
}

export interface NftablesCompileResult {
  release: string
  nodeName: string
  kind: 'full' | 'partial'
  /** Stale chains deleted before the sync, in their own transaction (may be empty). */
  cleanup: NftOp[]
  /** The sync's transaction. */
  transaction: NftOp[]
  /** The transaction in `nft -f` syntax, as kube-proxy sends it (rendered on first use). */
  readonly transactionText: string
  /** The table after the sync. */
  table: NftTable
  state: NftablesSyncState
  /** For each Service (`namespace/name`), the per-service chains and sets it owns on this node. */
  serviceChains: Record<string, string[]>
  /**
   * sync_proxy_rules_no_local_endpoints_total{traffic_policy=internal|external}: service ports with
   * endpoints somewhere but none usable here under a Local policy.
   */
  noLocalEndpoints: { internal: number; external: number }
}

/** Which local addresses NodePorts accept (proxyutil.NodePortAddresses) for IPv4. */
function nodePortIPs(
  config: KubeProxyConfiguration, nodeIPs: readonly string[], local: readonly string[],
): { matchAll: boolean; ips: string[] } {
  // In nftables mode kube-proxy defaults --nodeport-addresses to "primary" (cmd/kube-proxy/app/
  // server_linux.go platformApplyDefaults): only the node's primary IP accepts NodePort traffic, not every
  // local address as in iptables mode.
  const given = config.nodePortAddresses?.length ? config.nodePortAddresses : ['primary']
  const cidrs = given.flatMap((text) => {
    if (text === 'primary') return nodeIPs.slice(0, 1).map((ip) => parseCIDRSloppy(`${ip}/32`))
    return [parseCIDRSloppy(text)]
  }).filter((c) => c?.family === 'IPv4')
  if (cidrs.length === 0 || cidrs.some((c) => c!.prefix === 0)) return { matchAll: true, ips: [] }
  const ips: string[] = []
  for (const ip of local) {
    if (cidrs.some((c) => cidrContains(c!, ip)) && !ips.includes(ip)) ips.push(ip)
  }
  return { matchAll: false, ips }
}

const join = (parts: readonly string[]) => parts.join(' . ')

/** Builds one transaction the way kube-proxy's code does, with its ensureChain and nftElementStorage. */
class TxBuilder {
  readonly ops: NftOp[] = []
  /** Chains ensured in this sync (createdChains / activeChains). */
  readonly ensured = new Set<string>()
  constructor(readonly elements: Record<string, Map<string, string>>, readonly leftover: Record<string, Set<string>>) {}

  add(op: NftOp): void {
    this.ops.push(op)
  }

  /** ensureChain: add + flush once per sync; with skipCreation only noted as in use. */
  ensureChain(name: string, skipCreation = false): void {
    if (this.ensured.has(name)) return
    this.ensured.add(name)
    if (skipCreation) return
    this.ops.push({ verb: 'add', object: 'chain', name }, { verb: 'flush', object: 'chain', name })
  }

  rule(chain: string, text: string, comment?: string): void {
    this.ops.push({ verb: 'add', object: 'rule', chain, rule: comment === undefined ? { text } : { text, comment } })
  }

  /** nftElementStorage.reset: forget, flush the container in the kernel. */
  reset(container: string, kind: 'set' | 'map'): void {
    this.elements[container].clear()
    this.leftover[container] = new Set()
    this.ops.push({ verb: 'flush', object: kind, name: container })
  }

  /** nftElementStorage.ensureElem: add when new, delete + add when the value changed. */
  ensureElem(container: string, kind: 'set' | 'map', element: NftElement): void {
    const key = join(element.key)
    const value = join(element.value ?? [])
    const existing = this.elements[container].get(key)
    if (existing !== undefined) {
      if (existing !== value) {
        this.ops.push({ verb: 'delete', object: 'element', set: container, kind, element: { key: element.key } })
        this.ops.push({ verb: 'add', object: 'element', set: container, kind, element })
        this.elements[container].set(key, value)
      }
      this.leftover[container].delete(key)
    } else {
      this.ops.push({ verb: 'add', object: 'element', set: container, kind, element })
      this.elements[container].set(key, value)
    }
  }

  /** nftElementStorage.cleanupLeftoverKeys. */
  cleanupLeftover(container: string, kind: 'set' | 'map'): void {
    for (const key of this.leftover[container]) {
      this.ops.push({ verb: 'delete', object: 'element', set: container, kind, element: { key: key.split(' . ') } })
      this.elements[container].delete(key)
    }
    this.leftover[container] = new Set(this.elements[container].keys())
  }
}

/**
 * Endpoint chain and affinity set names, remembered per endpoint object (upstream keeps them on its
 * endpointInfo; ours are cached per EndpointSlice, so they live as long as the slice is unchanged).
 */
const endpointNames = new WeakMap<EndpointInfo, { endpoint: string; affinity: string }>()

/** The chain names of one service port (servicePortInfo's precomputed names). */
function serviceChainNames(p: ServicePortInfo) {
  const [ns, name] = p.service.split('/')
  const portName = p.spn.length > p.service.length ? p.spn.slice(p.service.length + 1) : ''
  const base = servicePortChainNameBase(ns, name, p.protocol, portName)
  const forEndpoint = (ep: EndpointInfo) => {
    let names = endpointNames.get(ep)
    if (!names) {
      const epBase = servicePortEndpointChainNameBase(ns, name, p.protocol, portName, ep.text)
      names = { endpoint: PREFIX.endpoint + epBase, affinity: PREFIX.affinity + epBase }
      endpointNames.set(ep, names)
    }
    return names
  }
  return {
    clusterPolicy: PREFIX.clusterPolicy + base,
    localPolicy: PREFIX.localPolicy + base,
    external: PREFIX.external + base,
    firewall: PREFIX.firewall + base,
    endpoint: (ep: EndpointInfo) => forEndpoint(ep).endpoint,
    affinity: (ep: EndpointInfo) => forEndpoint(ep).affinity,
  }
}

function emptyState(): NftablesSyncState {
  return {
    table: emptyTable('ip', KUBE_PROXY_TABLE),
    elements: Object.fromEntries(ELEMENT_CONTAINERS.map(([name]) => [name, new Map<string, string>()])),
    staleChains: new Map(),
    flushed: false,
  }
}

function copyState(s: NftablesSyncState): NftablesSyncState {
  return {
    table: s.table,
    elements: Object.fromEntries(Object.entries(s.elements).map(([k, v]) => [k, new Map(v)])),
    staleChains: new Map(s.staleChains),
    flushed: s.flushed,
  }
}

/**
 * Compile one Node's `ip kube-proxy` table. Without `previous` (or `changedServices`) this is a full sync;
 * with both, a partial sync that rewrites only the changed Services' chains.
 */
export function compileNftables(
  snapshot: ClusterSnapshot,
  nodeName: string,
  config: KubeProxyConfiguration,
  options: NftablesCompileOptions = {},
): NftablesCompileResult {
  const state = options.previous ? copyState(options.previous) : emptyState()
  const now = options.now ?? 0
  const partial = options.previous !== undefined && options.changedServices !== undefined
  const mark = options.masqueradeMark ?? masqueradeMark(config.nftables?.masqueradeBit ?? 14)
  const masqueradeAll = config.nftables?.masqueradeAll ?? false
  // LocalTrafficDetector (ClusterCIDR mode) for this family; none (NoOp) without a cluster CIDR.
  const podCIDR = (config.clusterCIDR ?? '').split(',').map((c) => parseCIDRSloppy(c)).find((c) => c?.family === 'IPv4')?.text
  const node = snapshot.nodes.find((n) => n.metadata.name === nodeName)
  const nodeIPs = nodeAddresses(node)
  const nodeIP = nodeIPs[0]
  const serviceCIDRs = (snapshot.serviceCIDRs ?? [])
    .flatMap((s) => s.spec.cidrs)
    .map((c) => parseCIDRSloppy(c))
    .filter((c) => c?.family === 'IPv4')
    .map((c) => c!.text)
    .join(',')

  // 1. Stale chains older than a second are deleted first, in a transaction of their own.
  const cleanup: NftOp[] = []
  for (const [chain, since] of state.staleChains) {
    if (since < now - 1000) {
      cleanup.push({ verb: 'delete', object: 'chain', name: chain })
      state.staleChains.delete(chain)
    }
  }
  let table = applyTransaction(state.table, cleanup)

  const leftover: Record<string, Set<string>> = Object.fromEntries(
    ELEMENT_CONTAINERS.map(([name]) => [name, new Set(state.elements[name].keys())]))
  const tx = new TxBuilder(state.elements, leftover)

  if (!partial) {
    // setupNFTables
    tx.add({ verb: 'add', object: 'table', comment: 'rules for kube-proxy' })
    if (!state.flushed) {
      // Once: add+delete every base chain so that changed properties (priorities) can be applied.
      for (const bc of BASE_CHAINS) {
        tx.add({ verb: 'add', object: 'chain', name: bc.name })
        tx.add({ verb: 'delete', object: 'chain', name: bc.name })
      }
      state.flushed = true
    }
    for (const bc of BASE_CHAINS) {
      tx.add({ verb: 'add', object: 'chain', name: bc.name, base: bc.spec })
      tx.add({ verb: 'flush', object: 'chain', name: bc.name })
    }
    const created = new Set<string>()
    const ensureTop = (name: string) => {
      if (created.has(name)) return
      created.add(name)
      tx.add({ verb: 'add', object: 'chain', name })
      tx.add({ verb: 'flush', object: 'chain', name })
    }
    for (const [dst, src, extra] of JUMP_CHAINS) {
      ensureTop(dst)
      tx.rule(src, extra ? `${extra} jump ${dst}` : `jump ${dst}`)
    }
    for (const c of [SERVICES, CLUSTER_IPS_CHECK, MASQUERADING, MARK_MASQ]) ensureTop(c)
    tx.rule(MARK_MASQ, `mark set mark or ${mark}`)
    tx.rule(MASQUERADING, `mark and ${mark} == 0 return`)
    tx.rule(MASQUERADING, `mark set mark xor ${mark}`)
    tx.rule(MASQUERADING, 'masquerade fully-random')

    tx.add({ verb: 'add', object: 'set', name: CLUSTER_IPS, type: 'ipv4_addr', comment: 'Active ClusterIPs' })
    tx.rule(CLUSTER_IPS_CHECK, `ip daddr @${CLUSTER_IPS} reject`, 'Reject traffic to invalid ports of ClusterIPs')
    if (serviceCIDRs) tx.rule(CLUSTER_IPS_CHECK, `ip daddr { ${serviceCIDRs} } drop`, 'Drop traffic to unallocated ClusterIPs')

    const npa = nodePortIPs(config, nodeIPs, options.localAddresses ?? ['127.0.0.1', ...nodeIPs])
    tx.add({ verb: 'add', object: 'set', name: NODEPORT_IPS, type: 'ipv4_addr', comment: 'IPs that accept NodePort traffic' })
    if (npa.matchAll) {
      tx.add({ verb: 'delete', object: 'set', name: NODEPORT_IPS })
    } else {
      tx.add({ verb: 'flush', object: 'set', name: NODEPORT_IPS })
      // Localhost NodePorts are not supported in nftables mode.
      for (const ip of npa.ips) {
        if (!isLoopback(ip)) tx.add({ verb: 'add', object: 'element', set: NODEPORT_IPS, kind: 'set', element: { key: [ip] } })
      }
    }

    tx.add({
      verb: 'add', object: 'map', name: NO_ENDPOINT_SERVICES, type: 'ipv4_addr . inet_proto . inet_service : verdict',
      comment: 'vmap to drop or reject packets to services with no endpoints',
    })
    tx.add({
      verb: 'add', object: 'map', name: NO_ENDPOINT_NODEPORTS, type: 'inet_proto . inet_service : verdict',
      comment: 'vmap to drop or reject packets to service nodeports with no endpoints',
    })
    tx.add({ verb: 'add', object: 'chain', name: REJECT_CHAIN, comment: 'helper for @no-endpoint-services / @no-endpoint-nodeports' })
    tx.add({ verb: 'flush', object: 'chain', name: REJECT_CHAIN })
    tx.rule(REJECT_CHAIN, 'reject')
    tx.rule(SERVICE_ENDPOINTS_CHECK, `ip daddr . meta l4proto . th dport vmap @${NO_ENDPOINT_SERVICES}`)
    const noLocalhost = 'ip daddr != 127.0.0.0/8'
    tx.rule(NODEPORT_ENDPOINTS_CHECK, npa.matchAll
      ? `${noLocalhost} meta l4proto . th dport vmap @${NO_ENDPOINT_NODEPORTS}`
      : `ip daddr @${NODEPORT_IPS} meta l4proto . th dport vmap @${NO_ENDPOINT_NODEPORTS}`)

    tx.add({
      verb: 'add', object: 'map', name: FIREWALL_IPS, type: 'ipv4_addr . inet_proto . inet_service : verdict',
      comment: 'destinations that are subject to LoadBalancerSourceRanges',
    })
    ensureTop(FIREWALL_CHECK)
    tx.rule(FIREWALL_CHECK, `ip daddr . meta l4proto . th dport vmap @${FIREWALL_IPS}`)

    tx.add({
      verb: 'add', object: 'map', name: SERVICE_IPS, type: 'ipv4_addr . inet_proto . inet_service : verdict',
      comment: 'ClusterIP, ExternalIP and LoadBalancer IP traffic',
    })
    tx.add({ verb: 'add', object: 'map', name: SERVICE_NODEPORTS, type: 'inet_proto . inet_service : verdict', comment: 'NodePort traffic' })
    tx.rule(SERVICES, `ip daddr . meta l4proto . th dport vmap @${SERVICE_IPS}`)
    tx.rule(SERVICES, npa.matchAll
      ? `fib daddr type local ${noLocalhost} meta l4proto . th dport vmap @${SERVICE_NODEPORTS}`
      : `ip daddr @${NODEPORT_IPS} meta l4proto . th dport vmap @${SERVICE_NODEPORTS}`)

    for (const [name, kind] of ELEMENT_CONTAINERS) tx.reset(name, kind)
  }

  const ports = allServicePorts(snapshot)
  const endpointsMap = endpointsByServicePort(snapshot.endpointSlices, nodeName)
  const activeAffinitySets = new Set<string>()
  const serviceChains: Record<string, string[]> = {}
  const noLocalEndpoints = { internal: 0, external: 0 }

  for (const svc of ports) {
    const names = serviceChainNames(svc)
    const { protocol } = svc
    const port = String(svc.port)
    const { clusterEndpoints, localEndpoints, allReachableEndpoints, hasAnyEndpoints: hasEndpoints } =
      categorizeEndpoints(endpointsMap.get(svc.key) ?? [], svc)
    const skip = partial && !options.changedServices!.has(svc.service)
    const owned = (serviceChains[svc.service] ??= [])
    const ensure = (chain: string) => {
      tx.ensureChain(chain, skip)
      if (!owned.includes(chain)) owned.push(chain)
    }

    for (const ep of allReachableEndpoints) {
      ensure(names.endpoint(ep))
      if (svc.stickySeconds > 0) activeAffinitySets.add(names.affinity(ep))
    }
    const usesClusterPolicyChain = clusterEndpoints.length > 0 && usesClusterEndpoints(svc)
    if (usesClusterPolicyChain) ensure(names.clusterPolicy)
    const usesLocalPolicyChain = localEndpoints.length > 0 && usesLocalEndpoints(svc)
    if (usesLocalPolicyChain) ensure(names.localPolicy)

    let internalTrafficChain = names.clusterPolicy
    let hasInternalEndpoints = hasEndpoints
    if (svc.internalPolicyLocal) {
      internalTrafficChain = names.localPolicy
      if (localEndpoints.length === 0) hasInternalEndpoints = false
    }
    let externalPolicyChain = names.clusterPolicy
    let hasExternalEndpoints = hasEndpoints
    if (svc.externalPolicyLocal) {
      externalPolicyChain = names.localPolicy
      if (localEndpoints.length === 0) hasExternalEndpoints = false
    }
    const externalTrafficChain = names.external
    // Based on hasEndpoints: the short-circuit rules are needed even without externally usable endpoints.
    const usesExternalTrafficChain = hasEndpoints && externallyAccessible(svc)
    if (usesExternalTrafficChain) ensure(externalTrafficChain)

    let internalVerdict = ''
    let externalVerdict = ''
    if (!hasEndpoints) {
      internalVerdict = externalVerdict = `goto ${REJECT_CHAIN}`
    } else {
      if (!hasInternalEndpoints) {
        internalVerdict = 'drop'
        noLocalEndpoints.internal++
      }
      if (!hasExternalEndpoints) {
        externalVerdict = 'drop'
        noLocalEndpoints.external++
      }
    }

    const comment = svc.spn
    tx.ensureElem(CLUSTER_IPS, 'set', { key: [svc.clusterIP] })
    if (hasInternalEndpoints) {
      tx.ensureElem(SERVICE_IPS, 'map', { key: [svc.clusterIP, protocol, port], value: [`goto ${internalTrafficChain}`] })
    } else {
      tx.ensureElem(NO_ENDPOINT_SERVICES, 'map', { key: [svc.clusterIP, protocol, port], value: [internalVerdict], comment })
    }
    for (const ip of svc.externalIPs) {
      if (hasEndpoints) tx.ensureElem(SERVICE_IPS, 'map', { key: [ip, protocol, port], value: [`goto ${externalTrafficChain}`] })
      if (!hasExternalEndpoints) tx.ensureElem(NO_ENDPOINT_SERVICES, 'map', { key: [ip, protocol, port], value: [externalVerdict], comment })
    }
    const usesFWChain = svc.loadBalancerVIPs.length > 0 && svc.loadBalancerSourceRanges.length > 0
    if (usesFWChain) ensure(names.firewall)
    for (const ip of svc.loadBalancerVIPs) {
      if (hasEndpoints) tx.ensureElem(SERVICE_IPS, 'map', { key: [ip, protocol, port], value: [`goto ${externalTrafficChain}`] })
      if (usesFWChain) tx.ensureElem(FIREWALL_IPS, 'map', { key: [ip, protocol, port], value: [`goto ${names.firewall}`] })
    }
    if (!hasExternalEndpoints) {
      for (const ip of svc.loadBalancerVIPs) {
        tx.ensureElem(NO_ENDPOINT_SERVICES, 'map', { key: [ip, protocol, port], value: [externalVerdict], comment })
      }
    }
    if (svc.nodePort !== 0) {
      const key = [protocol, String(svc.nodePort)]
      if (hasEndpoints) tx.ensureElem(SERVICE_NODEPORTS, 'map', { key, value: [`goto ${externalTrafficChain}`] })
      if (!hasExternalEndpoints) tx.ensureElem(NO_ENDPOINT_NODEPORTS, 'map', { key, value: [externalVerdict], comment })
    }

    if (skip) continue

    if (hasInternalEndpoints) {
      if (masqueradeAll) {
        tx.rule(internalTrafficChain, `ip daddr ${svc.clusterIP} jump ${MARK_MASQ}`)
      } else if (podCIDR) {
        // Off-cluster traffic to a ClusterIP (e.g. through a static route to a node) is masqueraded.
        tx.rule(internalTrafficChain, `ip daddr ${svc.clusterIP} ip saddr != ${podCIDR} jump ${MARK_MASQ}`)
      }
    }

    if (usesExternalTrafficChain) {
      if (!svc.externalPolicyLocal) {
        tx.rule(externalTrafficChain, `jump ${MARK_MASQ}`)
      } else {
        if (podCIDR) tx.rule(externalTrafficChain, `ip saddr ${podCIDR} goto ${names.clusterPolicy}`, 'short-circuit pod traffic')
        tx.rule(externalTrafficChain, `fib saddr type local jump ${MARK_MASQ}`, 'masquerade local traffic')
        tx.rule(externalTrafficChain, `fib saddr type local goto ${names.clusterPolicy}`, 'short-circuit local traffic')
      }
      if (hasExternalEndpoints) tx.rule(externalTrafficChain, `goto ${externalPolicyChain}`)
    }

    if (usesFWChain) {
      const sources: string[] = []
      let allowFromNode = false
      for (const cidr of svc.loadBalancerSourceRanges) {
        if (sources.length) sources.push(',')
        sources.push(cidr.text)
        if (nodeIP && cidrContains(cidr, nodeIP)) allowFromNode = true
      }
      // A node connecting to a VIP bound locally loops back with the VIP as source: allow it.
      if (allowFromNode) for (const ip of svc.loadBalancerVIPs) sources.push(',', ip)
      tx.rule(names.firewall, `ip saddr != { ${sources.join(' ')} } drop`)
    }

    if (svc.stickySeconds > 0) {
      for (const ep of allReachableEndpoints) {
        tx.add({
          verb: 'add', object: 'set', name: names.affinity(ep), type: 'ipv4_addr', flags: ['dynamic', 'timeout'],
          timeout: svc.stickySeconds,
        })
        if (!owned.includes(names.affinity(ep))) owned.push(names.affinity(ep))
      }
    }

    const writeServiceToEndpointRules = (chain: string, endpoints: readonly EndpointInfo[]) => {
      if (svc.stickySeconds > 0) {
        for (const ep of endpoints) tx.rule(chain, `ip saddr @${names.affinity(ep)} goto ${names.endpoint(ep)}`)
      }
      const elements = endpoints.map((ep, i) => `${i} : goto ${names.endpoint(ep)}`).join(' , ')
      tx.rule(chain, `numgen random mod ${endpoints.length} vmap { ${elements} }`)
    }
    if (usesClusterPolicyChain) writeServiceToEndpointRules(names.clusterPolicy, clusterEndpoints)
    if (usesLocalPolicyChain) writeServiceToEndpointRules(names.localPolicy, localEndpoints)

    for (const ep of allReachableEndpoints) {
      const chain = names.endpoint(ep)
      tx.rule(chain, `ip saddr ${ep.ip} jump ${MARK_MASQ}`)
      if (svc.stickySeconds > 0) tx.rule(chain, `update @${names.affinity(ep)} { ip saddr }`)
      tx.rule(chain, `meta l4proto ${protocol} dnat to ${ep.text}`)
    }
  }

  // Chains no longer used are flushed now and deleted a second later (a map element pointing to a
  // chain is released by older kernels only after a while).
  for (const chain of table.chains) {
    if (!isServiceChainName(chain.name)) continue
    if (!tx.ensured.has(chain.name)) {
      tx.add({ verb: 'flush', object: 'chain', name: chain.name })
      state.staleChains.set(chain.name, now)
    } else {
      state.staleChains.delete(chain.name)
    }
  }
  // Stale affinity sets are deleted at once.
  for (const set of table.sets) {
    if (isAffinitySetName(set.name) && !activeAffinitySets.has(set.name)) {
      tx.add({ verb: 'delete', object: 'set', name: set.name })
    }
  }
  for (const [name, kind] of ELEMENT_CONTAINERS) tx.cleanupLeftover(name, kind)

  table = applyTransaction(table, tx.ops)
  state.table = table
  let text: string | undefined
  return {
    release: NFTABLES_LAYOUT_RELEASE,
    nodeName,
    kind: partial ? 'partial' : 'full',
    cleanup,
    transaction: tx.ops,
    // Large clusters make transactions of hundreds of thousands of lines: render them only when asked.
    get transactionText() {
      return (text ??= formatTransaction(tx.ops, 'ip', KUBE_PROXY_TABLE))
    },
    table,
    state,
    serviceChains,
    noLocalEndpoints,
  }
}
