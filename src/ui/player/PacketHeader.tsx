import type { JourneyHop } from '../../engine/journeys/journey.ts'
import type { HeaderField } from '../../engine/journeys/journey.ts'
import { fieldText } from './journey-model.ts'

const ROWS: { field: HeaderField | 'proto' | 'ct'; label: string }[] = [
  { field: 'src', label: 'src' },
  { field: 'sport', label: 'sport' },
  { field: 'dst', label: 'dst' },
  { field: 'dport', label: 'dport' },
  { field: 'proto', label: 'proto' },
  { field: 'mark', label: 'mark' },
  { field: 'ct', label: 'ctstate' },
]

/**
 * The packet's header after the hop, with the fields the hop rewrote called out (old → new): DNAT's
 * destination, SNAT/MASQUERADE's source, MARK's mark.
 */
export function PacketHeader({ hop, ctState }: { hop: JourneyHop; ctState: string | null }) {
  const p = hop.packetAfter
  const changed = new Set<string>(hop.changed)
  const flags = p.tcpFlags ? Object.entries(p.tcpFlags).filter(([, on]) => on).map(([f]) => f).join(',') : ''
  return (
    <section aria-label="Packet header" data-testid="packet-header" className="rounded-md border border-slate-200 bg-white p-2">
      <h3 className="mb-1 text-[11px] font-semibold uppercase tracking-wide text-slate-500">Packet header</h3>
      <table className="w-full font-mono text-xs">
        <tbody>
          {ROWS.map(({ field, label }) => {
            const isChanged = changed.has(field)
            const value = field === 'proto' ? `${String(p.proto)}${flags ? ` ${flags}` : ''}` : field === 'ct' ? ctState ?? '—' : fieldText(p, field)
            return (
              <tr key={field} data-field={field} data-changed={isChanged || undefined} className={isChanged ? 'bg-amber-100' : ''}>
                <th scope="row" className="w-14 py-0.5 pr-2 text-left font-normal text-slate-500">{label}</th>
                <td className="py-0.5 text-slate-900">
                  {isChanged && field !== 'proto' && field !== 'ct' ? (
                    <span aria-label={`${label} changed from ${fieldText(hop.packetBefore, field)} to ${value}`}>
                      <span className="text-slate-500 line-through">{fieldText(hop.packetBefore, field)}</span>
                      <span aria-hidden> → </span>
                      <strong className="font-semibold text-amber-900">{value}</strong>
                    </span>
                  ) : value}
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </section>
  )
}
