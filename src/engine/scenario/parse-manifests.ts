/**
 * Multi-document YAML as `kubectl apply -f` reads it, keeping where every node sits in the text so that a
 * validation error can name the line and column of the offending field.
 */
import { LineCounter } from 'yaml'
import type { Node as YamlNode } from 'yaml'
import { deepestNode } from './yaml-node-at-path.ts'
import { parseYamlDocuments } from '../yaml/parse-yaml.ts'
import { yamlValue } from '../yaml/yaml-value.ts'

export type FieldPath = readonly (string | number)[]

export interface TextPosition {
  /** 1-based. */
  line: number
  /** 1-based. */
  column: number
}

export interface ManifestDocument {
  /** 1-based index of the YAML document in the text. */
  index: number
  /** The document as plain data (objects, arrays, strings, numbers, booleans, null). */
  value: unknown
  /** Where the node at `path` starts; for a missing node, where its nearest existing parent starts. */
  locate(path: FieldPath): TextPosition
  /** Whether the document has a node at `path`. */
  has(path: FieldPath): boolean
}

export interface SyntaxError {
  document: number
  line: number
  column: number
  message: string
}

export type ParseResult = { ok: true; documents: ManifestDocument[] } | { ok: false; errors: SyntaxError[] }

/** Parses every document; empty documents (a lone `---`, comments only) are dropped as kubectl drops them. */
export function parseManifests(text: string): ParseResult {
  const lineCounter = new LineCounter()
  const list = parseYamlDocuments(text, { lineCounter, uniqueKeys: true })
  const errors: SyntaxError[] = []
  const position = (offset: number): TextPosition => {
    const { line, col } = lineCounter.linePos(offset)
    return { line, column: col }
  }
  list.forEach((doc, i) => {
    const seen = new Set<string>()
    for (const err of doc.errors) {
      const error = describeSyntaxError(text, err.code, err.pos, err.message, position)
      const key = `${error.line}:${error.column}`
      if (seen.has(key)) continue
      seen.add(key)
      errors.push({ document: i + 1, ...error })
    }
  })
  if (errors.length > 0) return { ok: false, errors }

  const documents: ManifestDocument[] = []
  list.forEach((doc, i) => {
    if (doc.contents === null) return
    const converted = yamlValue(doc)
    if (!converted.ok) {
      errors.push({ document: i + 1, ...position(converted.offset), message: converted.message })
      return
    }
    const value = converted.value
    if (value === null || value === undefined) return
    const root = doc.contents as YamlNode
    const docStart = position(root.range?.[0] ?? 0)
    documents.push({
      index: i + 1,
      value,
      locate: (path) => {
        const node = deepestNode(root, path)
        return node?.range ? position(node.range[0]) : docStart
      },
      has: (path) => doc.hasIn(path as (string | number)[]),
    })
  })
  if (errors.length > 0) return { ok: false, errors }
  return { ok: true, documents }
}

function firstLine(message: string): string {
  // The yaml package appends " at line L, column C:" and a code excerpt; we report the position separately.
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '').trim()
}

/**
 * The parser's error, except for the commonest slip (a line indented deeper than its siblings), which the
 * parser reports at the start of the line before; we point at the deeper line itself, where the fix is.
 */
function describeSyntaxError(
  text: string,
  code: string,
  pos: [number, number],
  message: string,
  position: (offset: number) => TextPosition,
): TextPosition & { message: string } {
  const at = position(pos[0])
  if (code === 'BLOCK_AS_IMPLICIT_KEY' || code === 'MULTILINE_IMPLICIT_KEY') {
    const lines = text.split('\n')
    for (let l = at.line; l < lines.length; l++) {
      const line = lines[l]
      if (line.trim() === '' || line.trim().startsWith('#')) continue
      const column = line.length - line.trimStart().length + 1
      return { line: l + 1, column, message: `${firstLine(message)}: the indentation of this line does not fit the line before it (line ${at.line}, column ${at.column})` }
    }
  }
  return { ...at, message: firstLine(message) }
}
