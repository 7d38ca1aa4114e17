import { useMemo } from 'react'
import type { ClusterSnapshot } from '../../engine/cluster/types.ts'
import { destinationChoices, sourceChoices, type PacketForm } from './packet-form.ts'

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
