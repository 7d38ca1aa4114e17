/**
 * Two transaction-syntax renderings of a table's state:
 *
 * - `dumpTable`: what knftables' fake (`knftables.Fake.Dump()`) prints, the form upstream kube-proxy's unit
 *   tests compare against: the table, chains by name, sets by name, maps by name, then every chain's
 *   rules, then every set's and map's elements.
 * - `tableScript`: an `nft -f` script that recreates the table in the kernel with sets and chains in
 *   their creation order (so `nft list` prints them in the same order as on the original host).
 */
import type { NftTable } from './model.ts'
import { formatOp } from './transaction.ts'
import type { NftOp } from './transaction.ts'

const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)

function stateOps(t: NftTable, order: 'dump' | 'creation'): NftOp[] {
  const chains = order === 'dump' ? [...t.chains].sort(byName) : t.chains
  const sets = order === 'dump'
    ? [...t.sets.filter((s) => s.kind === 'set').sort(byName), ...t.sets.filter((s) => s.kind === 'map').sort(byName)]
    : t.sets
  const ops: NftOp[] = [{ verb: 'add', object: 'table', comment: t.comment }]
  const chainOps: NftOp[] = chains.map((c) => ({ verb: 'add', object: 'chain', name: c.name, base: c.base, comment: c.comment }))
  const setOps: NftOp[] = sets.map((s) => ({
    verb: 'add', object: s.kind, name: s.name, type: s.type, flags: s.flags, timeout: s.timeout, comment: s.comment,
  }))
  // knftables' fake writes chains before sets; a script must create sets before rules refer to them.
  ops.push(...(order === 'dump' ? [...chainOps, ...setOps] : [...setOps, ...chainOps]))
  for (const c of chains) for (const rule of c.rules) ops.push({ verb: 'add', object: 'rule', chain: c.name, rule })
  for (const s of sets) {
    for (const element of s.elements) ops.push({ verb: 'add', object: 'element', set: s.name, kind: s.kind, element })
  }
  return ops
}

/** knftables.Fake.Dump() of this table. */
export function dumpTable(t: NftTable): string {
  return stateOps(t, 'dump').map((op) => formatOp(op, t.family, t.name) + '\n').join('')
}

/** An `nft -f` script recreating the table (sets, chains in creation order, then rules, then elements). */
export function tableScript(t: NftTable): string {
  return stateOps(t, 'creation').map((op) => formatOp(op, t.family, t.name) + '\n').join('')
}
