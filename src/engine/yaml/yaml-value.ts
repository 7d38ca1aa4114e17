/**
 * A parsed YAML document as plain data (objects, arrays, strings, numbers, booleans, null), the way the
 * `yaml` package's Document.toJS() builds it, but with kubectl's bounds and without recursion:
 *
 * - an alias refers to the last node with its anchor before it; an anchor nothing defines is
 *   `unknown anchor 'x' referenced`, an alias inside its own anchor's value is `anchor 'x' value contains
 *   itself` (go-yaml's words; `yaml` would throw a ReferenceError or build a cyclic object);
 * - alias expansion is bounded as go-yaml bounds it (decode.go `allowedAliasRatio`): once more than 100
 *   nodes were decoded through aliases, more than 1,000 in all, and the share decoded through aliases exceeds
 *   99% (scaling down to 10% between 400,000 and 4,000,000 decoded nodes), decoding stops with
 *   `document contains excessive aliasing`. Ordinary documents with hundreds of aliases decode, as kubectl
 *   decodes them (`yaml`'s own limit refuses more than 100);
 * - expanded values nest at most YAML_MAX_DEPTH collections deep;
 * - a collection as a mapping key is `invalid map key` (go-yaml), not a stringified key.
 *
 * Each alias is expanded into its own copy, so the work done equals the decoded size go-yaml counts, and
 * every alias resolves in constant time (`yaml` scans all anchors per alias: quadratic).
 */
import { isAlias, isMap, isPair, isScalar, isSeq } from 'yaml'
import type { Alias, Document, Node, Pair } from 'yaml'
import { YAML_MAX_DEPTH } from './parse-yaml.ts'

export type YamlValue = { ok: true; value: unknown } | { ok: false; message: string; offset: number }

type Container = Record<string, unknown> | unknown[]
type Item = Node | Pair | null | undefined

// go-yaml decode.go: 400,000 decodes is ~500kb of dense object declarations...
const ALIAS_RATIO_RANGE_LOW = 400_000
const ALIAS_RATIO_RANGE_HIGH = 4_000_000

function allowedAliasRatio(decodeCount: number): number {
  if (decodeCount <= ALIAS_RATIO_RANGE_LOW) return 0.99
  if (decodeCount >= ALIAS_RATIO_RANGE_HIGH) return 0.1
  return 0.99 - 0.89 * ((decodeCount - ALIAS_RATIO_RANGE_LOW) / (ALIAS_RATIO_RANGE_HIGH - ALIAS_RATIO_RANGE_LOW))
}

class YamlValueError extends Error {
  constructor(message: string, readonly offset: number) {
    super(message)
  }
}

const offsetOf = (node: Item): number => (node && 'range' in node && node.range ? node.range[0] : 0)

/** The document as plain data, or why it cannot be (with the offset in the text to report). */
export function yamlValue(doc: Document): YamlValue {
  try {
    const root = doc.contents as Item
    if (root === null || root === undefined) return { ok: true, value: null }
    const targets = bindAliases(root)
    return { ok: true, value: decode(root, targets, mergeEnabled(doc)) }
  } catch (e) {
    if (e instanceof YamlValueError) return { ok: false, message: e.message, offset: e.offset }
    throw e
  }
}

/** The children of a node in text order: a pair's key and value, a collection's items. */
function children(node: Item): Item[] {
  if (isPair(node)) return [node.key as Item, node.value as Item]
  if (isMap(node) || isSeq(node)) return node.items as Item[]
  return []
}

/** Which node each alias stands for: the last one with its anchor before the alias, outside the alias's own ancestors. */
function bindAliases(root: Item): Map<Alias, Node> {
  const targets = new Map<Alias, Node>()
  const anchors = new Map<string, Node>()
  const open = new Set<Node>()
  const stack: { node: Item; exit: boolean }[] = [{ node: root, exit: false }]
  while (stack.length > 0) {
    const { node, exit } = stack.pop()!
    if (!node) continue
    if (exit) {
      open.delete(node as Node)
      continue
    }
    if (isAlias(node)) {
      const target = anchors.get(node.source)
      if (!target) throw new YamlValueError(`unknown anchor '${node.source}' referenced`, offsetOf(node))
      if (open.has(target)) throw new YamlValueError(`anchor '${node.source}' value contains itself`, offsetOf(node))
      targets.set(node, target)
      continue
    }
    if (!isPair(node) && node.anchor) anchors.set(node.anchor, node)
    const items = children(node)
    if (items.length === 0) continue
    if (!isPair(node)) open.add(node)
    stack.push({ node, exit: true })
    for (let i = items.length - 1; i >= 0; i--) stack.push({ node: items[i], exit: false })
  }
  return targets
}

function mergeEnabled(doc: Document): boolean {
  return doc.schema.tags.some((tag) => tag.tag === 'tag:yaml.org,2002:merge' && (tag as { default?: unknown }).default)
}

function isMergeKey(key: Item, merge: boolean): boolean {
  if (!isScalar(key)) return false
  if (typeof key.value === 'symbol') return key.value.description === '<<'
  return merge && key.value === '<<' && (!key.type || key.type === 'PLAIN')
}

function scalarValue(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value)
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') return (value as { toJSON(): unknown }).toJSON()
  return value
}

function assign(parent: Container, key: string | number, value: unknown): void {
  if (Array.isArray(parent)) parent[key as number] = value
  // As yaml's addPairToJSMap: a key like `__proto__` or `constructor` becomes an own property.
  else if (key in parent) Object.defineProperty(parent, key, { value, writable: true, enumerable: true, configurable: true })
  else parent[key as string] = value
}

interface Task {
  node: Item
  parent: Container
  key: string | number
  depth: number
  /** The outermost alias being expanded (where an expansion error is reported), if any. */
  via?: Alias
}

function decode(root: Item, targets: Map<Alias, Node>, merge: boolean): unknown {
  let decodeCount = 0
  let aliasCount = 0
  const holder: unknown[] = []
  const stack: Task[] = [{ node: root, parent: holder, key: 0, depth: 0 }]
  const merges: { target: Record<string, unknown>; sources: unknown[]; offset: number }[] = []
  const count = (task: Task) => {
    decodeCount++
    if (task.via) aliasCount++
    if (aliasCount > 100 && decodeCount > 1000 && aliasCount / decodeCount > allowedAliasRatio(decodeCount)) {
      throw new YamlValueError('document contains excessive aliasing', offsetOf(task.via ?? task.node))
    }
  }
  while (stack.length > 0) {
    const task = stack.pop()!
    let node = task.node
    count(task)
    let via = task.via
    while (isAlias(node)) {
      via ??= node
      node = targets.get(node)!
      count({ ...task, node, via })
    }
    if (node === null || node === undefined) {
      assign(task.parent, task.key, null)
    } else if (isScalar(node)) {
      assign(task.parent, task.key, scalarValue(node.value))
    } else {
      const depth = task.depth + 1
      if (depth > YAML_MAX_DEPTH) throw new YamlValueError(`exceeded max depth of ${YAML_MAX_DEPTH}`, offsetOf(via ?? node))
      const pending: Task[] = []
      if (isSeq(node)) {
        const list: unknown[] = []
        assign(task.parent, task.key, list)
        node.items.forEach((item, i) => {
          if (isPair(item)) {
            // A pair in a sequence (yaml 1.1 !!pairs, !!omap) is a one-key mapping, as yaml's Pair.toJSON.
            const single: Record<string, unknown> = {}
            list[i] = single
            pairTasks(item, single, depth, via, pending)
          } else {
            pending.push({ node: item as Item, parent: list, key: i, depth, via })
          }
        })
      } else if (isMap(node)) {
        const map: Record<string, unknown> = {}
        assign(task.parent, task.key, map)
        for (const pair of node.items) pairTasks(pair, map, depth, via, pending)
      } else {
        throw new YamlValueError('unsupported YAML node', offsetOf(node))
      }
      for (let i = pending.length - 1; i >= 0; i--) stack.push(pending[i])
    }
  }

  /** The tasks of one mapping entry; its key is decoded here (a scalar, or an alias of one). */
  function pairTasks(pair: Pair, map: Record<string, unknown>, depth: number, via: Alias | undefined, pending: Task[]): void {
    let key = pair.key as Item
    count({ node: key, parent: map, key: '', depth, via })
    let keyVia = via
    while (isAlias(key)) {
      keyVia ??= key
      key = targets.get(key)!
      count({ node: key, parent: map, key: '', depth, via: keyVia })
    }
    if (isMergeKey(key, merge)) {
      const sources: unknown[] = []
      merges.push({ target: map, sources, offset: offsetOf(key) })
      let value = pair.value as Item
      while (isAlias(value)) value = targets.get(value)!
      const items = isSeq(value) ? (value.items as Item[]) : [pair.value as Item]
      items.forEach((item, i) => pending.push({ node: item, parent: sources, key: i, depth: depth - 1, via }))
      return
    }
    if (key !== null && key !== undefined && !isScalar(key)) {
      throw new YamlValueError(`invalid map key: ${String(key)}`, offsetOf(keyVia ?? key))
    }
    const jsKey = key ? scalarValue(key.value) : null
    const name = jsKey === null || jsKey === undefined ? '' : typeof jsKey === 'object' ? JSON.stringify(jsKey) : String(jsKey)
    pending.push({ node: pair.value as Item, parent: map, key: name, depth, via })
  }

  // Merge keys (yaml 1.1 documents only): the innermost first, explicit keys and earlier sources winning.
  for (let i = merges.length - 1; i >= 0; i--) {
    const { target, sources, offset } = merges[i]
    for (const source of sources) {
      if (source === null || typeof source !== 'object' || Array.isArray(source)) throw new YamlValueError('Merge sources must be maps or map aliases', offset)
      for (const [k, v] of Object.entries(source)) {
        if (!Object.prototype.hasOwnProperty.call(target, k)) Object.defineProperty(target, k, { value: v, writable: true, enumerable: true, configurable: true })
      }
    }
  }
  return holder[0]
}
