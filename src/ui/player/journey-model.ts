/**
 * Pure views of a journey for the player: one-line titles, the header fields a hop changed, the
 * conntrack state at a step, the rules of the chain being evaluated, the transcript, step timing.
 */
import type { HeaderField, Journey, JourneyHop } from '../../engine/journeys/journey.ts'
import type { Hook, Packet } from '../../engine/netfilter/types.ts'

/**
 * The hooks in the order the pipeline is drawn (the tables at each come from the engine's HOOK_TABLES,
 * netfilter/hook-tables.ts, in the kernel's priority order).
 */
export const HOOKS: readonly Hook[] = ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING']

/** The first clause that failed: why a rule did not match. */
export function whyNoMatch(hop: JourneyHop): string | null {
  if (hop.kind !== 'rule' || hop.matched !== false) return null
  const failed = hop.clauses?.find((c) => !c.matched)
  return failed ? `${failed.clause}: ${failed.why}` : 'did not match'
}

/** A short label: where the hop happens (for timeline markers and the step heading). */
export function hopTitle(hop: JourneyHop): string {
  switch (hop.kind) {
    case 'rule': return `${hop.table} ${hop.chain} rule ${hop.rule}`
    case 'policy': return `${hop.table} ${hop.chain} policy`
    case 'return': return `${hop.table} ${hop.chain} return`
    case 'event': return `${hop.event ?? 'event'}${hop.hook ? ` (${hop.hook})` : ''}`
    case 'move': return hop.from && hop.to ? `${placeName(hop.from)} → ${placeName(hop.to)}` : hop.to ? `to ${placeName(hop.to)}` : 'move'
    case 'deliver': return hop.to ? `delivered to ${placeName(hop.to)}` : 'delivered'
    case 'drop': return 'dropped'
    case 'reject': return 'rejected'
  }
}

/** The title with the Node it happens on (moves and deliveries name their places already). */
export function hopLabel(hop: JourneyHop): string {
  return hop.node && hop.kind !== 'move' && hop.kind !== 'deliver' ? `${hop.node} · ${hopTitle(hop)}` : hopTitle(hop)
}

export function placeName(place: NonNullable<JourneyHop['to']>): string {
  switch (place.kind) {
    case 'pod': return `Pod ${place.name}`
    case 'node': return place.name
    case 'client': return `client ${place.ip}`
  }
}

export interface FieldChange {
  field: HeaderField
  before: string
  after: string
}

export function fieldText(p: Packet, field: HeaderField): string {
  switch (field) {
    case 'mark': return `0x${p.mark.toString(16)}`
    case 'sport': return p.sport === undefined ? '—' : String(p.sport)
    case 'dport': return p.dport === undefined ? '—' : String(p.dport)
    case 'src': return p.src
    case 'dst': return p.dst
  }
}

/** The header fields this hop rewrote, old → new (DNAT: dst and maybe dport; SNAT/MASQUERADE: src, sport; MARK). */
export function fieldChanges(hop: JourneyHop): FieldChange[] {
  return hop.changed.map((field) => ({ field, before: fieldText(hop.packetBefore, field), after: fieldText(hop.packetAfter, field) }))
}

/**
 * The connection's conntrack state as seen at `step`: the last conntrack lookup of the hop's leg up to
 * there (`NEW`, `ESTABLISHED`, `RELATED`, `INVALID`, `UNTRACKED`), or null before the first lookup.
 */
export function conntrackStateAt(journey: Journey, step: number): string | null {
  for (let i = Math.min(step, journey.hops.length - 1); i >= 0; i--) {
    const hop = journey.hops[i]
    if (hop.kind === 'event' && hop.event === 'conntrack') {
      const m = /^conntrack:\s+([A-Z_]+)/.exec(hop.text)
      if (m) return m[1]
    }
  }
  return null
}

/** The conntrack entry last reported up to `step` (each Node's traversal ends with one). */
export function conntrackEntryAt(journey: Journey, step: number): JourneyHop['conntrack'] | null {
  for (let i = Math.min(step, journey.hops.length - 1); i >= 0; i--) {
    const entry = journey.hops[i].conntrack
    if (entry) return entry
  }
  return null
}

/**
 * The rules of the chain the hop is in, as this visit of the table evaluated them (each rule once per
 * evaluation, in order, including after a jump returned): what the chain view lists.
 */
export function chainVisit(journey: Journey, step: number): JourneyHop[] {
  const hop = journey.hops[step]
  if (!hop || !hop.table || !hop.chain) return []
  const sameVisit = (h: JourneyHop) => h.node === hop.node && h.hook === hop.hook && h.table === hop.table && h.leg === hop.leg && h.kind !== 'move'
  let start = step
  while (start > 0 && sameVisit(journey.hops[start - 1])) start--
  let end = step
  while (end < journey.hops.length - 1 && sameVisit(journey.hops[end + 1])) end++
  return journey.hops.slice(start, end + 1).filter((h) => h.chain === hop.chain && (h.kind === 'rule' || h.kind === 'policy' || h.kind === 'return'))
}

/** How long the player dwells on a hop at speed 1 (moves between machines take longest: they travel). */
export function hopDurationMs(hop: JourneyHop): number {
  switch (hop.kind) {
    case 'move': return 1100
    case 'deliver': case 'drop': case 'reject': return 900
    case 'rule': return hop.matched ? 800 : 450
    default: return 550
  }
}

function hopLine(hop: JourneyHop): string {
  const n = String(hop.index + 1).padStart(3)
  const node = (hop.node ?? '').padEnd(18)
  const hook = (hop.hook ?? '').padEnd(11)
  switch (hop.kind) {
    case 'rule': {
      const where = `${hop.table} ${hop.chain} #${hop.rule}`
      const outcome = hop.matched ? `⇒ ${hop.verdict ?? 'matched'}` : `✗ ${whyNoMatch(hop)}`
      const changes = fieldChanges(hop).map((c) => `${c.field} ${c.before} → ${c.after}`).join(', ')
      return `${n}  ${node} ${hook} ${where}\n       ${hop.text}\n       ${outcome}${changes ? ` [${changes}]` : ''}`
    }
    case 'policy': case 'return':
      return `${n}  ${node} ${hook} ${hop.table} ${hop.chain}: ${hop.text}`
    default: {
      const changes = fieldChanges(hop).map((c) => `${c.field} ${c.before} → ${c.after}`).join(', ')
      return `${n}  ${node} ${hook} ${hop.text}${changes ? ` [${changes}]` : ''}`
    }
  }
}

/** The whole journey as text: a heading, then every hop, request and reply, as the player shows them. */
export function journeyTranscript(journey: Journey): string {
  const lines: string[] = [journey.summary, '']
  let leg: string | null = null
  for (const hop of journey.hops) {
    if (hop.leg !== leg) {
      leg = hop.leg
      lines.push(leg === 'request' ? 'Request:' : 'Reply:')
    }
    lines.push(hopLine(hop))
  }
  return lines.join('\n')
}

const PROTO_NUMBERS: Record<string, number> = { icmp: 1, tcp: 6, udp: 17, sctp: 132 }

/**
 * A conntrack entry as `conntrack -L` prints it (the engine's formatConntrackLine does the same for a
 * live record; a journey carries the entry as it was, with its full timeout).
 */
export function conntrackLine(e: NonNullable<JourneyHop['conntrack']>): string {
  const proto = String(e.original.proto)
  const tuple = (t: typeof e.original) => `src=${t.src} dst=${t.dst}${t.sport !== undefined ? ` sport=${t.sport}` : ''}${t.dport !== undefined ? ` dport=${t.dport}` : ''}`
  return [
    `${proto.padEnd(8)} ${PROTO_NUMBERS[proto] ?? proto} ${e.timeout}`,
    e.tcpState,
    tuple(e.original),
    e.status.seenReply ? null : '[UNREPLIED]',
    tuple(e.reply),
    e.status.assured ? '[ASSURED]' : null,
    `mark=${e.mark} use=1`,
  ].filter((x) => x).join(' ')
}
