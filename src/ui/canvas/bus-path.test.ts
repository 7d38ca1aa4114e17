import { describe, expect, it } from 'vitest'
import { busPath, dropPath } from './bus-path.ts'

/** The points a path visits (every command's final coordinate pair). */
function corners(path: string): [number, number][] {
  return path.split(/(?=[MLQ])/).map((cmd) => {
    const nums = cmd.slice(1).trim().split(/\s+/).map(Number)
    return [nums[nums.length - 2], nums[nums.length - 1]] as [number, number]
  })
}

describe('edge paths', () => {
  it('a bus path starts at the Service, crosses at centerY, runs down the lane and ends at the Pod', () => {
    const points = corners(busPath(300, 100, 150, 40, 60, 400))
    expect(points[0]).toEqual([300, 100])
    expect(points.at(-1)).toEqual([60, 400])
    // Every horizontal run is at centerY or at the target's height; every vertical one at the source or lane.
    for (const [x, y] of points) expect(x === 300 || x === 40 || y === 150 || y === 400).toBe(true)
  })

  it('rounds corners no wider than the shortest segment allows', () => {
    const points = corners(busPath(100, 100, 104, 98, 110, 400))
    expect(points.every(([x, y]) => Number.isFinite(x) && Number.isFinite(y))).toBe(true)
    expect(points.at(-1)).toEqual([110, 400])
  })

  it('a drop path goes straight down when the target is right below', () => {
    expect(dropPath(50, 10, 60, 50, 200)).toBe('M 50 10 L 50 200')
    expect(corners(dropPath(50, 10, 60, 150, 200)).at(-1)).toEqual([150, 200])
  })
})
