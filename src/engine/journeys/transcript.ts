/**
 * A journey as readable text (the CLI prints it; the app offers it as a copyable, screen-reader friendly
 * transcript): numbered hops grouped by leg — on which Node, table, chain and rule number, the rule's text
 * and what it did (or, with `all`, which clause failed), the packet after each header change, the moves
 * between machines and the delivery — then the result.
 */
import { describePacket } from '../netfilter/traversal.ts'
import type { Journey, JourneyHop, Place } from './journey.ts'

export function describePlace(p: Place): string {
  switch (p.kind) {
    case 'pod': return `Pod ${p.namespace}/${p.name} (${p.ip}) on ${p.node}`
    case 'node': return `Node ${p.name} (${p.ip})`
    case 'client': return `client ${p.ip} outside the cluster`
  }
}

/** Whether the default listing shows a hop (--all shows every one). */
export function shownByDefault(h: JourneyHop): boolean {
  if (h.kind === 'rule') return h.matched === true
  if (h.kind === 'return') return false
  if (h.kind === 'event') return h.event === 'routing' || h.event === 'nat' || h.event === 'skip-table' || h.event === 'conntrack' || h.event === 'loopback' || h.event === 'answer'
  return true
}

/** One hop as text: the line, then the packet when the hop changed its header. */
export function hopLines(h: JourneyHop): string[] {
  const n = String(h.index + 1).padStart(4)
  const change = h.changed.length > 0 ? [`${' '.repeat(8)}packet: ${describePacket(h.packetAfter)}${h.packetAfter.mark ? ` mark 0x${h.packetAfter.mark.toString(16)}` : ''}  (${h.changed.join(', ')} changed)`] : []
  switch (h.kind) {
    case 'rule': {
      const where = `${h.node} ${h.table} ${h.chain} #${h.rule}`
      const verdict = h.matched ? (h.verdict ? ` → ${h.verdict}` : ' (matched)') : ` ✗ ${h.clauses?.find((c) => !c.matched)?.why ?? 'no match'}`
      return [`${n}  ${where}: ${h.text}${verdict}`, ...change]
    }
    case 'policy': return [`${n}  ${h.node} ${h.table} ${h.chain}: ${h.text}`, ...change]
    case 'return': return [`${n}  ${h.node} ${h.table} ${h.chain}: ${h.text}`]
    case 'event': return [`${n}  ${h.node}: ${h.text}`, ...change]
    case 'move': return [`${n}  ⇒ ${h.text}`]
    case 'deliver': return [`${n}  ✓ ${h.text}`]
    case 'drop': return [`${n}  ✗ ${h.text}`]
    case 'reject': return [`${n}  ✗ ${h.text}`]
  }
}

/** The whole journey as text, one hop per line (`all`: also rules that did not match and chain returns). */
export function journeyTranscript(j: Journey, options: { all?: boolean } = {}): string {
  const all = options.all ?? false
  const r = j.resolved
  const svc = r.service ? ` (Service ${r.service.namespace}/${r.service.name} port ${r.service.port.port}, ${r.service.address === 'clusterIP' ? 'cluster IP' : r.service.address === 'nodePort' ? 'node port' : 'load-balancer IP'})` : ''
  const out: string[] = [
    `journey: ${r.proto} ${r.src}:${j.sport} → ${r.dst}:${r.dport}${svc}`,
    `from ${describePlace(r.source)}; first Node: ${r.entry.node} (${r.entry.why})`,
  ]
  let leg = ''
  for (const h of j.hops) {
    if (!all && !shownByDefault(h)) continue
    if (h.leg !== leg) {
      leg = h.leg
      out.push('', leg === 'request' ? 'request:' : 'reply:')
    }
    out.push(...hopLines(h))
  }
  out.push('', `result: ${j.summary}`)
  if (j.stoppedAt) out.push(`stopped at: ${j.stoppedAt.node} ${j.stoppedAt.table ?? ''} ${j.stoppedAt.chain ?? ''}${j.stoppedAt.rule !== null ? ` rule ${j.stoppedAt.rule}` : ''}: ${j.stoppedAt.text}`)
  return out.join('\n') + '\n'
}
