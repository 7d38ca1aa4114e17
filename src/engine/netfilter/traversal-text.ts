/**
 * A traversal as readable text: hooks in order, every rule met with ✓ or ✗ and why, the conntrack and
 * routing decisions between them, the verdict and the packet as it leaves. Used by the CLI's trace-rules
 * and by anything that wants a plain-text trace.
 */
import { describePacket } from './traversal.ts'
import type { TraversalResult } from './traversal-types.ts'
import type { Packet } from './types.ts'

function where(p: Packet): string {
  const parts: string[] = []
  if (p.inIface) parts.push(`in ${p.inIface}`)
  if (p.outIface) parts.push(`out ${p.outIface}`)
  if (p.mark) parts.push(`mark 0x${p.mark.toString(16)}`)
  return parts.length ? ` [${parts.join(', ')}]` : ''
}

export function formatTraversal(r: TraversalResult, indent = ''): string {
  const lines: string[] = []
  let hook = ''
  const events = [...r.events]
  const header = (h: string | undefined) => {
    if (h === undefined) {
      hook = ''
      return
    }
    if (h !== hook) {
      hook = h
      lines.push(`${indent}${hook}`)
    }
  }
  const flushEvents = (upTo: number) => {
    while (events.length && events[0].beforeStep <= upTo) {
      const e = events.shift()!
      header(e.hook)
      // Events between hooks (routing, confirm, delivery) stand at the hooks' level.
      lines.push(`${indent}${e.hook ? '  ' : ''}· ${e.text}`)
    }
  }
  r.steps.forEach((s, i) => {
    flushEvents(i)
    header(s.hook)
    const loc = `${s.table}/${s.chain}${s.rule !== null ? `#${s.rule}` : ''}`
    if (s.rule === null) {
      lines.push(`${indent}  ${loc.padEnd(28)} ${s.text}`)
      return
    }
    const mark = s.matched ? '✓' : '✗'
    lines.push(`${indent}  ${mark} ${loc.padEnd(26)} ${s.text}`)
    if (!s.matched) {
      const failed = s.clauses.find((c) => !c.matched)
      if (failed) lines.push(`${indent}      ${failed.clause}: ${failed.why}`)
    } else if (s.verdict) {
      lines.push(`${indent}      → ${s.verdict}`)
    }
  })
  flushEvents(Number.MAX_SAFE_INTEGER)
  lines.push(`${indent}verdict: ${r.verdict}${r.rejectKind ? ` (${r.rejectKind})` : ''}: ${r.reason}`)
  lines.push(`${indent}packet: ${describePacket(r.packet)}${where(r.packet)}`)
  lines.push(`${indent}conntrack: ${r.ctState}`)
  lines.push(`${indent}hits: ${r.hits.length ? r.hits.join(' ') : '(none)'}`)
  lines.push(`${indent}policy hits: ${r.policyHits.length ? r.policyHits.join(' ') : '(none)'}`)
  for (const a of r.answers) {
    const who = a.role === 'reject' ? 'REJECT' : a.role === 'time-exceeded' ? 'TTL exceeded' : a.role === 'tee' ? 'TEE' : a.role === 'synproxy' ? 'SYNPROXY' : "the host's stack"
    lines.push(`${indent}${a.role === 'tee' ? 'copy' : 'answer'} (${who}): ${describePacket(a.result.steps[0]?.packetBefore ?? a.result.packet)}`)
    lines.push(formatTraversal(a.result, indent + '    '))
  }
  return lines.join('\n')
}
