import { useMemo } from 'react'
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

const field = 'w-full rounded-md border border-slate-300 bg-white px-2 py-1 text-sm focus:border-k8s focus:outline-none focus:ring-2 focus:ring-k8s/20'

export function SendPacketForm({ snapshot, form, onChange }: { snapshot: ClusterSnapshot | undefined; form: PacketForm; onChange: (form: PacketForm) => void }) {
  const sources = useMemo(() => sourceChoices(snapshot), [snapshot])
  const destinations = useMemo(() => destinationChoices(snapshot), [snapshot])
  const svc = /^svc:.+:\d+:(tcp|udp)$/.exec(form.destination)
  return (
    <div className="grid grid-cols-[max-content_1fr] items-center gap-x-3 gap-y-2 text-sm">
      <label htmlFor="packet-source" className="text-slate-600">Source</label>
      <select id="packet-source" className={field} value={form.source} onChange={(e) => onChange({ ...form, source: e.target.value })}>
        <optgroup label="Pods">
          {sources.pods.map((c) => <option key={c.value} value={c.value}>{c.label}</option>)}
        </optgroup>
        <optgroup label="Nodes">
          {sources.nodes.map((c) => <option key={c.value} value={c.value}>{c.label}</option>)}
        </optgroup>
        <optgroup label="Outside the cluster">
          <option value="client">an outside client (IP)</option>
        </optgroup>
      </select>
      {form.source === 'client' && (
        <>
          <label htmlFor="packet-client-ip" className="text-slate-600">Client IP</label>
          <input id="packet-client-ip" className={`${field} font-mono`} value={form.clientIP} onChange={(e) => onChange({ ...form, clientIP: e.target.value })} />
        </>
      )}
      <label htmlFor="packet-destination" className="text-slate-600">Destination</label>
      <select id="packet-destination" className={field} value={form.destination}
        onChange={(e) => {
          const m = /:(tcp|udp)$/.exec(e.target.value)
          onChange({ ...form, destination: e.target.value, ...(m ? { proto: m[1] as 'tcp' | 'udp' } : {}) })
        }}>
        <optgroup label="Services">
          {destinations.map((c) => <option key={c.value} value={c.value}>{c.label}</option>)}
        </optgroup>
        <optgroup label="Address">
          <option value="ip">an IP address and port…</option>
        </optgroup>
      </select>
      {form.destination === 'ip' && (
        <>
          <label htmlFor="packet-dest-ip" className="text-slate-600">Destination IP</label>
          <input id="packet-dest-ip" className={`${field} font-mono`} value={form.destIP} placeholder="10.96.0.10" onChange={(e) => onChange({ ...form, destIP: e.target.value })} />
          <label htmlFor="packet-dest-port" className="text-slate-600">Port</label>
          <input id="packet-dest-port" className={`${field} font-mono`} inputMode="numeric" value={form.destPort} onChange={(e) => onChange({ ...form, destPort: e.target.value })} />
        </>
      )}
      <label htmlFor="packet-proto" className="text-slate-600">Protocol</label>
      <select id="packet-proto" className={field} value={svc ? svc[1] : form.proto} disabled={!!svc}
        title={svc ? 'The Service port decides the protocol' : undefined}
        onChange={(e) => onChange({ ...form, proto: e.target.value as 'tcp' | 'udp' })}>
        <option value="tcp">TCP</option>
        <option value="udp">UDP</option>
      </select>
    </div>
  )
}
