/**
 * A Service manifest → a Service with the API server's defaults, validated as ValidateService does.
 * Allocation (cluster IP, node ports, load-balancer IPs) and clashes are the apply step's business.
 */
import type { Protocol, Service, ServicePort, ServiceType } from '../types.ts'
import type { Raw } from './common.ts'
import { PROTOCOLS, Reader, checkPortNumber, dns1035Label, ianaSvcName, isRaw } from './common.ts'
import { duplicate, forbidden, invalid, notSupported, required } from './field-error.ts'
import { readMeta } from './meta.ts'
import { NODE_PORT_MAX, NODE_PORT_MIN } from '../ip-allocator.ts'
import { canonicalCIDR, canonicalIP, sloppyIPv4 } from '../../net/ipv4.ts'

const TYPES: ServiceType[] = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName']

export function readService(raw: Raw, r: Reader): Service {
  const metadata = readMeta(raw, r, { namespaced: true, nameCheck: dns1035Label })
  const spec = r.map(raw, 'spec', []) ?? {}
  const sp = ['spec'] as const
  const typeText = r.string(spec, 'type', sp) ?? 'ClusterIP'
  let type: ServiceType = 'ClusterIP'
  if ((TYPES as string[]).includes(typeText)) type = typeText as ServiceType
  else r.add(notSupported(['spec', 'type'], typeText, TYPES))

  const ports = readPorts(spec, r, type)
  const svc: Service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata,
    spec: { type, ports, sessionAffinity: 'None' },
    status: { loadBalancer: {} },
  }
  const s = svc.spec
  const selector = r.stringMap(spec, 'selector', sp)
  if (selector && Object.keys(selector).length > 0 && type !== 'ExternalName') s.selector = selector

  // clusterIP / clusterIPs
  const clusterIP = r.string(spec, 'clusterIP', sp)
  const clusterIPs = r.stringList(spec, 'clusterIPs', sp)
  if (type === 'ExternalName') {
    const name = r.string(spec, 'externalName', sp)
    if (!name) r.add(required(['spec', 'externalName']))
    else {
      for (const msg of dns1123SubdomainLoose(name)) r.add(invalid(['spec', 'externalName'], name, msg))
      s.externalName = name
    }
    if (clusterIP) r.add(forbidden(['spec', 'clusterIP'], 'may not be set for ExternalName services'))
  } else {
    const ip = clusterIP || clusterIPs?.[0]
    const path = clusterIP ? ['spec', 'clusterIP'] : ['spec', 'clusterIPs', 0]
    if (clusterIP && clusterIPs && clusterIPs[0] !== undefined && clusterIPs[0] !== clusterIP) {
      r.add(invalid(['spec', 'clusterIPs'], clusterIPs, 'element [0] must match clusterIP'))
    }
    if (ip === 'None') {
      if (type !== 'ClusterIP') r.add({ ...invalid(['spec', 'clusterIPs', 0], 'None', `may not be set to 'None' for ${type} services`), at: [path] })
      s.clusterIP = 'None'
      s.clusterIPs = ['None']
    } else if (ip) {
      // The API server defaults clusterIPs from clusterIP and names clusterIPs[0] in its errors.
      if (checkIP(ip, ['spec', 'clusterIPs', 0], r, path)) { s.clusterIP = ip; s.clusterIPs = [ip] }
    }
  }

  // sessionAffinity
  const affinity = r.string(spec, 'sessionAffinity', sp) ?? 'None'
  if (affinity === 'None' || affinity === 'ClientIP') s.sessionAffinity = affinity
  else r.add(notSupported(['spec', 'sessionAffinity'], affinity, ['ClientIP', 'None']))
  if (s.sessionAffinity === 'ClientIP') {
    const cfg = r.map(spec, 'sessionAffinityConfig', sp)
    const cip = r.map(cfg, 'clientIP', ['spec', 'sessionAffinityConfig'])
    const timeout = r.integer(cip, 'timeoutSeconds', ['spec', 'sessionAffinityConfig', 'clientIP']) ?? 10800
    if (timeout <= 0 || timeout > 86400) {
      r.add(invalid(['spec', 'sessionAffinityConfig', 'clientIP', 'timeoutSeconds'], timeout, 'must be greater than 0 and less than 86400'))
    }
    s.sessionAffinityConfig = { clientIP: { timeoutSeconds: timeout } }
  } else if (spec.sessionAffinityConfig) {
    r.add(forbidden(['spec', 'sessionAffinityConfig'], 'must not be set when session affinity is None'))
  }

  // externalIPs
  const externalIPs = r.stringList(spec, 'externalIPs', sp)
  externalIPs?.forEach((ip, i) => checkIP(ip, ['spec', 'externalIPs', i], r))
  if (externalIPs && externalIPs.length > 0) s.externalIPs = externalIPs

  // traffic policies
  const external = type === 'NodePort' || type === 'LoadBalancer' || (s.externalIPs?.length ?? 0) > 0
  const etp = r.string(spec, 'externalTrafficPolicy', sp)
  if (etp !== undefined && etp !== 'Cluster' && etp !== 'Local') r.add(notSupported(['spec', 'externalTrafficPolicy'], etp, ['Cluster', 'Local']))
  else if (etp && !external) r.add(invalid(['spec', 'externalTrafficPolicy'], etp, 'may only be set for externally-accessible services'))
  else if (type === 'NodePort' || type === 'LoadBalancer') s.externalTrafficPolicy = etp ?? 'Cluster'
  else if (etp) s.externalTrafficPolicy = etp
  const itp = r.string(spec, 'internalTrafficPolicy', sp) ?? 'Cluster'
  if (itp !== 'Cluster' && itp !== 'Local') r.add(notSupported(['spec', 'internalTrafficPolicy'], itp, ['Cluster', 'Local']))
  else if (type !== 'ExternalName') s.internalTrafficPolicy = itp

  const hc = r.integer(spec, 'healthCheckNodePort', sp)
  if (hc !== undefined) {
    if (!(type === 'LoadBalancer' && s.externalTrafficPolicy === 'Local')) {
      r.add(invalid(['spec', 'healthCheckNodePort'], hc, 'may only be set when `type` is \'LoadBalancer\' and `externalTrafficPolicy` is \'Local\''))
    } else s.healthCheckNodePort = hc
  }

  // LoadBalancer fields
  const lbIP = r.string(spec, 'loadBalancerIP', sp)
  if (lbIP) {
    if (type !== 'LoadBalancer') r.add(forbidden(['spec', 'loadBalancerIP'], 'may only be used when `type` is \'LoadBalancer\''))
    else if (checkIP(lbIP, ['spec', 'loadBalancerIP'], r)) s.loadBalancerIP = lbIP
  }
  const ranges = r.stringList(spec, 'loadBalancerSourceRanges', sp)
  if (ranges && ranges.length > 0) {
    if (type !== 'LoadBalancer') r.add(forbidden(['spec', 'loadBalancerSourceRanges'], 'may only be used when `type` is \'LoadBalancer\''))
    ranges.forEach((c, i) => {
      if (!canonicalCIDR(c.trim())) r.add(invalid(['spec', 'loadBalancerSourceRanges', i], c, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'))
    })
    s.loadBalancerSourceRanges = ranges
  }
  const allocateNodePorts = r.boolean(spec, 'allocateLoadBalancerNodePorts', sp)
  if (type === 'LoadBalancer') s.allocateLoadBalancerNodePorts = allocateNodePorts ?? true
  const pnra = r.boolean(spec, 'publishNotReadyAddresses', sp)
  if (pnra) s.publishNotReadyAddresses = true
  if (type !== 'ExternalName') s.ipFamilies = ['IPv4']

  // status.loadBalancer.ingress as given (kept when the manifest names IPs, as `kubectl get -o yaml` prints them)
  const status = r.map(raw, 'status', [])
  const lb = r.map(status, 'loadBalancer', ['status'])
  const ingress = r.list(lb, 'ingress', ['status', 'loadBalancer'])
  if (ingress && ingress.length > 0 && type === 'LoadBalancer') {
    svc.status.loadBalancer.ingress = ingress.filter(isRaw).map((ing, i) => {
      const p = ['status', 'loadBalancer', 'ingress', i]
      const ip = r.string(ing, 'ip', p)
      if (ip) checkIP(ip, [...p, 'ip'], r)
      const hostname = r.string(ing, 'hostname', p)
      const ipMode = r.string(ing, 'ipMode', p)
      return { ...(ip ? { ip } : {}), ...(hostname ? { hostname } : {}), ipMode: ipMode === 'Proxy' ? 'Proxy' as const : 'VIP' as const }
    })
  }
  return svc
}

function readPorts(spec: Raw, r: Reader, type: ServiceType): ServicePort[] {
  const list = r.list(spec, 'ports', ['spec'])
  if (!list || list.length === 0) {
    // Headless Services may have no ports; ExternalName needs none either.
    const headless = spec.clusterIP === 'None'
    if (type !== 'ExternalName' && !headless) r.add(required(['spec', 'ports']))
    return []
  }
  const ports: ServicePort[] = []
  const names = new Set<string>()
  const keys = new Set<string>()
  list.forEach((item, i) => {
    const p = ['spec', 'ports', i]
    if (!isRaw(item)) { r.add(invalid(p, item, 'must be an object')); return }
    const name = r.string(item, 'name', p)
    if (list.length > 1 && !name) r.add(required([...p, 'name']))
    if (name) {
      for (const msg of dns1035Label(name)) r.add(invalid([...p, 'name'], name, msg))
      if (names.has(name)) r.add(duplicate([...p, 'name'], name))
      names.add(name)
    }
    const protocolText = r.string(item, 'protocol', p) ?? 'TCP'
    let protocol: Protocol = 'TCP'
    if ((PROTOCOLS as readonly string[]).includes(protocolText)) protocol = protocolText as Protocol
    else r.add(notSupported([...p, 'protocol'], protocolText, PROTOCOLS))
    const port = r.integer(item, 'port', p)
    if (port === undefined && !(item.port !== undefined && item.port !== null)) r.add(required([...p, 'port']))
    checkPortNumber(port, [...p, 'port'], r)
    const key = `${port}/${protocol}`
    if (port !== undefined && keys.has(key)) r.add(duplicate(p, key))
    keys.add(key)

    let targetPort: number | string = port ?? 0
    const tp = item.targetPort
    if (typeof tp === 'number') {
      if (!Number.isInteger(tp)) r.add(invalid([...p, 'targetPort'], tp, 'must be an integer'))
      checkPortNumber(tp, [...p, 'targetPort'], r)
      targetPort = tp
    } else if (typeof tp === 'string') {
      if (/^\d+$/.test(tp)) { targetPort = Number(tp); checkPortNumber(targetPort, [...p, 'targetPort'], r) }
      else {
        for (const msg of ianaSvcName(tp)) r.add(invalid([...p, 'targetPort'], tp, msg))
        targetPort = tp
      }
    } else if (tp !== undefined && tp !== null) r.add(invalid([...p, 'targetPort'], tp, 'must be an integer or a string'))

    const nodePort = r.integer(item, 'nodePort', p)
    const out: ServicePort = { protocol, port: port ?? 0, targetPort }
    if (name) out.name = name
    if (nodePort !== undefined && nodePort !== 0) {
      if (type === 'ClusterIP' || type === 'ExternalName') r.add(forbidden([...p, 'nodePort'], `may not be used when \`type\` is '${type}'`))
      else if (nodePort < NODE_PORT_MIN || nodePort > NODE_PORT_MAX) {
        r.add(invalid([...p, 'nodePort'], nodePort, `provided port is not in the valid range. The range of valid ports is ${NODE_PORT_MIN}-${NODE_PORT_MAX}`))
      } else out.nodePort = nodePort
    }
    const appProtocol = r.string(item, 'appProtocol', p)
    if (appProtocol) out.appProtocol = appProtocol
    ports.push(out)
  })
  return ports
}

/**
 * An IP as the API server's strict validation wants it: parseable, and in canonical form (no leading zeros,
 * RFC 5952 for IPv6). `at` is where the user wrote it, when that differs from the path named.
 */
function checkIP(ip: string, path: (string | number)[], r: Reader, at?: (string | number)[]): boolean {
  const report = (detail: string) => r.add({ ...invalid(path, ip, detail), ...(at ? { at: [at] } : {}) })
  const canon = canonicalIP(ip) ?? sloppyIPv4(ip)
  if (!canon) { report('must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'); return false }
  if (canon !== ip) { report(`must be in canonical form ("${canon}")`); return false }
  return true
}

/** ExternalName accepts a DNS-1123 subdomain, optionally with a trailing dot. */
function dns1123SubdomainLoose(name: string): string[] {
  const n = name.endsWith('.') ? name.slice(0, -1) : name
  return /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(n) && n.length <= 253
    ? []
    : ["a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"]
}

export { checkIP }
