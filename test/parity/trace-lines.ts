/** Trace lines of the trace parity suite: TRACE rules added to a case, and normalisation. */

/** The case's rules with `-j TRACE` first in raw PREROUTING and OUTPUT (the raw table added if absent). */
export function withTrace(rules: string): string {
  const trace = '-A PREROUTING -j TRACE\n-A OUTPUT -j TRACE\n'
  if (!rules.includes('*raw\n')) return `*raw\n:PREROUTING ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n${trace}COMMIT\n${rules}`
  return rules.replace(/\*raw\n((?::[^\n]*\n)*)/, (_m, decl: string) => `*raw\n${decl}${trace}`)
}

/** Lines of one packet (the first trace id seen), normalised, without the observe table's blocks. */
export function normalizeTrace(lines: string[]): string[] {
  const first = /^(?:PACKET| TRACE): 2 ([0-9a-f]{8})/.exec(lines.find((l) => /^(?:PACKET| TRACE): 2 /.test(l)) ?? '')?.[1]
  const own = lines.filter((l) => l.includes(` 2 ${first} `))
  const out: string[] = []
  for (let i = 0; i < own.length; i++) {
    const l = own[i]
    if (l.startsWith('PACKET') && own[i + 1]?.includes(` ${first} observe:`)) continue
    if (l.includes(` ${first} observe:`)) continue
    out.push(l.replace(` 2 ${first} `, ' 2 ID ').replace(/MACSRC=\S+ MACDST=\S+/, 'MACSRC=M MACDST=M').replace(/ ID=\d+ /, ' ID=N '))
  }
  return out
}
