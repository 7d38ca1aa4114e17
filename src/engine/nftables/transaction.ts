/**
 * An nftables transaction as knftables builds it (add / flush / delete of tables, chains, sets, maps, rules
 * and elements), its text in `nft -f` syntax exactly as knftables writes it, and its effect on a table.
 *
 * The text forms follow knftables' writeOperation (sigs.k8s.io/knftables objects.go): e.g.
 * `add set ip kube-proxy cluster-ips { type ipv4_addr ; comment "Active ClusterIPs" ; }`,
 * `add element ip kube-proxy service-ips { 172.30.0.41 . tcp . 80 : goto service-… }`. Base chain
 * priorities are written as numbers (as knftables' fake prints them and the kernel stores them).
 */
import { cloneTable, findChain, findSet } from './model.ts'
import type { NftBaseChainSpec, NftElement, NftFamily, NftRule, NftTable } from './model.ts'

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

const sameKey = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i])

/**
 * The table after the transaction, as the kernel applies it (atomically: on error nothing changes and
 * the error is thrown). `add` of an existing object changes nothing, `flush` empties a chain or set.
 */
export function applyTransaction(before: NftTable, ops: readonly NftOp[]): NftTable {
  const t = cloneTable(before)
  const createdSets = new Set<string>()
  for (const op of ops) {
    switch (op.object) {
      case 'table':
        if (op.verb === 'add') {
          if (op.comment !== undefined) t.comment = op.comment
        } else {
          t.sets = []
          t.chains = []
          t.comment = undefined
        }
        break
      case 'chain': {
        const chain = findChain(t, op.name)
        if (op.verb === 'add') {
          if (!chain) t.chains.push({ name: op.name, base: op.base, comment: op.comment, rules: [] })
        } else if (!chain) {
          throw new NftTransactionError(`${op.verb} chain ${op.name}: No such file or directory`)
        } else if (op.verb === 'flush') {
          chain.rules = []
        } else {
          t.chains = t.chains.filter((c) => c !== chain)
        }
        break
      }
      case 'set':
      case 'map': {
        const set = findSet(t, op.name)
        if (op.verb === 'add') {
          if (!set) {
            t.sets.push({
              name: op.name, kind: op.object, type: op.type ?? '', flags: op.flags, timeout: op.timeout,
              comment: op.comment, elements: [],
            })
            createdSets.add(op.name)
          }
        } else if (!set) {
          throw new NftTransactionError(`${op.verb} ${op.object} ${op.name}: No such file or directory`)
        } else if (op.verb === 'flush') {
          set.elements = []
        } else {
          t.sets = t.sets.filter((s) => s !== set)
        }
        break
      }
      case 'rule': {
        const chain = findChain(t, op.chain)
        if (!chain) throw new NftTransactionError(`add rule ${op.chain}: No such file or directory`)
        chain.rules.push({ ...op.rule })
        for (const m of op.rule.text.matchAll(/\bupdate @(\S+)/g)) {
          const set = findSet(t, m[1])
          if (set && createdSets.has(set.name) && set.size === undefined) set.size = DYNAMIC_SET_DEFAULT_SIZE
        }
        break
      }
      case 'element': {
        const set = findSet(t, op.set)
        if (!set) throw new NftTransactionError(`${op.verb} element ${op.set}: No such file or directory`)
        const i = set.elements.findIndex((e) => sameKey(e.key, op.element.key))
        if (op.verb === 'add') {
          if (i < 0) set.elements.push({ ...op.element })
        } else if (i < 0) {
          throw new NftTransactionError(`delete element ${op.set}: No such file or directory`)
        } else {
          set.elements.splice(i, 1)
        }
        break
      }
    }
  }
  return t
}
