/**
 * kube-proxy's nftables chain and set names (pkg/proxy/nftables/proxier.go): readable names of the form
 * `HASH-namespace/service/protocol/port` (and `…__endpointIP/endpointPort` for endpoints), prefixed by the
 * object's role, where HASH is the first 8 base32 characters of the SHA-256 of the readable part itself.
 */
import { sha256Base32Prefix } from '../../service/name-hash.ts'

/** knftables.NameLengthMax. */
export const NAME_LENGTH_MAX = 256
/** Longest prefix kube-proxy puts in front of a name base (with its hyphen). */
export const CHAIN_NAME_PREFIX_LENGTH_MAX = 16
export const CHAIN_NAME_BASE_LENGTH_MAX = NAME_LENGTH_MAX - CHAIN_NAME_PREFIX_LENGTH_MAX

export const PREFIX = {
  clusterPolicy: 'service-',
  localPolicy: 'local-',
  external: 'external-',
  endpoint: 'endpoint-',
  affinity: 'affinity-',
  firewall: 'firewall-',
} as const

const memo = new Map<string, string>()

/** Upstream hashAndTruncate: `HASH8-name`, cut to 240 characters ending in `...` if longer. */
export function hashAndTruncate(name: string): string {
  let result = memo.get(name)
  if (result !== undefined) return result
  result = sha256Base32Prefix(name, 8) + '-' + name
  if (result.length > CHAIN_NAME_BASE_LENGTH_MAX) result = result.slice(0, CHAIN_NAME_BASE_LENGTH_MAX - 3) + '...'
  if (memo.size > 200_000) memo.clear()
  memo.set(name, result)
  return result
}

/** servicePortChainNameBase: `HASH-ns/name/proto/portName` (an unnamed port leaves the last part empty). */
export function servicePortChainNameBase(namespace: string, name: string, protocol: string, portName: string): string {
  return hashAndTruncate(`${namespace}/${name}/${protocol}/${portName}`)
}

/**
 * servicePortEndpointChainNameBase: `HASH-ns/name/proto/portName__ip/port`. `endpoint` is `ip:port` or
 * `[ipv6]:port` (JoinHostPort); IPv6 colons become dots, which chain names allow.
 */
export function servicePortEndpointChainNameBase(
  namespace: string, name: string, protocol: string, portName: string, endpoint: string,
): string {
  const colon = endpoint.lastIndexOf(':')
  let ip = endpoint.slice(0, colon)
  const port = endpoint.slice(colon + 1)
  if (ip.startsWith('[') && ip.endsWith(']')) ip = ip.slice(1, -1)
  ip = ip.replaceAll(':', '.')
  return hashAndTruncate(`${namespace}/${name}/${protocol}/${portName}__${ip}/${port}`)
}

/** isServiceChainName: only kube-proxy's per-service and per-endpoint chains contain a slash. */
export function isServiceChainName(chain: string): boolean {
  return chain.includes('/')
}

export function isAffinitySetName(set: string): boolean {
  return set.startsWith(PREFIX.affinity)
}
