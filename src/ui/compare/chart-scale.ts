/** Log-scale axes for the rules-per-packet chart (pure, tested). */

/** Maps a value on a log10 axis from [min, max] to [from, to] (pixels; `to` may be less than `from`). */
export function logScale(min: number, max: number, from: number, to: number): (value: number) => number {
  if (!(min > 0 && max > min)) throw new Error(`a log scale needs 0 < min < max, got ${min} and ${max}`)
  const lo = Math.log10(min)
  const span = Math.log10(max) - lo
  return (value) => from + ((Math.log10(Math.max(value, min)) - lo) / span) * (to - from)
}

/** The powers of ten from the one at or below `min` to the one at or above `max`: the axis's ticks. */
export function decades(min: number, max: number): number[] {
  const out: number[] = []
  for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++) out.push(10 ** e)
  return out
}

/** 10,000 as people write it (the chart's labels). */
export function countLabel(n: number): string {
  return n.toLocaleString('en-US')
}

/**
 * Moves labels apart vertically so that none is closer than `gap` to the next (series ending at nearly the
 * same value would print their names on top of each other). Keeps the order; a label only ever moves down
 * (towards the smaller value), so the topmost of a crowd stays beside its line.
 */
export function spreadLabels(ys: readonly number[], gap: number): number[] {
  const order = ys.map((y, i) => ({ y, i })).sort((a, b) => a.y - b.y)
  const placed = order.map((o) => o.y)
  for (let k = 1; k < placed.length; k++) placed[k] = Math.max(placed[k], placed[k - 1] + gap)
  const out = new Array<number>(ys.length)
  order.forEach((o, k) => { out[o.i] = placed[k] })
  return out
}
