import { describe, expect, it } from 'vitest'
import { countLabel, decades, logScale, spreadLabels } from './chart-scale.ts'

describe('the chart\'s log axes', () => {
  it('puts each power of ten an equal distance apart', () => {
    const x = logScale(10, 10000, 0, 300)
    expect([10, 100, 1000, 10000].map(x)).toEqual([0, 100, 200, 300])
  })

  it('runs upwards for y (pixels grow downwards) and keeps values below the minimum on the axis', () => {
    const y = logScale(1, 100, 200, 0)
    expect(y(10)).toBe(100)
    expect(y(0)).toBe(200)
  })

  it('ticks every decade that covers the data', () => {
    expect(decades(14, 4463)).toEqual([10, 100, 1000, 10000])
    expect(decades(10, 10)).toEqual([10])
  })

  it('refuses a scale a logarithm cannot draw', () => {
    expect(() => logScale(0, 10, 0, 1)).toThrow(/0 < min < max/)
  })

  it('writes counts with thousands separators', () => {
    expect(countLabel(10000)).toBe('10,000')
  })
})

describe('end-of-line labels', () => {
  it('keeps labels at least a gap apart, in their order, around where the lines end', () => {
    expect(spreadLabels([100, 104, 20], 14)).toEqual([100, 114, 20])
    expect(spreadLabels([30, 30, 31], 14)).toEqual([30, 44, 58])
  })

  it('leaves labels that are far enough apart where they are', () => {
    expect(spreadLabels([10, 50, 90], 14)).toEqual([10, 50, 90])
  })
})
