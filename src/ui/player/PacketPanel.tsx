import { useEffect, useState } from 'react'
import { useAppStore } from '../../state/store.ts'
import { usePlayerStore } from '../../state/player.ts'
import { sendConnections, sendNextPacket, sendPacket } from '../../state/player-actions.ts'
import { Button } from '../app/Button.tsx'
import { LoadBalanceChart } from './LoadBalanceChart.tsx'
import { SendPacketForm } from './SendPacketForm.tsx'
import { defaultForm, requestOf, type PacketForm } from './packet-form.ts'
import { StepDetails } from './StepDetails.tsx'
import { Transcript } from './Transcript.tsx'

const COUNTS = [100, 1000, 10000] as const

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section className="border-t border-slate-200 px-4 py-3" aria-label={title}>
      <h3 className="mb-2 text-xs font-semibold uppercase tracking-wide text-slate-500">{title}</h3>
      {children}
    </section>
  )
}

/** The side panel's Packet tab: send a packet, the step on screen, the transcript, load balancing. */
export function PacketPanel() {
  const snapshot = useAppStore((s) => s.view?.snapshot)
  const [form, setForm] = useState<PacketForm | null>(null)
  // The first cluster picks the form's defaults; after that the person's choices stay.
  useEffect(() => {
    if (!form && snapshot) setForm(defaultForm(snapshot))
  }, [form, snapshot])
  const journey = usePlayerStore((s) => s.journey)
  const step = usePlayerStore((s) => s.step)
  const sending = usePlayerStore((s) => s.sending)
  const error = usePlayerStore((s) => s.error)
  const loadBalance = usePlayerStore((s) => s.loadBalance)
  const current = form ?? defaultForm(snapshot)
  const request = requestOf(current)
  const problem = typeof request === 'string' ? request : null
  return (
    <div className="flex flex-col" data-testid="packet-panel">
      <section className="px-4 py-3" aria-label="Send a packet">
        <h2 className="mb-2 text-base font-semibold text-slate-900">Send a packet</h2>
        <SendPacketForm snapshot={snapshot} form={current} onChange={setForm} />
        <div className="mt-3 flex items-center gap-2">
          <Button variant="primary" disabled={sending || !!problem || !snapshot} onClick={() => typeof request !== 'string' && void sendPacket(request)}>Send packet</Button>
          <span className="text-xs text-slate-500" aria-live="polite">{sending ? 'Sending…' : problem}</span>
        </div>
        {error && <p role="alert" className="mt-2 rounded-md bg-red-50 px-2 py-1.5 text-sm text-red-800">{error}</p>}
        {journey && <p className="mt-2 text-xs text-slate-600" data-testid="journey-summary">{journey.summary}</p>}
        {journey && journey.verdict === 'delivered' && journey.reached?.kind === 'pod' && (
          <div className="mt-2 flex items-center gap-2">
            <Button className="shrink-0 whitespace-nowrap" disabled={sending} onClick={() => void sendNextPacket()}>Send next packet</Button>
            <span className="text-xs text-slate-500">same connection (source port {journey.sport}): conntrack has it, the nat table is skipped</span>
          </div>
        )}
      </section>
      <Section title="Load balancing">
        <p className="mb-2 text-xs text-slate-600">Open many new connections with the same source and destination and see which Pods take them.</p>
        <div className="mb-3 flex flex-wrap gap-2">
          {COUNTS.map((n) => (
            <Button key={n} disabled={sending || !!problem || !snapshot} onClick={() => typeof request !== 'string' && void sendConnections(request, n)}>
              Send {n.toLocaleString('en-US')}
            </Button>
          ))}
        </div>
        {loadBalance && <LoadBalanceChart run={loadBalance} />}
      </Section>
      {journey && (
        <Section title="This step">
          <StepDetails journey={journey} step={step} />
        </Section>
      )}
      {journey && (
        <Section title="Journey">
          <Transcript journey={journey} />
        </Section>
      )}
    </div>
  )
}
