import type { SyncView } from '../../worker/node-protocol.ts'

/** A diff line; iptables-save lines name their table and chain (the rules view opens there). */
export type DiffLine = { kind: 'table'; text: string } | { kind: '+' | '-'; text: string; table?: string; chain?: string }

/**
 * A sync's diff as a unified diff: for iptables-save lines a `*table` heading per table, for another listing
 * (nft's) the `heading` once, then the `+`/`-` lines.
 */
export function unifiedDiff(diff: SyncView['diff'], heading = ''): DiffLine[] {
  const out: DiffLine[] = []
  let current: string | null = null
  for (const d of diff) {
    const h = d.table !== undefined ? `*${d.table}` : heading
    if (h !== current) {
      current = h
      if (h) out.push({ kind: 'table', text: h })
    }
    const line: DiffLine = { kind: d.op, text: `${d.op}${d.line}` }
    if (d.table !== undefined && d.chain !== undefined) Object.assign(line, { table: d.table, chain: d.chain })
    out.push(line)
  }
  return out
}

/** `12.3 s` of simulated time since the simulation started. */
export function simTime(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(ms < 60_000 ? 1 : 0)} s`
}

export function duration(ms: number): string {
  return ms < 1 ? `${(ms * 1000).toFixed(0)} µs` : ms < 100 ? `${ms.toFixed(1)} ms` : `${ms.toFixed(0)} ms`
}
