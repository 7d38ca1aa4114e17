/** A user-supplied EndpointSlice (discovery.k8s.io/v1), for Services without a selector. */
import type { Endpoint, EndpointPort, EndpointSlice, Protocol } from '../types.ts'
import type { Raw } from './common.ts'
import { PROTOCOLS, Reader, checkPortNumber, dns1123Subdomain, isRaw } from './common.ts'
import { invalid, notSupported, required } from './field-error.ts'
import { readMeta } from './meta.ts'
import { checkIP } from './service.ts'

const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'] as const

export function readEndpointSlice(raw: Raw, r: Reader): EndpointSlice {
  const metadata = readMeta(raw, r, { namespaced: true, nameCheck: dns1123Subdomain })
  const addressTypeText = r.string(raw, 'addressType', [])
  let addressType: EndpointSlice['addressType'] = 'IPv4'
  if (addressTypeText === undefined) r.add(required(['addressType']))
  else if (!(ADDRESS_TYPES as readonly string[]).includes(addressTypeText)) r.add(notSupported(['addressType'], addressTypeText, ADDRESS_TYPES))
  else addressType = addressTypeText as EndpointSlice['addressType']

  const endpoints: Endpoint[] = []
  const list = r.list(raw, 'endpoints', [])
  if (list === undefined && raw.endpoints === undefined) r.add(required(['endpoints']))
  list?.forEach((e, i) => {
    const p = ['endpoints', i]
    if (!isRaw(e)) { r.add(invalid(p, e, 'must be an object')); return }
    const addresses = r.stringList(e, 'addresses', p) ?? []
    if (addresses.length === 0) r.add(required([...p, 'addresses'], 'must contain at least 1 address'))
    if (addresses.length > 1) r.add(invalid([...p, 'addresses'], addresses, 'must contain exactly 1 address'))
    if (addressType !== 'FQDN') addresses.forEach((a, j) => checkIP(a, [...p, 'addresses', j], r))
    const cond = r.map(e, 'conditions', p)
    const ready = r.boolean(cond, 'ready', [...p, 'conditions'])
    const serving = r.boolean(cond, 'serving', [...p, 'conditions'])
    const terminating = r.boolean(cond, 'terminating', [...p, 'conditions'])
    // Unset conditions mean ready (and serving = ready, terminating = false) to consumers such as kube-proxy.
    const endpoint: Endpoint = {
      addresses,
      conditions: { ...(ready !== undefined ? { ready } : {}), ...(serving !== undefined ? { serving } : {}), ...(terminating !== undefined ? { terminating } : {}) },
    }
    const nodeName = r.string(e, 'nodeName', p)
    if (nodeName) endpoint.nodeName = nodeName
    const zone = r.string(e, 'zone', p)
    if (zone) endpoint.zone = zone
    const hostname = r.string(e, 'hostname', p)
    if (hostname) endpoint.hostname = hostname
    const ref = r.map(e, 'targetRef', p)
    if (ref && ref.kind === 'Pod' && typeof ref.name === 'string') {
      endpoint.targetRef = { kind: 'Pod', name: ref.name, namespace: typeof ref.namespace === 'string' ? ref.namespace : metadata.namespace ?? 'default', ...(typeof ref.uid === 'string' ? { uid: ref.uid } : {}) }
    }
    endpoints.push(endpoint)
  })
  if (endpoints.length > 1000) r.add({ type: 'TooLong', path: ['endpoints'], detail: 'must have at most 1000 items' })

  const ports: EndpointPort[] = []
  r.list(raw, 'ports', [])?.forEach((item, i) => {
    const p = ['ports', i]
    if (!isRaw(item)) { r.add(invalid(p, item, 'must be an object')); return }
    const port = r.integer(item, 'port', p)
    checkPortNumber(port, [...p, 'port'], r)
    const protocolText = r.string(item, 'protocol', p) ?? 'TCP'
    if (!(PROTOCOLS as readonly string[]).includes(protocolText)) r.add(notSupported([...p, 'protocol'], protocolText, PROTOCOLS))
    const name = r.string(item, 'name', p) ?? ''
    ports.push({ name, protocol: protocolText as Protocol, port: port ?? 0 })
  })
  return { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata, addressType, endpoints, ports }
}
