import type { SyncView } from '../../worker/node-protocol.ts'

export type DiffLine = { kind: 'table'; text: string } | { kind: '+' | '-'; text: string; table: string; chain: string }

/** A sync's diff as a unified diff of iptables-save lines: a `*table` heading, then its `+`/`-` lines. */
export function unifiedDiff(diff: SyncView['diff']): DiffLine[] {
  const out: DiffLine[] = []
  let table: string | null = null
  for (const d of diff) {
    if (d.table !== table) {
      table = d.table
      out.push({ kind: 'table', text: `*${d.table}` })
    }
    out.push({ kind: d.op, text: `${d.op}${d.line}`, table: d.table, chain: d.chain })
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
