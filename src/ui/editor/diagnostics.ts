import type { Text } from '@codemirror/state'
import type { Diagnostic } from '@codemirror/lint'
import type { ManifestError } from '../../engine/cluster/cluster.ts'

/**
 * Places manifest errors in the editor's text: from the error's line and column (both 1-based, as the
 * engine reports them) to the end of that line, clamped so a stale error can never point past the text.
 */
export function manifestDiagnostics(doc: Text, errors: readonly ManifestError[], format: (e: ManifestError) => string): Diagnostic[] {
  return errors.map((error) => {
    const line = doc.line(Math.min(Math.max(1, error.line), doc.lines))
    const from = Math.min(line.from + Math.max(0, error.column - 1), line.to)
    const to = line.to > from ? line.to : Math.min(from + 1, doc.length)
    return { from, to, severity: 'error', message: format(error), source: error.path || undefined }
  })
}
