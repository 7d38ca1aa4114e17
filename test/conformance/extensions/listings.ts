/** The listings every extension case ends with: `-S`, `-L -n`, `-L` (names resolved) and `-L -n -v` of a table. */
export function listings(table?: string): string[] {
  const t = table ? ` -t ${table}` : ''
  return [`iptables${t} -S`, `iptables${t} -L -n`, `iptables${t} -L`, `iptables${t} -L -n -v`]
}

export const LIST = listings()
