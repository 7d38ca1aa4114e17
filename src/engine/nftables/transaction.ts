/**
 * An nftables transaction as knftables builds it (add / flush / delete of tables, chains, sets, maps, rules
 * and elements), its text in `nft -f` syntax exactly as knftables writes it, and its effect on a table.
 *
 * The text forms follow knftables' writeOperation (sigs.k8s.io/knftables objects.go): e.g.
 * `add set ip kube-proxy cluster-ips { type ipv4_addr ; comment "Active ClusterIPs" ; }`,
 * `add element ip kube-proxy service-ips { 172.30.0.41 . tcp . 80 : goto service-… }`. Base chain
 * priorities are written as numbers (as knftables' fake prints them and the kernel stores them).
 */
import type { NftBaseChainSpec, NftChain, NftElement, NftFamily, NftRule, NftSet, NftTable } from './model.ts'

export type NftVerb = 'add' | 'flush' | 'delete'

export type NftOp =
  | { verb: 'add' | 'delete'; object: 'table'; comment?: string }
  | { verb: NftVerb; object: 'chain'; name: string; base?: NftBaseChainSpec; comment?: string }
  | {
    verb: NftVerb; object: 'set' | 'map'; name: string; type?: string; flags?: string[]; timeout?: number
    comment?: string
  }
  | { verb: 'add'; object: 'rule'; chain: string; rule: NftRule }
  | { verb: 'add' | 'delete'; object: 'element'; set: string; kind: 'set' | 'map'; element: NftElement }

/** Size nft gives a set updated from the packet path when the set was created without one. */
export const DYNAMIC_SET_DEFAULT_SIZE = 65535

function quote(text: string): string {
  return `"${text}"`
}

/** knftables' Element key/value text: parts joined by ` . `. */
function elementText(e: NftElement, withValue: boolean): string {
  let s = e.key.join(' . ')
  if (e.comment !== undefined) s += ` comment ${quote(e.comment)}`
  if (withValue && e.value) s += ` : ${e.value.join(' . ')}`
  return s
}

/** One transaction line, as knftables writes it. */
export function formatOp(op: NftOp, family: NftFamily, table: string): string {
  const prefix = `${op.verb} ${op.object} ${family} ${table}`
  switch (op.object) {
    case 'table':
      return op.verb === 'add' && op.comment !== undefined ? `${prefix} { comment ${quote(op.comment)} ; }` : prefix
    case 'chain': {
      let s = `${prefix} ${op.name}`
      if (op.verb !== 'add') return s
      const parts: string[] = []
      if (op.base) parts.push(`type ${op.base.type} hook ${op.base.hook} priority ${op.base.priority} ;`)
      if (op.comment !== undefined) parts.push(`comment ${quote(op.comment)} ;`)
      if (parts.length) s += ` { ${parts.join(' ')} }`
      return s
    }
    case 'set':
    case 'map': {
      let s = `${prefix} ${op.name}`
      if (op.verb !== 'add') return s
      const parts: string[] = []
      if (op.type !== undefined) parts.push(`type ${op.type} ;`)
      if (op.flags?.length) parts.push(`flags ${op.flags.join(',')} ;`)
      if (op.timeout !== undefined) parts.push(`timeout ${op.timeout}s ;`)
      if (op.comment !== undefined) parts.push(`comment ${quote(op.comment)} ;`)
      if (parts.length) s += ` { ${parts.join(' ')} }`
      return s
    }
    case 'rule':
      return `${prefix} ${op.chain} ${op.rule.text}${op.rule.comment !== undefined ? ` comment ${quote(op.rule.comment)}` : ''}`
    case 'element':
      return `${prefix} ${op.set} { ${elementText(op.element, op.verb === 'add')} }`
  }
}

export function formatTransaction(ops: readonly NftOp[], family: NftFamily, table: string): string {
  return ops.map((op) => formatOp(op, family, table) + '\n').join('')
}

/** An operation the kernel would refuse (e.g. a rule in a chain that does not exist). */
export class NftTransactionError extends Error {}

/**
 * The table after the transaction, as the kernel applies it (atomically: on error nothing changes and
 * the error is thrown). `add` of an existing object changes nothing, `flush` empties a chain or set.
 * Lookups go through name indexes, so a transaction of N operations costs O(N).
 */
export function applyTransaction(before: NftTable, ops: readonly NftOp[]): NftTable {
  // Copy on write: objects this transaction does not touch are shared with `before` (tables are never
  // changed once made), so a small partial sync of a large table stays cheap.
  const t: NftTable = { ...before }
  const chains = new Map(before.chains.map((c) => [c.name, c]))
  const sets = new Map(before.sets.map((s) => [s.name, s]))
  const ownChains = new Set<NftChain>()
  const ownSets = new Set<NftSet>()
  const writableChain = (chain: NftChain): NftChain => {
    if (ownChains.has(chain)) return chain
    const copy = { ...chain, rules: [...chain.rules] }
    ownChains.add(copy)
    chains.set(chain.name, copy)
    return copy
  }
  const writableSet = (set: NftSet): NftSet => {
    if (ownSets.has(set)) return set
    const copy = { ...set }
    ownSets.add(copy)
    sets.set(set.name, copy)
    return copy
  }
  // Elements of the sets this transaction touches, by key text (a Map keeps insertion order).
  const elements = new Map<string, Map<string, NftElement>>()
  const elementsOf = (name: string) => {
    let m = elements.get(name)
    if (!m) {
      m = new Map(sets.get(name)!.elements.map((e) => [e.key.join(' . '), e]))
      elements.set(name, m)
    }
    return m
  }
  const createdSets = new Set<string>()
  for (const op of ops) {
    switch (op.object) {
      case 'table':
        if (op.verb === 'add') {
          if (op.comment !== undefined) t.comment = op.comment
        } else {
          chains.clear()
          sets.clear()
          elements.clear()
          t.comment = undefined
        }
        break
      case 'chain': {
        const chain = chains.get(op.name)
        if (op.verb === 'add') {
          if (!chain) {
            const created: NftChain = { name: op.name, base: op.base, comment: op.comment, rules: [] }
            ownChains.add(created)
            chains.set(op.name, created)
          }
        } else if (!chain) {
          throw new NftTransactionError(`${op.verb} chain ${op.name}: No such file or directory`)
        } else if (op.verb === 'flush') {
          if (chain.rules.length) writableChain(chain).rules = []
        } else {
          chains.delete(op.name)
        }
        break
      }
      case 'set':
      case 'map': {
        const set = sets.get(op.name)
        if (op.verb === 'add') {
          if (!set) {
            const created: NftSet = {
              name: op.name, kind: op.object, type: op.type ?? '', flags: op.flags, timeout: op.timeout,
              comment: op.comment, elements: [],
            }
            ownSets.add(created)
            sets.set(op.name, created)
            createdSets.add(op.name)
          }
        } else if (!set) {
          throw new NftTransactionError(`${op.verb} ${op.object} ${op.name}: No such file or directory`)
        } else if (op.verb === 'flush') {
          elements.set(op.name, new Map())
        } else {
          sets.delete(op.name)
          elements.delete(op.name)
        }
        break
      }
      case 'rule': {
        const chain = chains.get(op.chain)
        if (!chain) throw new NftTransactionError(`add rule ${op.chain}: No such file or directory`)
        writableChain(chain).rules.push({ ...op.rule })
        if (op.rule.text.includes('update @')) {
          for (const m of op.rule.text.matchAll(/\bupdate @(\S+)/g)) {
            const set = sets.get(m[1])
            if (set && createdSets.has(set.name) && set.size === undefined) writableSet(set).size = DYNAMIC_SET_DEFAULT_SIZE
          }
        }
        break
      }
      case 'element': {
        if (!sets.has(op.set)) throw new NftTransactionError(`${op.verb} element ${op.set}: No such file or directory`)
        const m = elementsOf(op.set)
        const k = op.element.key.join(' . ')
        if (op.verb === 'add') {
          if (!m.has(k)) m.set(k, { ...op.element })
        } else if (!m.delete(k)) {
          throw new NftTransactionError(`delete element ${op.set}: No such file or directory`)
        }
        break
      }
    }
  }
  for (const [name, m] of elements) {
    const set = sets.get(name)
    if (set) writableSet(set).elements = [...m.values()]
  }
  // Creation order: surviving objects in their original order, then new ones (a Map keeps insertion
  // order; one deleted and added again comes last, as a new object in the kernel does).
  t.chains = [...chains.values()]
  t.sets = [...sets.values()]
  return t
}
