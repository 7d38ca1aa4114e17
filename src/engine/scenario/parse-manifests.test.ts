import { describe, expect, it } from 'vitest'
import { parseManifests } from './parse-manifests.ts'

describe('parseManifests', () => {
  it('numbers documents from 1 in the text, skipping empty ones but keeping their numbers', () => {
    const result = parseManifests('---\n# only a comment\n---\nkind: A\n---\nkind: B\n')
    expect(result.ok && result.documents.map((d) => [d.index, d.value])).toEqual([[2, { kind: 'A' }], [3, { kind: 'B' }]])
  })

  it('locates a field by path, and a missing field at its nearest existing parent', () => {
    const result = parseManifests('kind: Service\nspec:\n  ports:\n  - port: 80\n    name: http\n')
    if (!result.ok) throw new Error('should parse')
    const doc = result.documents[0]
    expect(doc.locate(['spec', 'ports', 0, 'name'])).toEqual({ line: 5, column: 11 })
    expect(doc.locate(['spec', 'ports', 0, 'targetPort'])).toEqual({ line: 4, column: 5 })
    expect(doc.locate(['spec', 'selector'])).toEqual({ line: 3, column: 3 })
    expect(doc.locate([])).toEqual({ line: 1, column: 1 })
  })

  it('points at a key given without a value', () => {
    const result = parseManifests('kind: Service\nspec:\n  ports:\n')
    if (!result.ok) throw new Error('should parse')
    expect(result.documents[0].locate(['spec', 'ports'])).toEqual({ line: 3, column: 3 })
  })

  it('reports syntax errors with the parser\'s line and column and the document they are in', () => {
    const result = parseManifests('kind: A\n---\nkind: B\nspec:\n  - a\n   b: 1\n')
    expect(result.ok).toBe(false)
    if (result.ok) return
    // The parser notices at line 5; the slip is the deeper-indented line 6, so that is where we point.
    expect(result.errors).toEqual([{
      document: 2, line: 6, column: 4,
      message: 'Implicit keys need to be on a single line: the indentation of this line does not fit the line before it (line 5, column 5)',
    }])
  })

  it('keeps the parser\'s own position for other syntax errors', () => {
    const result = parseManifests('spec:\n  a: [1, 2\n')
    expect(result.ok ? [] : result.errors).toEqual([{ document: 1, line: 3, column: 1, message: 'Flow sequence in block collection must be sufficiently indented and end with a ]' }])
  })

  it('rejects duplicate keys as the API server\'s strict decoding does', () => {
    const result = parseManifests('kind: A\nkind: B\n')
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.errors[0]).toMatchObject({ line: 2, column: 1 })
  })
})
