import { describe, expect, it } from 'vitest'
import { humanDuration } from './human-duration.ts'

describe('humanDuration (kubectl LAST SEEN)', () => {
  it.each([
    [-5, '<invalid>'], [-0.5, '0s'], [0, '0s'], [45, '45s'], [119, '119s'], [120, '2m'], [125, '2m5s'],
    [600, '10m'], [179 * 60, '179m'], [3 * 3600, '3h'], [3 * 3600 + 600, '3h10m'], [8 * 3600, '8h'],
    [48 * 3600, '2d'], [53 * 3600, '2d5h'], [10 * 86400, '10d'], [3 * 365 * 86400 + 86400, '3y1d'], [9 * 365 * 86400, '9y'],
  ])('%s seconds read as %s', (seconds, text) => {
    expect(humanDuration(seconds)).toBe(text)
  })
})
