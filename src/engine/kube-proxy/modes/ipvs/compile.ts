/**
 * kube-proxy's IPVS mode as a pure function (pkg/proxy/ipvs/proxier.go, syncProxyRules and
 * writeIptablesRules, read at kubernetes/kubernetes master of 2025, the layout of v1.32): from a cluster
 * snapshot, a Node and the KubeProxyConfiguration to
 *  - the addresses bound to the `kube-ipvs0` dummy interface,
 *  - the ipsets kube-proxy keeps and their entries,
 *  - one IPVS virtual server per IP:port:protocol with its real servers,
 *  - the iptables-restore payload (nat + filter) and the jump rules kube-proxy ensures in built-in chains.
 *
 * Where upstream's order depends on Go map iteration (services, ipset creation, real servers) we use a
 * stable order: services by namespace/name and port order, sets in upstream's ipsetInfo order, entries sorted
 * as kube-proxy adds them (sets.List() is sorted), real servers by endpoint string.
 */
import type { ClusterSnapshot, KubeProxyConfiguration } from '../../../cluster/types.ts'
import { nodeAddresses } from '../../node-addresses.ts'
import type { JumpRule, PayloadRule, PayloadTable, PayloadTableName } from '../../node-iptables/payload.ts'
import { cidrContains, isLoopback, parseCIDRSloppy } from '../../../net/ipv4.ts'
import type { Cidr } from '../../../net/ipv4.ts'
import { masqueradeMark } from '../../numbers.ts'
import { toPayloadLine } from '../../node-iptables/save-format.ts'
import { allServicePorts } from '../../service/service-port.ts'
import { categorizeEndpoints } from '../../service/topology.ts'
import { endpointsByServicePort } from '../../service/endpoints.ts'
import type { ServicePortInfo } from '../../service/service-port.ts'
import type { IpsetTypeName } from '../../../ipset/model.ts'
import { IPVS_SVC_F_PERSISTENT, IPVS_SVC_F_SCHED2 } from '../../../ipvs/types.ts'
import type { IpvsProtocol, VirtualServerSpec } from '../../../ipvs/types.ts'
import { ipvsModeSaveLine } from './save-line.ts'

export const IPVS_LAYOUT_RELEASE = 'v1.32'
export const DUMMY_DEVICE = 'kube-ipvs0'
export const DEFAULT_SCHEDULER = 'rr'

// Chains (proxier.go constants).
export const KUBE_SERVICES = 'KUBE-SERVICES'
export const KUBE_PROXY_FIREWALL = 'KUBE-PROXY-FIREWALL'
export const KUBE_SOURCE_RANGES_FIREWALL = 'KUBE-SOURCE-RANGES-FIREWALL'
export const KUBE_POSTROUTING = 'KUBE-POSTROUTING'
export const KUBE_MARK_MASQ = 'KUBE-MARK-MASQ'
export const KUBE_NODE_PORT = 'KUBE-NODE-PORT'
export const KUBE_FORWARD = 'KUBE-FORWARD'
export const KUBE_LOAD_BALANCER = 'KUBE-LOAD-BALANCER'
export const KUBE_IPVS_FILTER = 'KUBE-IPVS-FILTER'
export const KUBE_IPVS_OUT_FILTER = 'KUBE-IPVS-OUT-FILTER'

// ipsets (pkg/proxy/ipvs/ipset.go).
export const KUBE_LOOP_BACK = 'KUBE-LOOP-BACK'
export const KUBE_CLUSTER_IP = 'KUBE-CLUSTER-IP'
export const KUBE_EXTERNAL_IP = 'KUBE-EXTERNAL-IP'
export const KUBE_EXTERNAL_IP_LOCAL = 'KUBE-EXTERNAL-IP-LOCAL'
export const KUBE_LOAD_BALANCER_SET = 'KUBE-LOAD-BALANCER'
export const KUBE_LOAD_BALANCER_FW = 'KUBE-LOAD-BALANCER-FW'
export const KUBE_LOAD_BALANCER_LOCAL = 'KUBE-LOAD-BALANCER-LOCAL'
export const KUBE_LOAD_BALANCER_SOURCE_IP = 'KUBE-LOAD-BALANCER-SOURCE-IP'
export const KUBE_LOAD_BALANCER_SOURCE_CIDR = 'KUBE-LOAD-BALANCER-SOURCE-CIDR'
export const KUBE_NODE_PORT_TCP = 'KUBE-NODE-PORT-TCP'
export const KUBE_NODE_PORT_LOCAL_TCP = 'KUBE-NODE-PORT-LOCAL-TCP'
export const KUBE_NODE_PORT_UDP = 'KUBE-NODE-PORT-UDP'
export const KUBE_NODE_PORT_LOCAL_UDP = 'KUBE-NODE-PORT-LOCAL-UDP'
export const KUBE_NODE_PORT_SCTP = 'KUBE-NODE-PORT-SCTP-HASH'
export const KUBE_NODE_PORT_LOCAL_SCTP = 'KUBE-NODE-PORT-LOCAL-SCTP-HASH'
export const KUBE_HEALTH_CHECK_NODE_PORT = 'KUBE-HEALTH-CHECK-NODE-PORT'
export const KUBE_IPVS_IPS = 'KUBE-IPVS-IPS'

export interface IpsetInfo {
  name: string
  type: IpsetTypeName
  /** Used as the iptables comment of the rules that match the set. */
  comment: string
}

/** Upstream ipsetInfo, in its order (kube-proxy creates them all at every sync, `-exist`). */
export const IPSET_INFO: readonly IpsetInfo[] = [
  { name: KUBE_LOOP_BACK, type: 'hash:ip,port,ip', comment: 'Kubernetes endpoints dst ip:port, source ip for solving hairpin purpose' },
  { name: KUBE_CLUSTER_IP, type: 'hash:ip,port', comment: 'Kubernetes service cluster ip + port for masquerade purpose' },
  { name: KUBE_EXTERNAL_IP, type: 'hash:ip,port', comment: 'Kubernetes service external ip + port for masquerade and filter purpose' },
  { name: KUBE_EXTERNAL_IP_LOCAL, type: 'hash:ip,port', comment: 'Kubernetes service external ip + port with externalTrafficPolicy=local' },
  { name: KUBE_LOAD_BALANCER_SET, type: 'hash:ip,port', comment: 'Kubernetes service lb portal' },
  { name: KUBE_LOAD_BALANCER_FW, type: 'hash:ip,port', comment: 'Kubernetes service load balancer ip + port for load balancer with sourceRange' },
  { name: KUBE_LOAD_BALANCER_LOCAL, type: 'hash:ip,port', comment: 'Kubernetes service load balancer ip + port with externalTrafficPolicy=local' },
  { name: KUBE_LOAD_BALANCER_SOURCE_IP, type: 'hash:ip,port,ip', comment: 'Kubernetes service load balancer ip + port + source IP for packet filter purpose' },
  { name: KUBE_LOAD_BALANCER_SOURCE_CIDR, type: 'hash:ip,port,net', comment: 'Kubernetes service load balancer ip + port + source cidr for packet filter purpose' },
  { name: KUBE_NODE_PORT_TCP, type: 'bitmap:port', comment: 'Kubernetes nodeport TCP port for masquerade purpose' },
  { name: KUBE_NODE_PORT_LOCAL_TCP, type: 'bitmap:port', comment: 'Kubernetes nodeport TCP port with externalTrafficPolicy=local' },
  { name: KUBE_NODE_PORT_UDP, type: 'bitmap:port', comment: 'Kubernetes nodeport UDP port for masquerade purpose' },
  { name: KUBE_NODE_PORT_LOCAL_UDP, type: 'bitmap:port', comment: 'Kubernetes nodeport UDP port with externalTrafficPolicy=local' },
  { name: KUBE_NODE_PORT_SCTP, type: 'hash:ip,port', comment: "Kubernetes nodeport SCTP port for masquerade purpose with type 'hash ip:port'" },
  { name: KUBE_NODE_PORT_LOCAL_SCTP, type: 'hash:ip,port', comment: "Kubernetes nodeport SCTP port with externalTrafficPolicy=local with type 'hash ip:port'" },
  { name: KUBE_HEALTH_CHECK_NODE_PORT, type: 'bitmap:port', comment: 'Kubernetes health check node port' },
  { name: KUBE_IPVS_IPS, type: 'hash:ip', comment: 'Addresses on the ipvs interface' },
]

/** ipsetWithIptablesChain: set → rule in `from`, in upstream's order (LOCAL sets before their plain sets). */
const SET_RULES: readonly { set: string; table: PayloadTableName; from: string; to: string; match: string; proto?: string }[] = [
  { set: KUBE_LOOP_BACK, table: 'nat', from: KUBE_POSTROUTING, to: 'MASQUERADE', match: 'dst,dst,src' },
  { set: KUBE_LOAD_BALANCER_SET, table: 'nat', from: KUBE_SERVICES, to: KUBE_LOAD_BALANCER, match: 'dst,dst' },
  { set: KUBE_LOAD_BALANCER_LOCAL, table: 'nat', from: KUBE_LOAD_BALANCER, to: 'RETURN', match: 'dst,dst' },
  { set: KUBE_NODE_PORT_LOCAL_TCP, table: 'nat', from: KUBE_NODE_PORT, to: 'RETURN', match: 'dst', proto: 'tcp' },
  { set: KUBE_NODE_PORT_TCP, table: 'nat', from: KUBE_NODE_PORT, to: KUBE_MARK_MASQ, match: 'dst', proto: 'tcp' },
  { set: KUBE_NODE_PORT_LOCAL_UDP, table: 'nat', from: KUBE_NODE_PORT, to: 'RETURN', match: 'dst', proto: 'udp' },
  { set: KUBE_NODE_PORT_UDP, table: 'nat', from: KUBE_NODE_PORT, to: KUBE_MARK_MASQ, match: 'dst', proto: 'udp' },
  { set: KUBE_NODE_PORT_LOCAL_SCTP, table: 'nat', from: KUBE_NODE_PORT, to: 'RETURN', match: 'dst,dst', proto: 'sctp' },
  { set: KUBE_NODE_PORT_SCTP, table: 'nat', from: KUBE_NODE_PORT, to: KUBE_MARK_MASQ, match: 'dst,dst', proto: 'sctp' },
  { set: KUBE_LOAD_BALANCER_FW, table: 'filter', from: KUBE_PROXY_FIREWALL, to: KUBE_SOURCE_RANGES_FIREWALL, match: 'dst,dst' },
  { set: KUBE_LOAD_BALANCER_SOURCE_CIDR, table: 'filter', from: KUBE_SOURCE_RANGES_FIREWALL, to: 'RETURN', match: 'dst,dst,src' },
  { set: KUBE_LOAD_BALANCER_SOURCE_IP, table: 'filter', from: KUBE_SOURCE_RANGES_FIREWALL, to: 'RETURN', match: 'dst,dst,src' },
]

/** iptablesChains: the chains declared in the payload (and ensured), per table, in upstream order. */
const NAT_CHAINS = [KUBE_SERVICES, KUBE_POSTROUTING, KUBE_NODE_PORT, KUBE_LOAD_BALANCER, KUBE_MARK_MASQ]
const FILTER_CHAINS = [KUBE_FORWARD, KUBE_NODE_PORT, KUBE_PROXY_FIREWALL, KUBE_SOURCE_RANGES_FIREWALL, KUBE_IPVS_FILTER, KUBE_IPVS_OUT_FILTER]

export interface IpvsCompileOptions {
  /** MASQUERADE --random-fully available (real nodes: yes). */
  randomFully?: boolean
  /** Mark text as written (default: `%#08x` of the masquerade bit, e.g. 0x00004000). */
  masqueradeMark?: string
  /**
   * The node's non-loopback addresses not on kube-ipvs0 (GetAllLocalAddressesExcept): NodePort virtual
   * servers are created on each (or on those inside --nodeport-addresses). Default: the Node's status
   * addresses. Upstream's unit tests pass their fake netlink addresses here (often none).
   */
  localAddresses?: readonly string[]
  /** The node IP kube-proxy was given (LoadBalancer source ranges test it). Default: first status address. */
  nodeIP?: string
}

export interface IpsetContent extends IpsetInfo {
  /** Entries as kube-proxy adds them (`ipset add NAME ENTRY`), sorted. */
  entries: string[]
}

export interface IpvsService extends VirtualServerSpec {
  /** The Service port (`ns/name:port`) this virtual server serves. */
  servicePort: string
  /** Why it exists: the cluster IP, an external IP, a load-balancer IP or a node address (NodePort). */
  kind: 'ClusterIP' | 'ExternalIP' | 'LoadBalancer' | 'NodePort'
}

export interface IpvsCompileResult {
  release: string
  nodeName: string
  /** `kube-ipvs0` and the addresses kube-proxy binds to it (each as /32), in bind order. */
  dummyInterface: { name: string; addresses: string[] }
  ipsets: IpsetContent[]
  virtualServers: IpvsService[]
  tables: { filter: PayloadTable; nat: PayloadTable }
  /** The iptables-restore input (`iptables-restore --noflush --counters`). */
  payload: string
  /** The rules kube-proxy keeps in built-in chains with EnsureRule(Prepend), in the order it ensures them. */
  jumpRules: JumpRule[]
}

/** iptablesJumpChain: built-in chain → kube chain, with the comment, each ensured by prepending. */
export function ipvsJumpRules(): JumpRule[] {
  const spec: [JumpRule['table'], string, string, string][] = [
    ['nat', 'OUTPUT', KUBE_SERVICES, 'kubernetes service portals'],
    ['nat', 'PREROUTING', KUBE_SERVICES, 'kubernetes service portals'],
    ['nat', 'POSTROUTING', KUBE_POSTROUTING, 'kubernetes postrouting rules'],
    ['filter', 'FORWARD', KUBE_FORWARD, 'kubernetes forwarding rules'],
    ['filter', 'INPUT', KUBE_NODE_PORT, 'kubernetes health check rules'],
    ['filter', 'INPUT', KUBE_PROXY_FIREWALL, 'kube-proxy firewall rules'],
    ['filter', 'FORWARD', KUBE_PROXY_FIREWALL, 'kube-proxy firewall rules'],
    ['filter', 'INPUT', KUBE_IPVS_FILTER, 'kubernetes ipvs access filter'],
    ['filter', 'OUTPUT', KUBE_IPVS_OUT_FILTER, 'kubernetes ipvs access filter'],
  ]
  return spec.map(([table, chain, target, comment]) => {
    const args = ['-m', 'comment', '--comment', comment, '-j', target]
    return { table, chain, target, args, save: ipvsModeSaveLine(chain, args) }
  })
}

class Table {
  readonly rules: PayloadRule[] = []
  constructor(readonly name: PayloadTableName, readonly chains: string[]) {}
  rule(chain: string, args: string[], service?: string): void {
    this.rules.push({ table: this.name, chain, args, text: toPayloadLine(chain, args), save: ipvsModeSaveLine(chain, args), service })
  }
  payloadTable(): PayloadTable {
    return { name: this.name, chains: [...this.chains], rules: this.rules, deletedChains: [] }
  }
}

/** proxyutil.NodePortAddresses: all addresses, or those inside the configured CIDRs ("primary" = node IP). */
function nodePortIPs(config: KubeProxyConfiguration, local: readonly string[], nodeIP: string | undefined): string[] {
  const cidrs: Cidr[] = []
  let matchAll = false
  for (const text of config.nodePortAddresses ?? []) {
    const c = text === 'primary' ? (nodeIP ? parseCIDRSloppy(`${nodeIP}/32`) : undefined) : parseCIDRSloppy(text)
    if (!c || c.family !== 'IPv4') continue
    if (c.prefix === 0) matchAll = true
    cidrs.push(c)
  }
  if (cidrs.length === 0) matchAll = true
  if (matchAll) return [...local]
  return local.filter((ip) => !isLoopback(ip) && cidrs.some((c) => cidrContains(c, ip)))
}

const PROTO_UPPER: Record<string, IpvsProtocol> = { tcp: 'TCP', udp: 'UDP', sctp: 'SCTP' }

/** Compile one Node's IPVS-mode state (a full sync). */
export function compileIpvs(
  snapshot: ClusterSnapshot,
  nodeName: string,
  config: KubeProxyConfiguration,
  options: IpvsCompileOptions = {},
): IpvsCompileResult {
  const node = snapshot.nodes.find((n) => n.metadata.name === nodeName)
  const statusIPs = nodeAddresses(node)
  const local = (options.localAddresses ?? statusIPs).filter((ip) => !isLoopback(ip))
  const nodeIP = options.nodeIP ?? statusIPs[0]
  const scheduler = config.ipvs?.scheduler || DEFAULT_SCHEDULER
  const mark = options.masqueradeMark ?? masqueradeMark(config.iptables?.masqueradeBit ?? 14)
  const masqueradeAll = config.iptables?.masqueradeAll ?? false
  const randomFully = options.randomFully ?? true
  const detector = (config.clusterCIDR ?? '').split(',').map((c) => parseCIDRSloppy(c)).find((c) => c?.family === 'IPv4')?.text

  const entries = new Map<string, Set<string>>(IPSET_INFO.map((s) => [s.name, new Set<string>()]))
  const add = (set: string, entry: string) => entries.get(set)!.add(entry)
  const virtualServers: IpvsService[] = []
  // Insertion-ordered set: the bind order is the order `ip addr` lists kube-ipvs0's addresses.
  const bound = new Set<string>()
  const bind = (ip: string) => { bound.add(ip) }
  const localSet = new Set(local)
  // LB IPs whose source ranges exclude the node IP (upstream's lbNoNodeAccessIPPortProtocolEntries).
  const lbNoNodeAccess: { ip: string; proto: string; port: number }[] = []

  const ports = allServicePorts(snapshot)
  const endpointsMap = endpointsByServicePort(snapshot.endpointSlices, nodeName)
  const hasNodePort = ports.some((p) => p.nodePort !== 0)
  const nodeIPs = hasNodePort ? nodePortIPs(config, local, nodeIP) : []

  const vsFlags = (svc: ServicePortInfo) => (svc.stickySeconds > 0 ? IPVS_SVC_F_PERSISTENT : 0) | (scheduler === 'mh' ? IPVS_SVC_F_SCHED2 : 0)
  const realServers = (svc: ServicePortInfo, onlyLocal: boolean) => {
    const { clusterEndpoints, localEndpoints } = categorizeEndpoints(endpointsMap.get(svc.key) ?? [], svc)
    const eps = onlyLocal && localEndpoints.length > 0 ? localEndpoints : clusterEndpoints
    const byText = new Map(eps.map((e) => [e.text, e]))
    return [...byText.keys()].sort().map((text) => {
      const ep = byText.get(text)!
      return { address: ep.ip, port: ep.port, weight: 1, forward: 'Masq' as const }
    })
  }
  const addVS = (svc: ServicePortInfo, address: string, port: number, kind: IpvsService['kind'], onlyLocal: boolean) => {
    virtualServers.push({
      protocol: PROTO_UPPER[svc.protocol], address, port, scheduler, flags: vsFlags(svc), timeout: svc.stickySeconds,
      realServers: realServers(svc, onlyLocal), servicePort: svc.spn, kind,
    })
  }

  for (const svc of ports) {
    const proto = svc.protocol
    // Hairpin: every local endpoint ip,proto:port,ip.
    for (const ep of endpointsMap.get(svc.key) ?? []) {
      if (ep.isLocal) add(KUBE_LOOP_BACK, `${ep.ip},${proto}:${ep.port},${ep.ip}`)
    }
    add(KUBE_CLUSTER_IP, `${svc.clusterIP},${proto}:${svc.port}`)
    addVS(svc, svc.clusterIP, svc.port, 'ClusterIP', svc.internalPolicyLocal)
    bind(svc.clusterIP)

    for (const ip of svc.externalIPs) {
      add(svc.externalPolicyLocal ? KUBE_EXTERNAL_IP_LOCAL : KUBE_EXTERNAL_IP, `${ip},${proto}:${svc.port}`)
      addVS(svc, ip, svc.port, 'ExternalIP', svc.externalPolicyLocal)
      // Not bound when the address already sits on another interface of the node.
      if (!localSet.has(ip)) bind(ip)
    }

    for (const ip of svc.loadBalancerVIPs) {
      const entry = `${ip},${proto}:${svc.port}`
      add(KUBE_LOAD_BALANCER_SET, entry)
      if (svc.externalPolicyLocal) add(KUBE_LOAD_BALANCER_LOCAL, entry)
      if (svc.loadBalancerSourceRanges.length > 0) {
        add(KUBE_LOAD_BALANCER_FW, entry)
        let allowFromNode = false
        for (const cidr of svc.loadBalancerSourceRanges) {
          add(KUBE_LOAD_BALANCER_SOURCE_CIDR, `${entry},${cidr.text}`)
          if (nodeIP && cidrContains(cidr, nodeIP)) allowFromNode = true
        }
        if (allowFromNode) add(KUBE_LOAD_BALANCER_SOURCE_IP, `${entry},${ip}`)
        else lbNoNodeAccess.push({ ip, proto, port: svc.port })
      }
      addVS(svc, ip, svc.port, 'LoadBalancer', svc.externalPolicyLocal)
      if (!localSet.has(ip)) bind(ip)
    }

    if (svc.nodePort !== 0) {
      // Upstream `continue`s here without node IPs, which also skips the health-check port below.
      if (nodeIPs.length === 0) continue
      const sets = proto === 'tcp' ? [KUBE_NODE_PORT_TCP, KUBE_NODE_PORT_LOCAL_TCP]
        : proto === 'udp' ? [KUBE_NODE_PORT_UDP, KUBE_NODE_PORT_LOCAL_UDP] : [KUBE_NODE_PORT_SCTP, KUBE_NODE_PORT_LOCAL_SCTP]
      const npEntries = proto === 'sctp' ? nodeIPs.map((ip) => `${ip},sctp:${svc.nodePort}`) : [String(svc.nodePort)]
      for (const e of npEntries) {
        add(sets[0], e)
        if (svc.externalPolicyLocal) add(sets[1], e)
      }
      for (const ip of nodeIPs) addVS(svc, ip, svc.nodePort, 'NodePort', svc.externalPolicyLocal)
    }

    if (svc.healthCheckNodePort !== 0) add(KUBE_HEALTH_CHECK_NODE_PORT, String(svc.healthCheckNodePort))
  }
  for (const ip of bound) add(KUBE_IPVS_IPS, ip)

  const isEmpty = (set: string) => entries.get(set)!.size === 0
  const comment = (set: string) => IPSET_INFO.find((s) => s.name === set)!.comment

  // writeIptablesRules
  const nat = new Table('nat', NAT_CHAINS)
  const filter = new Table('filter', FILTER_CHAINS)
  nat.rule(KUBE_SERVICES, ['-s', '127.0.0.0/8', '-j', 'RETURN'])
  for (const r of SET_RULES) {
    if (isEmpty(r.set)) continue
    const args = [...(r.proto ? ['-p', r.proto] : []), '-m', 'comment', '--comment', comment(r.set), '-m', 'set', '--match-set', r.set, r.match, '-j', r.to]
    ;(r.table === 'nat' ? nat : filter).rule(r.from, args)
  }
  if (!isEmpty(KUBE_CLUSTER_IP)) {
    const base = ['-m', 'comment', '--comment', comment(KUBE_CLUSTER_IP), '-m', 'set', '--match-set', KUBE_CLUSTER_IP]
    if (masqueradeAll) nat.rule(KUBE_SERVICES, [...base, 'dst,dst', '-j', KUBE_MARK_MASQ])
    else if (detector) nat.rule(KUBE_SERVICES, [...base, 'dst,dst', '!', '-s', detector, '-j', KUBE_MARK_MASQ])
    // No detector: masquerade node-originated traffic whose source is a VIP (bound on kube-ipvs0).
    else nat.rule(KUBE_SERVICES, [...base, 'src,dst', '-j', KUBE_MARK_MASQ])
  }
  const externalIPRules = (args: string[]) => {
    nat.rule(KUBE_SERVICES, [...args, '-m', 'physdev', '!', '--physdev-is-in', '-m', 'addrtype', '!', '--src-type', 'LOCAL', '-j', 'ACCEPT'])
    nat.rule(KUBE_SERVICES, [...args, '-m', 'addrtype', '--dst-type', 'LOCAL', '-j', 'ACCEPT'])
  }
  for (const set of [KUBE_EXTERNAL_IP, KUBE_EXTERNAL_IP_LOCAL]) {
    if (isEmpty(set)) continue
    const args = ['-m', 'comment', '--comment', comment(set), '-m', 'set', '--match-set', set, 'dst,dst']
    if (set === KUBE_EXTERNAL_IP) nat.rule(KUBE_SERVICES, [...args, '-j', KUBE_MARK_MASQ])
    externalIPRules(args)
  }
  nat.rule(KUBE_SERVICES, ['-m', 'addrtype', '--dst-type', 'LOCAL', '-j', KUBE_NODE_PORT])
  nat.rule(KUBE_LOAD_BALANCER, ['-j', KUBE_MARK_MASQ])
  filter.rule(KUBE_SOURCE_RANGES_FIREWALL, ['-j', 'DROP'])
  for (const e of lbNoNodeAccess) {
    filter.rule(KUBE_IPVS_OUT_FILTER, ['-s', e.ip, '-m', 'ipvs', '--vaddr', e.ip, '--vproto', e.proto, '--vport', String(e.port), '-j', 'DROP'])
  }
  for (const set of [KUBE_CLUSTER_IP, KUBE_LOAD_BALANCER_SET]) {
    if (!isEmpty(set)) nat.rule(KUBE_SERVICES, ['-m', 'set', '--match-set', set, 'dst,dst', '-j', 'ACCEPT'])
  }
  filter.rule(KUBE_FORWARD, ['-m', 'comment', '--comment', 'kubernetes forwarding rules', '-m', 'mark', '--mark', `${mark}/${mark}`, '-j', 'ACCEPT'])
  filter.rule(KUBE_FORWARD, ['-m', 'comment', '--comment', 'kubernetes forwarding conntrack rule', '-m', 'conntrack', '--ctstate', 'RELATED,ESTABLISHED', '-j', 'ACCEPT'])
  filter.rule(KUBE_NODE_PORT, ['-m', 'comment', '--comment', comment(KUBE_HEALTH_CHECK_NODE_PORT), '-m', 'set', '--match-set', KUBE_HEALTH_CHECK_NODE_PORT, 'dst', '-j', 'ACCEPT'])
  for (const set of [KUBE_LOAD_BALANCER_SET, KUBE_CLUSTER_IP, KUBE_EXTERNAL_IP, KUBE_EXTERNAL_IP_LOCAL]) {
    filter.rule(KUBE_IPVS_FILTER, ['-m', 'set', '--match-set', set, 'dst,dst', '-j', 'RETURN'])
  }
  filter.rule(KUBE_IPVS_FILTER, ['-m', 'set', '--match-set', KUBE_HEALTH_CHECK_NODE_PORT, 'dst', '-j', 'RETURN'])
  filter.rule(KUBE_IPVS_FILTER, ['-m', 'conntrack', '--ctstate', 'NEW', '-m', 'set', '--match-set', KUBE_IPVS_IPS, 'dst', '-j', 'REJECT'])
  nat.rule(KUBE_POSTROUTING, ['-m', 'mark', '!', '--mark', `${mark}/${mark}`, '-j', 'RETURN'])
  nat.rule(KUBE_POSTROUTING, ['-j', 'MARK', '--xor-mark', mark])
  nat.rule(KUBE_POSTROUTING, ['-m', 'comment', '--comment', 'kubernetes service traffic requiring SNAT', '-j', 'MASQUERADE', ...(randomFully ? ['--random-fully'] : [])])
  nat.rule(KUBE_MARK_MASQ, ['-j', 'MARK', '--or-mark', mark])

  const tables = { filter: filter.payloadTable(), nat: nat.payloadTable() }
  return {
    release: IPVS_LAYOUT_RELEASE,
    nodeName,
    dummyInterface: { name: DUMMY_DEVICE, addresses: [...bound] },
    ipsets: IPSET_INFO.map((s) => ({ ...s, entries: [...entries.get(s.name)!].sort() })),
    virtualServers,
    tables,
    payload: renderPayload(tables.nat, tables.filter),
    jumpRules: ipvsJumpRules(),
  }
}

/** natChains + natRules + filterChains + filterRules, as syncProxyRules concatenates them. */
function renderPayload(nat: PayloadTable, filter: PayloadTable): string {
  const lines: string[] = []
  for (const t of [nat, filter]) {
    lines.push(`*${t.name}`)
    for (const c of t.chains) lines.push(`:${c} - [0:0]`)
    for (const r of t.rules) lines.push(r.text)
    lines.push('COMMIT')
  }
  return lines.join('\n') + '\n'
}
