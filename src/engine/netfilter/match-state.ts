/** Copies of the per-node state of stateful matches (EvalContext.state: `recent` lists, `limit` buckets, nth counters). */

/** A deep copy of match state (plain data: numbers, arrays, Maps, Sets and plain objects). */
export function copyMatchState(v: unknown): unknown {
  if (v instanceof Map) return new Map([...v].map(([k, x]) => [k, copyMatchState(x)]))
  if (v instanceof Set) return new Set([...v].map(copyMatchState))
  if (Array.isArray(v)) return v.map(copyMatchState)
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, copyMatchState(x)]))
  return v
}
