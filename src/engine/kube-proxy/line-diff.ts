/**
 * The lines a sync removed and added: a longest-common-subsequence match of two sequences of lines (the
 * rules of an iptables chain, the lines of `nft list table`), shown in order, removals before additions
 * where either order would do (as a unified diff shows a changed block).
 */

export interface LineChange {
  op: '+' | '-'
  line: string
}

/** Above this many cells the LCS table is not built: the middle is reported as replaced. */
const LCS_CELL_LIMIT = 4_000_000

export function diffLines(a: readonly string[], b: readonly string[]): LineChange[] {
  // Trim the common head and tail first: syncs usually change a few lines of long listings.
  let start = 0
  while (start < a.length && start < b.length && a[start] === b[start]) start++
  let endA = a.length
  let endB = b.length
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) { endA--; endB-- }
  const x = a.slice(start, endA)
  const y = b.slice(start, endB)
  if (x.length === 0) return y.map((line) => ({ op: '+' as const, line }))
  if (y.length === 0) return x.map((line) => ({ op: '-' as const, line }))
  if (x.length * y.length > LCS_CELL_LIMIT) {
    return [...x.map((line) => ({ op: '-' as const, line })), ...y.map((line) => ({ op: '+' as const, line }))]
  }
  const m = x.length
  const n = y.length
  const lcs: number[][] = Array.from({ length: m + 1 }, () => new Array<number>(n + 1).fill(0))
  for (let i = m - 1; i >= 0; i--) {
    for (let j = n - 1; j >= 0; j--) lcs[i][j] = x[i] === y[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1])
  }
  const out: LineChange[] = []
  let i = 0
  let j = 0
  while (i < m && j < n) {
    if (x[i] === y[j]) { i++; j++ } else if (lcs[i + 1][j] >= lcs[i][j + 1]) out.push({ op: '-', line: x[i++] })
    else out.push({ op: '+', line: y[j++] })
  }
  while (i < m) out.push({ op: '-', line: x[i++] })
  while (j < n) out.push({ op: '+', line: y[j++] })
  return out
}
