/** A PodSpec (of a Pod or a Deployment's template), validated as ValidatePodSpec does for the fields we keep. */
import type { Container, ContainerPort, PodSpec, Protocol, Toleration } from '../types.ts'
import type { FieldPath } from '../../scenario/parse-manifests.ts'
import type { Raw } from './common.ts'
import { PROTOCOLS, Reader, checkPortNumber, dns1123Label, ianaSvcName, isRaw } from './common.ts'
import { duplicate, invalid, notSupported, required } from './field-error.ts'

const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const

export function readPodSpec(spec: Raw | undefined, path: FieldPath, r: Reader): PodSpec {
  const containers: Container[] = []
  const list = r.list(spec, 'containers', path)
  if (!list || list.length === 0) r.add(required([...path, 'containers']))
  const names = new Set<string>()
  const portNames = new Set<string>()
  list?.forEach((item, i) => {
    const p = [...path, 'containers', i]
    if (!isRaw(item)) { r.add(invalid(p, item, 'must be an object')); return }
    const name = r.requiredString(item, 'name', p) ?? ''
    if (name) {
      for (const msg of dns1123Label(name)) r.add(invalid([...p, 'name'], name, msg))
      if (names.has(name)) r.add(duplicate([...p, 'name'], name))
      names.add(name)
    }
    const image = r.requiredString(item, 'image', p) ?? ''
    const container: Container = { name, image }
    const ports: ContainerPort[] = []
    r.list(item, 'ports', p)?.forEach((portItem, j) => {
      const pp = [...p, 'ports', j]
      if (!isRaw(portItem)) { r.add(invalid(pp, portItem, 'must be an object')); return }
      const containerPort = r.integer(portItem, 'containerPort', pp)
      if (containerPort === undefined && portItem.containerPort === undefined) r.add(required([...pp, 'containerPort']))
      checkPortNumber(containerPort, [...pp, 'containerPort'], r)
      const protocolText = r.string(portItem, 'protocol', pp) ?? 'TCP'
      if (!(PROTOCOLS as readonly string[]).includes(protocolText)) r.add(notSupported([...pp, 'protocol'], protocolText, PROTOCOLS))
      const port: ContainerPort = { containerPort: containerPort ?? 0, protocol: protocolText as Protocol }
      const portName = r.string(portItem, 'name', pp)
      if (portName) {
        for (const msg of ianaSvcName(portName)) r.add(invalid([...pp, 'name'], portName, msg))
        if (portNames.has(portName)) r.add(duplicate([...pp, 'name'], portName))
        portNames.add(portName)
        port.name = portName
      }
      ports.push(port)
    })
    if (ports.length > 0) container.ports = ports
    containers.push(container)
  })

  const out: PodSpec = { containers }
  const nodeName = r.string(spec, 'nodeName', path)
  if (nodeName) out.nodeName = nodeName
  const nodeSelector = r.stringMap(spec, 'nodeSelector', path)
  if (nodeSelector && Object.keys(nodeSelector).length > 0) out.nodeSelector = nodeSelector
  const tolerations: Toleration[] = []
  r.list(spec, 'tolerations', path)?.forEach((item, i) => {
    const p = [...path, 'tolerations', i]
    if (!isRaw(item)) { r.add(invalid(p, item, 'must be an object')); return }
    const t: Toleration = {}
    const key = r.string(item, 'key', p)
    if (key) t.key = key
    const operator = r.string(item, 'operator', p)
    if (operator !== undefined && operator !== 'Exists' && operator !== 'Equal') r.add(notSupported([...p, 'operator'], operator, ['Equal', 'Exists']))
    else if (operator) t.operator = operator
    const value = r.string(item, 'value', p)
    if (value) {
      if (t.operator === 'Exists') r.add(invalid([...p, 'operator'], 'Exists', 'value must be empty when `operator` is \'Exists\''))
      t.value = value
    }
    const effect = r.string(item, 'effect', p)
    if (effect && !(EFFECTS as readonly string[]).includes(effect)) r.add(notSupported([...p, 'effect'], effect, EFFECTS))
    else if (effect) t.effect = effect as Toleration['effect']
    if (!t.key && t.operator !== 'Exists') r.add(invalid([...p, 'operator'], t.operator ?? '', 'operator must be Exists when `key` is empty, which means "match all values and all keys"'))
    tolerations.push(t)
  })
  if (tolerations.length > 0) out.tolerations = tolerations
  const hostNetwork = r.boolean(spec, 'hostNetwork', path)
  if (hostNetwork) out.hostNetwork = true
  const grace = r.integer(spec, 'terminationGracePeriodSeconds', path)
  if (grace !== undefined) {
    if (grace < 0) r.add(invalid([...path, 'terminationGracePeriodSeconds'], grace, 'must be greater than or equal to 0'))
    out.terminationGracePeriodSeconds = grace
  }
  return out
}
