/** The Send packet form's choices and how its fields become the engine's request (pure, tested). */
import type { ClusterSnapshot } from '../../engine/cluster/types.ts'
import type { PacketRequest } from '../../state/player.ts'

/** The form's fields, as the person set them (the request is derived from them). */
export interface PacketForm {
  /** `pod:ns/name`, `node:name`, or `client`. */
  source: string
  clientIP: string
  /** `svc:ns/name:port:proto`, or `ip`. */
  destination: string
  destIP: string
  destPort: string
  proto: 'tcp' | 'udp'
}

export const DEFAULT_CLIENT_IP = '172.18.0.100'

interface Choice { value: string; label: string }

export function sourceChoices(snapshot: ClusterSnapshot | undefined): { pods: Choice[]; nodes: Choice[] } {
  const pods = (snapshot?.pods ?? [])
    .filter((p) => p.status.podIP && p.spec.nodeName && !p.spec.hostNetwork && !p.metadata.deletionTimestamp)
    .map((p) => {
      const ns = p.metadata.namespace ?? 'default'
      return { value: `pod:${ns}/${p.metadata.name}`, label: `${ns === 'default' ? '' : `${ns}/`}${p.metadata.name} (${p.status.podIP})` }
    })
  const nodes = (snapshot?.nodes ?? []).map((n) => ({ value: `node:${n.metadata.name}`, label: n.metadata.name }))
  return { pods, nodes }
}

/** Every TCP/UDP port of every Service, as `name:port/PROTO`. */
export function destinationChoices(snapshot: ClusterSnapshot | undefined): Choice[] {
  const out: Choice[] = []
  for (const s of snapshot?.services ?? []) {
    const ns = s.metadata.namespace ?? 'default'
    for (const p of s.spec.ports ?? []) {
      if (p.protocol !== 'TCP' && p.protocol !== 'UDP') continue
      out.push({ value: `svc:${ns}/${s.metadata.name}:${p.port}:${p.protocol.toLowerCase()}`, label: `${ns === 'default' ? '' : `${ns}/`}${s.metadata.name}:${p.port}/${p.protocol}` })
    }
  }
  return out
}

/** The form as the engine's request, or why it is not one yet. */
export function requestOf(form: PacketForm): PacketRequest | string {
  let from: string
  if (form.source.startsWith('pod:')) from = form.source.slice(4)
  else if (form.source.startsWith('node:')) from = form.source.slice(5)
  else if (form.source === 'client') {
    if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(form.clientIP.trim())) return 'Enter the client\'s IPv4 address'
    from = form.clientIP.trim()
  } else return 'Choose a source'
  const svc = /^svc:(.+):(\d+):(tcp|udp)$/.exec(form.destination)
  if (svc) return { from, to: svc[1], port: Number(svc[2]), proto: svc[3] as 'tcp' | 'udp' }
  if (form.destination !== 'ip') return 'Choose a destination'
  if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(form.destIP.trim())) return 'Enter the destination IPv4 address'
  const port = Number(form.destPort)
  if (!Number.isInteger(port) || port < 1 || port > 65535) return 'Enter a port from 1 to 65535'
  return { from, to: form.destIP.trim(), port, proto: form.proto }
}

/** A sensible first choice: from a Node to the first Service port that is not the API server's. */
export function defaultForm(snapshot: ClusterSnapshot | undefined): PacketForm {
  const destinations = destinationChoices(snapshot)
  const destination = destinations.find((d) => d.value.includes('/nginx-service:'))?.value
    ?? destinations.find((d) => !d.value.startsWith('svc:default/kubernetes:'))?.value ?? destinations[0]?.value ?? 'ip'
  const node = snapshot?.nodes[0]?.metadata.name
  return { source: node ? `node:${node}` : 'client', clientIP: DEFAULT_CLIENT_IP, destination, destIP: '', destPort: '80', proto: 'tcp' }
}
