/**
 * Upstream's comparison of iptables-restore payloads (proxier_test.go: sortIPTablesRules,
 * assertIPTablesRulesEqual, checkIPTablesRuleJumps, and iptablestest.ParseIPTablesDump / Dump.String()),
 * reimplemented so our payloads are judged exactly as upstream judges its own: tables by name; chains with
 * KUBE-NODEPORTS first, then KUBE-SERVICES, then other KUBE-* by name, then the rest; each chain's rules
 * grouped under it in payload order; KUBE-NODEPORTS and KUBE-SERVICES rules stable-sorted by the service
 * name in their comment (the "must be the last rule" rule stays last); `-X` lines after all rules.
 */

export interface DumpRule {
  raw: string
  chain: string
  comment?: string
}

export interface DumpChain {
  name: string
  rules: DumpRule[]
  deleted: boolean
}

export interface DumpTable {
  name: string
  chains: DumpChain[]
}

/** Splits a rule line into arguments, honouring double quotes (as the fake iptables' parser does). */
export function tokenize(line: string): string[] {
  const out: string[] = []
  let i = 0
  while (i < line.length) {
    if (line[i] === ' ') { i++; continue }
    if (line[i] === '"') {
      let j = i + 1
      let value = ''
      while (j < line.length && line[j] !== '"') {
        if (line[j] === '\\' && j + 1 < line.length) { value += line[j + 1]; j += 2; continue }
        value += line[j++]
      }
      out.push(value)
      i = j + 1
    } else {
      let j = i
      while (j < line.length && line[j] !== ' ') j++
      out.push(line.slice(i, j))
      i = j
    }
  }
  return out
}

export function parseDump(text: string): DumpTable[] {
  const tables: DumpTable[] = []
  let current: DumpTable | undefined
  const chain = (name: string): DumpChain => {
    if (!current) throw new Error(`chain ${name} outside a table`)
    let c = current.chains.find((x) => x.name === name)
    if (!c) current.chains.push((c = { name, rules: [], deleted: false }))
    return c
  }
  for (const rawLine of text.split('\n')) {
    const line = rawLine.trim()
    if (line === '' || line.startsWith('#')) continue
    if (line.startsWith('*')) {
      current = { name: line.slice(1), chains: [] }
      tables.push(current)
    } else if (line === 'COMMIT') {
      current = undefined
    } else if (line.startsWith(':')) {
      chain(line.slice(1).split(' ')[0])
    } else if (line.startsWith('-A ')) {
      const args = tokenize(line)
      const name = args[1]
      const c = current?.chains.find((x) => x.name === name)
      if (!c) throw new Error(`rule for undeclared chain ${name}: ${line}`)
      const ci = args.indexOf('--comment')
      c.rules.push({ raw: line, chain: name, comment: ci >= 0 ? args[ci + 1] : undefined })
    } else if (line.startsWith('-X ')) {
      chain(line.slice(3).trim()).deleted = true
    } else {
      throw new Error(`unexpected line: ${line}`)
    }
  }
  return tables
}

export function dumpString(tables: readonly DumpTable[]): string {
  const out: string[] = []
  for (const t of tables) {
    out.push(`*${t.name}`)
    for (const c of t.chains) out.push(`:${c.name} - [0:0]`)
    for (const c of t.chains) for (const r of c.rules) out.push(r.raw)
    for (const c of t.chains) if (c.deleted) out.push(`-X ${c.name}`)
    out.push('COMMIT')
  }
  return out.join('\n') + '\n'
}

function serviceNameOf(comment: string): string {
  const i = comment.search(/[ :]/)
  return i >= 0 ? comment.slice(0, i) : comment
}

/** orderByCommentServiceName: undefined order (false) when a rule has no comment. */
function lessByServiceName(a: DumpRule, b: DumpRule): boolean {
  if (a.comment === undefined || b.comment === undefined) return false
  return serviceNameOf(a.comment) < serviceNameOf(b.comment)
}

/** Go's sort.SliceStable with a less function. */
function stableSort<T>(items: T[], less: (a: T, b: T) => boolean): T[] {
  // Insertion sort is what SliceStable does for short slices and is stable with any less function.
  const out = [...items]
  for (let i = 1; i < out.length; i++) {
    for (let j = i; j > 0 && less(out[j], out[j - 1]); j--) [out[j], out[j - 1]] = [out[j - 1], out[j]]
  }
  return out
}

function chainRank(name: string): [number, string] {
  if (name === 'KUBE-NODEPORTS') return [0, '']
  if (name === 'KUBE-SERVICES') return [1, '']
  return [name.startsWith('KUBE-') ? 2 : 3, name]
}

export function sortIPTablesRules(text: string): string {
  const tables = parseDump(text)
  tables.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  for (const t of tables) {
    t.chains.sort((a, b) => {
      const [ra, na] = chainRank(a.name)
      const [rb, nb] = chainRank(b.name)
      return ra !== rb ? ra - rb : na < nb ? -1 : na > nb ? 1 : 0
    })
    for (const c of t.chains) {
      if (c.name === 'KUBE-NODEPORTS' || (c.name === 'KUBE-SERVICES' && t.name === 'filter')) {
        c.rules = stableSort(c.rules, lessByServiceName)
      } else if (c.name === 'KUBE-SERVICES' && t.name === 'nat') {
        const isLast = (r: DumpRule) => r.comment !== undefined && r.comment.includes('must be the last rule')
        c.rules = stableSort(c.rules, (a, b) => {
          if (isLast(a)) return false
          if (isLast(b)) return true
          return lessByServiceName(a, b)
        })
      }
    }
  }
  return dumpString(tables)
}

/** The first line of difference, or undefined when `expected` equals the sorted `result`. */
export function compareLikeUpstream(expected: string, result: string): { expected: string; actual: string } {
  return { expected: expected.replace(/^[ \t\n]+/, ''), actual: sortIPTablesRules(result.replace(/^[ \t\n]+/, '')) }
}

/** checkIPTablesRuleJumps: every jump target declared and filled, every declared chain used. */
export function checkRuleJumps(text: string): string | undefined {
  const builtinTargets = new Set(['ACCEPT', 'REJECT', 'DROP', 'MARK', 'RETURN', 'DNAT', 'SNAT', 'MASQUERADE'])
  const fixed = new Set(['KUBE-SERVICES', 'KUBE-EXTERNAL-SERVICES', 'KUBE-NODEPORTS', 'KUBE-POSTROUTING',
    'KUBE-FORWARD', 'KUBE-MARK-MASQ', 'KUBE-PROXY-FIREWALL', 'KUBE-FIREWALL'])
  for (const t of parseDump(text)) {
    const created = new Set(t.chains.filter((c) => !c.deleted).map((c) => c.name))
    const filled = new Set(t.chains.filter((c) => c.rules.length > 0).map((c) => c.name))
    const jumped = new Set<string>()
    for (const c of t.chains) {
      for (const r of c.rules) {
        const args = tokenize(r.raw)
        const j = args.indexOf('-j')
        if (j >= 0 && !builtinTargets.has(args[j + 1])) jumped.add(args[j + 1])
      }
    }
    const missing = [...jumped, ...filled].filter((c) => !created.has(c))
    if (missing.length) return `some chains in ${t.name} are used but were not created: ${missing.join(', ')}`
    const empty = [...jumped].filter((c) => !filled.has(c) && c !== 'KUBE-NODEPORTS')
    if (empty.length) return `some chains in ${t.name} are jumped to but have no rules: ${empty.join(', ')}`
    const extra = [...created].filter((c) => !jumped.has(c) && !fixed.has(c))
    if (extra.length) return `some chains in ${t.name} are created but not used: ${extra.join(', ')}`
  }
  return undefined
}
