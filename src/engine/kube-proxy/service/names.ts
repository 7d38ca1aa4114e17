/**
 * kube-proxy's names for a service port and its endpoints, shared by every mode: the service-port name string,
 * the endpoint string, and the hashed iptables chain names (pkg/proxy/iptables/proxier.go) that IPVS mode's
 * iptables rules use too.
 */
import { sha256Base32Prefix } from './name-hash.ts'

/**
 * Upstream `portProtoHash` / `servicePortEndpointChainName`: SHA-256 of the plain concatenation, base32,
 * first 16 characters (exactly the first 10 digest bytes, so padding never matters).
 */
export function hash16(input: string): string {
  let h = memo.get(input)
  if (h === undefined) {
    // Chain names are recomputed on every sync for every endpoint; remember them (bounded) as upstream
    // keeps them on its endpointInfo objects.
    if (memo.size >= MEMO_LIMIT) memo.clear()
    h = sha256Base32Prefix(input, 16)
    memo.set(input, h)
  }
  return h
}

const MEMO_LIMIT = 500_000
const memo = new Map<string, string>()

export type ProtocolLower = 'tcp' | 'udp' | 'sctp'

/** `ns/name:port`, or `ns/name` when the port has no name (proxy.ServicePortName.String()). */
export function servicePortNameString(namespace: string, name: string, portName: string | undefined): string {
  return portName ? `${namespace}/${name}:${portName}` : `${namespace}/${name}`
}

export interface ServiceChainNames {
  /** KUBE-SVC-…: the "Cluster" traffic-policy chain. */
  clusterPolicy: string
  /** KUBE-SVL-…: the "Local" traffic-policy chain. */
  localPolicy: string
  /** KUBE-EXT-…: where external (NodePort, externalIP, LoadBalancer) traffic goes first. */
  external: string
  /** KUBE-FW-…: the loadBalancerSourceRanges chain. */
  firewall: string
}

export function serviceChainNames(spn: string, protocol: ProtocolLower): ServiceChainNames {
  const h = hash16(spn + protocol)
  return {
    clusterPolicy: `KUBE-SVC-${h}`,
    localPolicy: `KUBE-SVL-${h}`,
    external: `KUBE-EXT-${h}`,
    firewall: `KUBE-FW-${h}`,
  }
}

/** KUBE-SEP-…: one endpoint of one service port; `endpoint` is `ip:port` as endpointString() makes it. */
export function endpointChainName(spn: string, protocol: ProtocolLower, endpoint: string): string {
  return `KUBE-SEP-${hash16(spn + protocol + endpoint)}`
}

/** Go's net.JoinHostPort: IPv6 addresses are bracketed. */
export function endpointString(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`
}
