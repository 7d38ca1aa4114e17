/**
 * kube-proxy's iptables mode as a pure function: from a cluster snapshot, a Node and the
 * KubeProxyConfiguration to the iptables-restore payload kube-proxy writes on that Node
 * (pkg/proxy/iptables/proxier.go, syncProxyRules), rule for rule and in upstream's emission order.
 *
 * Where upstream's order depends on Go map iteration (services within a sync, chains of merged endpoint
 * sets, --nodeport-addresses IPs) we use a stable order instead: services by namespace/name, ports in spec
 * order, endpoints and addresses sorted. Upstream's own tests compare after a canonical sort for the same
 * reason (see test-support/upstream-sort.ts).
 */
import type { ClusterSnapshot, KubeProxyConfiguration } from '../../../cluster/types.ts'
import { cidrContains, isLoopback, parseCIDRSloppy } from '../../../net/ipv4.ts'
import type { Cidr } from '../../../net/ipv4.ts'
import { nodeAddresses } from '../../node-addresses.ts'
import { KUBE_FIREWALL, KUBE_FIREWALL_RULE_ARGS } from '../../node-iptables/kubelet.ts'
import type { JumpRule, PayloadRule, PayloadTable, PayloadTableName } from '../../node-iptables/payload.ts'
import { toPayloadLine, toSaveLine } from '../../node-iptables/save-format.ts'
import { computeProbability, masqueradeMark } from '../../numbers.ts'
import { allServicePorts, externallyAccessible, usesClusterEndpoints, usesLocalEndpoints } from '../../service/service-port.ts'
import { categorizeEndpoints } from '../../service/topology.ts'
import { endpointsByServicePort } from '../../service/endpoints.ts'
import type { EndpointInfo } from '../../service/endpoints.ts'
import type { ServicePortInfo } from '../../service/service-port.ts'

/** The Kubernetes release whose kube-proxy (iptables mode) layout this module reproduces. */
export const KUBE_PROXY_LAYOUT_RELEASE = 'v1.32'

/** Upstream largeClusterEndpointsThreshold: above this many endpoints, per-endpoint comments are dropped. */
export const LARGE_CLUSTER_ENDPOINTS_THRESHOLD = 1000

export const KUBE_SERVICES = 'KUBE-SERVICES'
export const KUBE_EXTERNAL_SERVICES = 'KUBE-EXTERNAL-SERVICES'
export const KUBE_FORWARD = 'KUBE-FORWARD'
export const KUBE_NODEPORTS = 'KUBE-NODEPORTS'
export const KUBE_PROXY_FIREWALL = 'KUBE-PROXY-FIREWALL'
export const KUBE_POSTROUTING = 'KUBE-POSTROUTING'
export const KUBE_MARK_MASQ = 'KUBE-MARK-MASQ'

/** nfacct counter names (pkg/proxy/metrics). */
export const NFACCT_CT_INVALID_DROPPED = 'ct_state_invalid_dropped_pkts'
export const NFACCT_LOCALHOST_NODEPORTS = 'localhost_nps_accepted_pkts'

/** The per-service chain prefixes kube-proxy owns (isServiceChainName): stale ones are deleted. */
export const SERVICE_CHAIN_PREFIXES = ['KUBE-SVC-', 'KUBE-SVL-', 'KUBE-EXT-', 'KUBE-FW-', 'KUBE-SEP-']

export function isServiceChainName(chain: string): boolean {
  return SERVICE_CHAIN_PREFIXES.some((p) => chain.startsWith(p))
}

/** Facts about the node's iptables and kernel that change what kube-proxy writes. */
export interface IptablesEnvironment {
  /** The iptables binary supports MASQUERADE --random-fully (real nodes: yes; upstream's fake: no). */
  randomFully: boolean
  /** kube-proxy could create its nfacct counters (real nodes: yes; upstream's fake proxier: yes). */
  nfacct: boolean
  /** net.netfilter.nf_conntrack_tcp_be_liberal is set: then no INVALID-drop rule. */
  conntrackTCPLiberal: boolean
  /**
   * The mark text as kube-proxy formats it (`%#08x`, i.e. `0x00004000`). Upstream's unit tests use
   * "0x4000" (NewFakeProxier), so the upstream fixtures set this.
   */
  masqueradeMark?: string
  /**
   * The node's interface addresses, used for --nodeport-addresses. Default: 127.0.0.1 and the Node's
   * status addresses.
   */
  localAddresses?: readonly string[]
}

/** A real node (kind): iptables 1.8.x with --random-fully, nfacct available, conntrack not liberal. */
export const REAL_NODE_ENVIRONMENT: IptablesEnvironment = { randomFully: true, nfacct: true, conntrackTCPLiberal: false }

export interface CompileOptions extends Partial<IptablesEnvironment> {
  /**
   * Partial sync: only these Services (`namespace/name`) get their SVC/SVL/EXT/FW/SEP chains written;
   * the others' chains are computed (for counting) and left as they are on the node.
   */
  changedServices?: ReadonlySet<string>
  /** The nat chains currently on the node: kube-proxy's chains among them that are no longer used get deleted. */
  existingNatChains?: readonly string[]
  /**
   * Whether to delete stale chains this time (default: yes). Upstream skips it in large-cluster mode when
   * the last cleanup is less than one syncPeriod ago; a function receives the large-cluster verdict.
   */
  cleanupStaleChains?: boolean | ((largeClusterMode: boolean) => boolean)
}

export interface IptablesCompileResult {
  release: string
  nodeName: string
  kind: 'full' | 'partial'
  tables: { filter: PayloadTable; nat: PayloadTable }
  /** The iptables-restore input, exactly as kube-proxy passes it (`iptables-restore -w --noflush --counters`). */
  payload: string
  /** Only ensured on full syncs. */
  jumpRules: JumpRule[]
  largeClusterMode: boolean
  /** Every nat chain that is in use after this sync (written or, in a partial sync, kept). */
  activeNatChains: string[]
  /** For each Service (`namespace/name`), the per-service chains it owns on this node. */
  serviceChains: Record<string, string[]>
  /** Rule counts as upstream's metrics count them. */
  counts: {
    /** nat rules that exist after the sync (written + skipped − `-X` lines): sync_proxy_rules_iptables_total{table=nat}. */
    natRulesTotal: number
    /** nat rule lines written by this sync (− `-X` lines): sync_proxy_rules_iptables_last{table=nat}. */
    natRulesWritten: number
    filterRules: number
    natChainsWritten: number
  }
}

/**
 * kube-proxy's jump rules from built-in chains (iptablesJumpChains, then iptablesKubeletJumpChains), in the
 * order it ensures them. Each is *prepended* if absent, so the last one ends up first in its chain.
 */
export function jumpRules(): JumpRule[] {
  const ctNew = ['-m', 'conntrack', '--ctstate', 'NEW']
  const spec: [JumpRule['table'], string, string, string, string[]][] = [
    ['filter', 'INPUT', KUBE_EXTERNAL_SERVICES, 'kubernetes externally-visible service portals', ctNew],
    ['filter', 'FORWARD', KUBE_EXTERNAL_SERVICES, 'kubernetes externally-visible service portals', ctNew],
    ['filter', 'INPUT', KUBE_NODEPORTS, 'kubernetes health check service ports', []],
    ['filter', 'FORWARD', KUBE_SERVICES, 'kubernetes service portals', ctNew],
    ['filter', 'OUTPUT', KUBE_SERVICES, 'kubernetes service portals', ctNew],
    ['filter', 'FORWARD', KUBE_FORWARD, 'kubernetes forwarding rules', []],
    ['filter', 'INPUT', KUBE_PROXY_FIREWALL, 'kubernetes load balancer firewall', ctNew],
    ['filter', 'OUTPUT', KUBE_PROXY_FIREWALL, 'kubernetes load balancer firewall', ctNew],
    ['filter', 'FORWARD', KUBE_PROXY_FIREWALL, 'kubernetes load balancer firewall', ctNew],
    ['nat', 'OUTPUT', KUBE_SERVICES, 'kubernetes service portals', []],
    ['nat', 'PREROUTING', KUBE_SERVICES, 'kubernetes service portals', []],
    ['nat', 'POSTROUTING', KUBE_POSTROUTING, 'kubernetes postrouting rules', []],
    // Duplicates of kubelet's jumps (no comment); normally already present, so EnsureRule adds nothing.
    ['filter', 'INPUT', KUBE_FIREWALL, '', []],
    ['filter', 'OUTPUT', KUBE_FIREWALL, '', []],
  ]
  return spec.map(([table, chain, target, comment, extra]) => {
    const args = [...extra, ...(comment ? ['-m', 'comment', '--comment', comment] : []), '-j', target]
    return { table, chain, target, args, save: toSaveLine(chain, args) }
  })
}

/** Which local addresses NodePorts accept (proxyutil.NodePortAddresses). */
interface NodePortAddresses {
  matchAll: boolean
  cidrs: Cidr[]
}

function nodePortAddresses(config: KubeProxyConfiguration, nodeIPs: readonly string[]): NodePortAddresses {
  const cidrs: Cidr[] = []
  let matchAll = false
  for (const text of config.nodePortAddresses ?? []) {
    if (text === 'primary') {
      for (const ip of nodeIPs.slice(0, 1)) {
        const c = parseCIDRSloppy(`${ip}/32`)
        if (c) cidrs.push(c)
      }
      continue
    }
    const c = parseCIDRSloppy(text)
    if (!c || c.family !== 'IPv4') continue
    if (c.prefix === 0) matchAll = true
    cidrs.push(c)
  }
  if (cidrs.length === 0) matchAll = true
  return { matchAll, cidrs }
}

class Table {
  readonly chains: string[] = []
  readonly rules: PayloadRule[] = []
  readonly deletedChains: string[] = []
  /** Lines counted but not kept: upstream's discard buffer for unchanged Services in a partial sync. */
  counted = 0
  constructor(readonly name: PayloadTableName, private readonly discard = false) {}
  chain(name: string): void {
    if (!this.discard) this.chains.push(name)
  }
  rule(chain: string, args: string[], service?: string): void {
    if (this.discard) {
      this.counted++
      return
    }
    this.rules.push({ table: this.name, chain, args, text: toPayloadLine(chain, args), save: toSaveLine(chain, args), service })
  }
}

/**
 * Compile one Node's kube-proxy rules. Without `changedServices` this is a full sync; with it, a partial sync
 * that writes only those Services' chains (the fixed chains are always rewritten with every Service's
 * dispatch rules, as upstream does).
 */
export function compileIptables(
  snapshot: ClusterSnapshot,
  nodeName: string,
  config: KubeProxyConfiguration,
  options: CompileOptions = {},
): IptablesCompileResult {
  const env: IptablesEnvironment = { ...REAL_NODE_ENVIRONMENT, ...options }
  const mark = env.masqueradeMark ?? masqueradeMark(config.iptables?.masqueradeBit ?? 14)
  const masqueradeAll = config.iptables?.masqueradeAll ?? false
  const localhostNodePorts = config.iptables?.localhostNodePorts ?? true
  // LocalTrafficDetector in ClusterCIDR mode, with this (IPv4) family's CIDR of a possibly dual-stack list;
  // without one there is no detector (NoOp).
  const detector = (config.clusterCIDR ?? '').split(',').map((c) => parseCIDRSloppy(c)).find((c) => c?.family === 'IPv4')?.text
  const node = snapshot.nodes.find((n) => n.metadata.name === nodeName)
  const nodeIPs = nodeAddresses(node)
  const nodeIP = nodeIPs[0]
  const partial = options.changedServices !== undefined

  const filter = new Table('filter')
  const nat = new Table('nat')
  // Rules of unchanged services in a partial sync go to a discard buffer: counted, not written.
  const skipped = new Table('nat', true)

  for (const c of [KUBE_SERVICES, KUBE_EXTERNAL_SERVICES, KUBE_FORWARD, KUBE_NODEPORTS, KUBE_PROXY_FIREWALL]) filter.chain(c)
  for (const c of [KUBE_SERVICES, KUBE_NODEPORTS, KUBE_POSTROUTING, KUBE_MARK_MASQ]) nat.chain(c)

  nat.rule(KUBE_POSTROUTING, ['-m', 'mark', '!', '--mark', `${mark}/${mark}`, '-j', 'RETURN'])
  nat.rule(KUBE_POSTROUTING, ['-j', 'MARK', '--xor-mark', mark])
  nat.rule(KUBE_POSTROUTING, [
    '-m', 'comment', '--comment', 'kubernetes service traffic requiring SNAT', '-j', 'MASQUERADE',
    ...(env.randomFully ? ['--random-fully'] : []),
  ])
  nat.rule(KUBE_MARK_MASQ, ['-j', 'MARK', '--or-mark', mark])

  if (localhostNodePorts) {
    filter.chain(KUBE_FIREWALL)
    filter.rule(KUBE_FIREWALL, [...KUBE_FIREWALL_RULE_ARGS])
  }

  const ports = allServicePorts(snapshot)
  const endpointsMap = endpointsByServicePort(snapshot.endpointSlices, nodeName)
  const totalEndpoints = ports.reduce((n, p) => n + (endpointsMap.get(p.key)?.length ?? 0), 0)
  const largeClusterMode = totalEndpoints > LARGE_CLUSTER_ENDPOINTS_THRESHOLD
  const withComment = (comment: string): string[] => (largeClusterMode ? [] : ['-m', 'comment', '--comment', comment])

  const activeNatChains = new Set<string>()
  const serviceChains: Record<string, string[]> = {}

  for (const svc of ports) {
    const { spn, protocol, chains } = svc
    const proto = ['-m', protocol, '-p', protocol]
    const { clusterEndpoints, localEndpoints, allReachableEndpoints, hasAnyEndpoints: hasEndpoints } =
      categorizeEndpoints(endpointsMap.get(svc.key) ?? [], svc)

    const usesClusterPolicyChain = clusterEndpoints.length > 0 && usesClusterEndpoints(svc)
    const usesLocalPolicyChain = localEndpoints.length > 0 && usesLocalEndpoints(svc)

    let internalPolicyChain = chains.clusterPolicy
    let hasInternalEndpoints = hasEndpoints
    if (svc.internalPolicyLocal) {
      internalPolicyChain = chains.localPolicy
      if (localEndpoints.length === 0) hasInternalEndpoints = false
    }
    let externalPolicyChain = chains.clusterPolicy
    let hasExternalEndpoints = hasEndpoints
    if (svc.externalPolicyLocal) {
      externalPolicyChain = chains.localPolicy
      if (localEndpoints.length === 0) hasExternalEndpoints = false
    }
    const externalTrafficChain = chains.external
    // Based on hasEndpoints (not hasExternalEndpoints): the short-circuit rules are needed even when no
    // endpoint is usable for external traffic.
    const usesExternalTrafficChain = hasEndpoints && externallyAccessible(svc)
    const usesFWChain = hasEndpoints && svc.loadBalancerVIPs.length > 0 && svc.loadBalancerSourceRanges.length > 0
    const loadBalancerTrafficChain = usesFWChain ? chains.firewall : externalTrafficChain

    let internalFilterTarget = ''
    let internalFilterComment = ''
    let externalFilterTarget = ''
    let externalFilterComment = ''
    if (!hasEndpoints) {
      internalFilterTarget = externalFilterTarget = 'REJECT'
      internalFilterComment = externalFilterComment = `${spn} has no endpoints`
    } else {
      if (!hasInternalEndpoints) {
        internalFilterTarget = 'DROP'
        internalFilterComment = `${spn} has no local endpoints`
      }
      if (!hasExternalEndpoints) {
        externalFilterTarget = 'DROP'
        externalFilterComment = `${spn} has no local endpoints`
      }
    }
    const owner = svc.service
    const dport = ['--dport', String(svc.port)]

    // Capture the clusterIP.
    if (hasInternalEndpoints) {
      nat.rule(KUBE_SERVICES, ['-m', 'comment', '--comment', `${spn} cluster IP`, ...proto, '-d', svc.clusterIP, ...dport, '-j', internalPolicyChain], owner)
    } else {
      filter.rule(KUBE_SERVICES, ['-m', 'comment', '--comment', internalFilterComment, ...proto, '-d', svc.clusterIP, ...dport, '-j', internalFilterTarget], owner)
    }

    // Capture externalIPs.
    for (const ip of svc.externalIPs) {
      if (hasEndpoints) {
        nat.rule(KUBE_SERVICES, ['-m', 'comment', '--comment', `${spn} external IP`, ...proto, '-d', ip, ...dport, '-j', externalTrafficChain], owner)
      }
      if (!hasExternalEndpoints) {
        filter.rule(KUBE_EXTERNAL_SERVICES, ['-m', 'comment', '--comment', externalFilterComment, ...proto, '-d', ip, ...dport, '-j', externalFilterTarget], owner)
      }
    }

    // Capture load-balancer ingress.
    for (const lbip of svc.loadBalancerVIPs) {
      if (hasEndpoints) {
        nat.rule(KUBE_SERVICES, ['-m', 'comment', '--comment', `${spn} loadbalancer IP`, ...proto, '-d', lbip, ...dport, '-j', loadBalancerTrafficChain], owner)
      }
      if (usesFWChain) {
        filter.rule(KUBE_PROXY_FIREWALL, ['-m', 'comment', '--comment', `${spn} traffic not accepted by ${chains.firewall}`, ...proto, '-d', lbip, ...dport, '-j', 'DROP'], owner)
      }
    }
    if (!hasExternalEndpoints) {
      for (const lbip of svc.loadBalancerVIPs) {
        filter.rule(KUBE_EXTERNAL_SERVICES, ['-m', 'comment', '--comment', externalFilterComment, ...proto, '-d', lbip, ...dport, '-j', externalFilterTarget], owner)
      }
    }

    // Capture nodeports.
    if (svc.nodePort !== 0) {
      const np = ['--dport', String(svc.nodePort)]
      if (hasEndpoints) {
        if (localhostNodePorts && env.nfacct) {
          // Same jump, counted: how often a NodePort is reached through localhost (route_localnet).
          nat.rule(KUBE_NODEPORTS, ['-m', 'comment', '--comment', spn, ...proto, '-d', '127.0.0.0/8', ...np,
            '-m', 'nfacct', '--nfacct-name', NFACCT_LOCALHOST_NODEPORTS, '-j', externalTrafficChain], owner)
        }
        nat.rule(KUBE_NODEPORTS, ['-m', 'comment', '--comment', spn, ...proto, ...np, '-j', externalTrafficChain], owner)
      }
      if (!hasExternalEndpoints) {
        filter.rule(KUBE_EXTERNAL_SERVICES, ['-m', 'comment', '--comment', externalFilterComment, '-m', 'addrtype', '--dst-type', 'LOCAL', ...proto, ...np, '-j', externalFilterTarget], owner)
      }
    }

    // Capture healthCheckNodePorts: accepted whether or not this node has local endpoints.
    if (svc.healthCheckNodePort !== 0) {
      filter.rule(KUBE_NODEPORTS, ['-m', 'comment', '--comment', `${spn} health check node port`, '-m', 'tcp', '-p', 'tcp', '--dport', String(svc.healthCheckNodePort), '-j', 'ACCEPT'], owner)
    }

    // Per-service chains: skipped (counted only) for unchanged Services in a partial sync.
    const target = partial && !options.changedServices!.has(owner) ? skipped : nat
    const owned: string[] = []
    const declare = (chain: string) => {
      target.chain(chain)
      activeNatChains.add(chain)
      owned.push(chain)
    }

    // Internal traffic: masquerade off-cluster sources (or everything with --masquerade-all).
    if (hasInternalEndpoints) {
      const args = ['-m', 'comment', '--comment', `${spn} cluster IP`, ...proto, '-d', svc.clusterIP, ...dport]
      if (masqueradeAll) target.rule(internalPolicyChain, [...args, '-j', KUBE_MARK_MASQ], owner)
      else if (detector) target.rule(internalPolicyChain, [...args, '!', '-s', detector, '-j', KUBE_MARK_MASQ], owner)
    }

    // External traffic: everything external enters through KUBE-EXT-….
    if (usesExternalTrafficChain) {
      declare(externalTrafficChain)
      if (!svc.externalPolicyLocal) {
        target.rule(externalTrafficChain, ['-m', 'comment', '--comment', `masquerade traffic for ${spn} external destinations`, '-j', KUBE_MARK_MASQ], owner)
      } else {
        if (detector) {
          target.rule(externalTrafficChain, ['-m', 'comment', '--comment', `pod traffic for ${spn} external destinations`, '-s', detector, '-j', chains.clusterPolicy], owner)
        }
        target.rule(externalTrafficChain, ['-m', 'comment', '--comment', `masquerade LOCAL traffic for ${spn} external destinations`, '-m', 'addrtype', '--src-type', 'LOCAL', '-j', KUBE_MARK_MASQ], owner)
        target.rule(externalTrafficChain, ['-m', 'comment', '--comment', `route LOCAL traffic for ${spn} external destinations`, '-m', 'addrtype', '--src-type', 'LOCAL', '-j', chains.clusterPolicy], owner)
      }
      if (hasExternalEndpoints) target.rule(externalTrafficChain, ['-j', externalPolicyChain], owner)
    }

    // loadBalancerSourceRanges.
    if (usesFWChain) {
      declare(chains.firewall)
      const head = ['-m', 'comment', '--comment', `${spn} loadbalancer IP`]
      let allowFromNode = false
      for (const cidr of svc.loadBalancerSourceRanges) {
        target.rule(chains.firewall, [...head, '-s', cidr.text, '-j', externalTrafficChain], owner)
        if (nodeIP && cidrContains(cidr, nodeIP)) allowFromNode = true
      }
      // A node connecting to a VIP-like LB IP loops back with the LB IP as source.
      if (allowFromNode) {
        for (const lbip of svc.loadBalancerVIPs) target.rule(chains.firewall, [...head, '-s', lbip, '-j', externalTrafficChain], owner)
      }
      target.rule(chains.firewall, ['-m', 'comment', '--comment', `other traffic to ${spn} will be dropped by KUBE-PROXY-FIREWALL`], owner)
    }

    if (usesClusterPolicyChain) {
      declare(chains.clusterPolicy)
      writeServiceToEndpointRules(target, svc, chains.clusterPolicy, clusterEndpoints, withComment)
    }
    if (usesLocalPolicyChain) {
      declare(chains.localPolicy)
      writeServiceToEndpointRules(target, svc, chains.localPolicy, localEndpoints, withComment)
    }

    for (const ep of allReachableEndpoints) {
      declare(ep.chain)
      const head = withComment(spn)
      target.rule(ep.chain, [...head, '-s', ep.ip, '-j', KUBE_MARK_MASQ], owner)
      const affinity = svc.stickySeconds > 0 ? ['-m', 'recent', '--name', ep.chain, '--set'] : []
      target.rule(ep.chain, [...head, ...affinity, ...proto, '-j', 'DNAT', '--to-destination', ep.text], owner)
    }
    serviceChains[owner] = [...(serviceChains[owner] ?? []), ...owned]
  }

  // Delete kube-proxy's chains that are no longer in use (declare = flush, then -X).
  const cleanup = typeof options.cleanupStaleChains === 'function'
    ? options.cleanupStaleChains(largeClusterMode) : (options.cleanupStaleChains ?? true)
  if (options.existingNatChains && cleanup) {
    for (const chain of options.existingNatChains) {
      if (activeNatChains.has(chain) || !isServiceChainName(chain)) continue
      nat.chain(chain)
      nat.deletedChains.push(chain)
    }
  }

  // The tail call to KUBE-NODEPORTS: must be the last rule of KUBE-SERVICES.
  const nodePortsComment = ['-m', 'comment', '--comment', 'kubernetes service nodeports; NOTE: this must be the last rule in this chain']
  const npa = nodePortAddresses(config, nodeIPs)
  if (npa.matchAll) {
    const dest = ['-m', 'addrtype', '--dst-type', 'LOCAL', ...(localhostNodePorts ? [] : ['!', '-d', '127.0.0.0/8'])]
    nat.rule(KUBE_SERVICES, [...nodePortsComment, ...dest, '-j', KUBE_NODEPORTS])
  } else {
    const local = env.localAddresses ?? ['127.0.0.1', ...nodeIPs]
    const ips: string[] = []
    for (const cidr of npa.cidrs) {
      for (const ip of local) if (cidrContains(cidr, ip) && !ips.includes(ip)) ips.push(ip)
    }
    for (const ip of ips) {
      // Localhost NodePorts only work with route_localnet, which kube-proxy sets only for localhostNodePorts.
      if (isLoopback(ip) && !localhostNodePorts) continue
      nat.rule(KUBE_SERVICES, [...nodePortsComment, '-d', ip, '-j', KUBE_NODEPORTS])
    }
  }

  if (!env.conntrackTCPLiberal) {
    filter.rule(KUBE_FORWARD, ['-m', 'conntrack', '--ctstate', 'INVALID',
      ...(env.nfacct ? ['-m', 'nfacct', '--nfacct-name', NFACCT_CT_INVALID_DROPPED] : []), '-j', 'DROP'])
  }
  filter.rule(KUBE_FORWARD, ['-m', 'comment', '--comment', 'kubernetes forwarding rules', '-m', 'mark', '--mark', `${mark}/${mark}`, '-j', 'ACCEPT'])
  filter.rule(KUBE_FORWARD, ['-m', 'comment', '--comment', 'kubernetes forwarding conntrack rule', '-m', 'conntrack', '--ctstate', 'RELATED,ESTABLISHED', '-j', 'ACCEPT'])

  const payload = renderPayload(filter, nat)
  const deleted = nat.deletedChains.length
  return {
    release: KUBE_PROXY_LAYOUT_RELEASE,
    nodeName,
    kind: partial ? 'partial' : 'full',
    tables: {
      filter: { name: 'filter', chains: filter.chains, rules: filter.rules, deletedChains: [] },
      nat: { name: 'nat', chains: nat.chains, rules: nat.rules, deletedChains: nat.deletedChains },
    },
    payload,
    jumpRules: partial ? [] : jumpRules(),
    largeClusterMode,
    activeNatChains: [...activeNatChains],
    serviceChains,
    counts: {
      natRulesTotal: nat.rules.length + skipped.counted,
      natRulesWritten: nat.rules.length,
      filterRules: filter.rules.length,
      natChainsWritten: nat.chains.length - deleted,
    },
  }
}

function writeServiceToEndpointRules(
  table: Table,
  svc: ServicePortInfo,
  chain: string,
  endpoints: readonly EndpointInfo[],
  withComment: (c: string) => string[],
): void {
  if (svc.stickySeconds > 0) {
    for (const ep of endpoints) {
      table.rule(chain, [...withComment(`${svc.spn} -> ${ep.text}`), '-m', 'recent', '--name', ep.chain,
        '--rcheck', '--seconds', String(svc.stickySeconds), '--reap', '-j', ep.chain], svc.service)
    }
  }
  const n = endpoints.length
  endpoints.forEach((ep, i) => {
    const statistic = i < n - 1 ? ['-m', 'statistic', '--mode', 'random', '--probability', computeProbability(n - i)] : []
    table.rule(chain, [...withComment(`${svc.spn} -> ${ep.text}`), ...statistic, '-j', ep.chain], svc.service)
  })
}

function renderPayload(filter: Table, nat: Table): string {
  const lines: string[] = ['*filter']
  for (const c of filter.chains) lines.push(`:${c} - [0:0]`)
  for (const r of filter.rules) lines.push(r.text)
  lines.push('COMMIT', '*nat')
  for (const c of nat.chains) lines.push(`:${c} - [0:0]`)
  // Upstream writes the -X lines into natRules before the final KUBE-SERVICES rule.
  const tailIsNodePorts = (r: PayloadRule) => r.chain === KUBE_SERVICES && r.args.includes(KUBE_NODEPORTS)
  const tail = nat.rules.filter(tailIsNodePorts)
  for (const r of nat.rules) if (!tailIsNodePorts(r)) lines.push(r.text)
  for (const c of nat.deletedChains) lines.push(`-X ${c}`)
  for (const r of tail) lines.push(r.text)
  lines.push('COMMIT')
  return lines.join('\n') + '\n'
}
