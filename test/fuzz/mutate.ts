/**
 * Inputs for the parsers' properties: real texts (manifests, lessons, kube-proxy's rules...) damaged by a few
 * edits, words of the input's language strung together, and plain random text. Damaged real text reaches
 * far deeper into a parser than noise does; the edits shrink well when fast-check looks for the smallest
 * failing input.
 */
import fc from 'fast-check'

export type Edit =
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'duplicateLine'; at: number }
  | { kind: 'dropLine'; at: number }
  | { kind: 'swapLines'; at: number; with: number }

/** The text with the edits applied in order (positions wrap around the text's length). */
export function applyEdits(text: string, edits: readonly Edit[]): string {
  let out = text
  for (const e of edits) {
    if (e.kind === 'insert') {
      const at = out.length === 0 ? 0 : e.at % (out.length + 1)
      out = out.slice(0, at) + e.text + out.slice(at)
    } else if (e.kind === 'delete') {
      if (out.length === 0) continue
      const at = e.at % out.length
      out = out.slice(0, at) + out.slice(at + e.length)
    } else {
      const lines = out.split('\n')
      const i = e.at % lines.length
      if (e.kind === 'duplicateLine') lines.splice(i, 0, lines[i])
      else if (e.kind === 'dropLine') lines.splice(i, 1)
      else {
        const j = e.with % lines.length
        ;[lines[i], lines[j]] = [lines[j], lines[i]]
      }
      out = lines.join('\n')
    }
  }
  return out
}

/** One edit, inserting the language's words (or any characters). */
export function edit(words: readonly string[]): fc.Arbitrary<Edit> {
  const at = fc.nat({ max: 1_000_000 })
  const text = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...words) },
    { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 4 }) },
  )
  return fc.oneof(
    { weight: 5, arbitrary: fc.record({ kind: fc.constant('insert' as const), at, text }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('delete' as const), at, length: fc.integer({ min: 1, max: 12 }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('duplicateLine' as const), at }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('dropLine' as const), at }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('swapLines' as const), at, with: at }) },
  )
}

/** A real text damaged by up to `maxEdits` edits. */
export function damaged(seeds: readonly string[], words: readonly string[], maxEdits = 6): fc.Arbitrary<string> {
  return fc.tuple(fc.constantFrom(...seeds), fc.array(edit(words), { maxLength: maxEdits })).map(([seed, edits]) => applyEdits(seed, edits))
}

/** Words of the language, separated by blanks (or nothing), up to `maxWords` of them. */
export function wordSoup(words: readonly string[], maxWords = 14): fc.Arbitrary<string> {
  return fc.tuple(fc.array(fc.constantFrom(...words), { maxLength: maxWords }), fc.constantFrom(' ', ' ', '', '\n'))
    .map(([ws, sep]) => ws.join(sep))
}

/** Damaged real text most of the time, then word soup, then anything. */
export function textInput(seeds: readonly string[], words: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 6, arbitrary: damaged(seeds, words) },
    { weight: 2, arbitrary: wordSoup(words) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  )
}
