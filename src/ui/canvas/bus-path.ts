/**
 * The SVG path of a Service → endpoint edge, routed like a wiring bus: down from the Service to `centerY`,
 * across to a vertical lane at `laneX`, down the lane to the target's height, then right into the target.
 * Corners are rounded with radius `r` (smaller where the segments are too short for it).
 */
export function busPath(sx: number, sy: number, centerY: number, laneX: number, tx: number, ty: number, r = 8): string {
  const across = laneX - sx
  const dir = Math.sign(across) || 1
  const r1 = Math.min(r, Math.abs(across) / 2, Math.abs(centerY - sy) / 2)
  const r2 = Math.min(r, Math.abs(across) / 2, Math.abs(ty - centerY) / 2, Math.abs(tx - laneX) / 2)
  return [
    `M ${sx} ${sy}`,
    `L ${sx} ${centerY - r1}`,
    `Q ${sx} ${centerY} ${sx + dir * r1} ${centerY}`,
    `L ${laneX - dir * r2} ${centerY}`,
    `Q ${laneX} ${centerY} ${laneX} ${centerY + r2}`,
    `L ${laneX} ${ty - r2}`,
    `Q ${laneX} ${ty} ${laneX + r2} ${ty}`,
    `L ${tx} ${ty}`,
  ].join(' ')
}

/** Down, across, down: into the top of a target (a Node, for endpoints that are Node addresses). */
export function dropPath(sx: number, sy: number, centerY: number, tx: number, ty: number, r = 8): string {
  const across = tx - sx
  if (Math.abs(across) < 1) return `M ${sx} ${sy} L ${tx} ${ty}`
  const dir = Math.sign(across)
  const rr = Math.min(r, Math.abs(across) / 2, Math.abs(centerY - sy) / 2, Math.abs(ty - centerY) / 2)
  return [
    `M ${sx} ${sy}`,
    `L ${sx} ${centerY - rr}`,
    `Q ${sx} ${centerY} ${sx + dir * rr} ${centerY}`,
    `L ${tx - dir * rr} ${centerY}`,
    `Q ${tx} ${centerY} ${tx} ${centerY + rr}`,
    `L ${tx} ${ty}`,
  ].join(' ')
}
