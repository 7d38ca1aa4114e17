/** Finding where a field path points in a parsed YAML document, for errors at their line and column. */
import { isMap, isPair, isScalar, isSeq } from 'yaml'
import type { Node as YamlNode } from 'yaml'

/** The node at `path`, or the deepest existing ancestor (its key when the missing field's map exists). */
export function deepestNode(root: YamlNode, path: readonly (string | number)[]): YamlNode | undefined {
  let node: YamlNode = root
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment))
      if (!pair) return node
      const next = pair.value as YamlNode | null
      // `key:` with no value: point at the key.
      if (!next || !next.range || next.range[0] === next.range[1]) return (pair.key as YamlNode) ?? node
      node = next
    } else if (isSeq(node)) {
      const item = typeof segment === 'number' ? (node.items[segment] as YamlNode | undefined) : undefined
      if (!item) return node
      node = item
    } else {
      return node
    }
  }
  return node
}
