/**
 * Upstream's comparison of nftables dumps (pkg/proxy/nftables/helpers_test.go): expected text is written
 * with lithammer/dedent, and both sides go through sortNFTablesTransaction before being compared: blank
 * lines and `#` comments dropped, lines sorted by object type (table, chain, rule, set, map, element),
 * then by object name, rules keeping their order within a chain, other lines by their whole text.
 */

/** lithammer/dedent: whitespace-only lines emptied, the common leading whitespace removed. */
export function dedent(text: string): string {
  const lines = text.replace(/^[ \t]+$/gm, '').split('\n')
  let margin: string | undefined
  for (const line of lines) {
    if (line === '') continue
    const indent = /^[ \t]*/.exec(line)![0]
    if (margin === undefined || !indent.startsWith(margin)) {
      if (margin === undefined) margin = indent
      else {
        let i = 0
        while (i < margin.length && i < indent.length && margin[i] === indent[i]) i++
        margin = margin.slice(0, i)
      }
    }
  }
  return margin ? lines.map((l) => (l.startsWith(margin) ? l.slice(margin.length) : l)).join('\n') : lines.join('\n')
}

const OBJECT_ORDER: Record<string, number> = { table: 10, chain: 9, rule: 8, set: 7, map: 6, element: 5 }

/** Go strings compare bytewise; for our ASCII text JavaScript's < does the same. */
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

export function sortNFTablesTransaction(tx: string): string {
  const lines = tx.split('\n').filter((l) => l !== '' && l[0] !== '#')
  // sort.SliceStable with upstream's less(); JavaScript's sort is stable too.
  return lines.sort((li, lj) => {
    const wi = li.split(' ')
    const wj = lj.split(' ')
    if (wi.length < 5 || wj.length < 5) return 0
    if (wi[1] !== wj[1]) return (OBJECT_ORDER[wj[1]] ?? 0) - (OBJECT_ORDER[wi[1]] ?? 0)
    if (wi[4] !== wj[4]) return cmp(wi[4], wj[4])
    if (wi[1] === 'rule') return 0
    return cmp(li, lj)
  }).join('\n')
}

/** Both sides as upstream's assertNFTablesTransactionEqual compares them. */
export function compareLikeUpstream(expected: string, actual: string): { expected: string; actual: string } {
  return { expected: sortNFTablesTransaction(dedent(expected)), actual: sortNFTablesTransaction(actual) }
}
