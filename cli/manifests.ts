/**
 * Manifest files as the CLI commands load them, with the messages kubectl-like users expect: an unreadable
 * path, apply errors (prefixed by the file when several were given) and skipped documents as warnings.
 */
import type { CliIO } from './io.ts'
import { formatManifestError } from '../src/engine/cluster/cluster.ts'
import type { ApplyOutcome } from '../src/engine/cluster/manifest-error.ts'

/** The file's text, or undefined after reporting why it cannot be read. */
export function readManifestFile(file: string, io: CliIO): string | undefined {
  try {
    return io.readFile(file)
  } catch (e) {
    io.err(`error: the path "${file}" cannot be read: ${(e as Error).message}\n`)
    return undefined
  }
}

/**
 * Apply one file's text to a Cluster or Simulation. Returns false after printing the errors; skipped
 * documents are printed as warnings. `fileCount` decides whether errors name the file.
 */
export function applyManifestText(target: { apply(text: string): ApplyOutcome }, file: string, text: string, fileCount: number, io: CliIO): boolean {
  const outcome = target.apply(text)
  if (!outcome.ok) {
    const where = fileCount > 1 ? `${file}: ` : ''
    io.err(outcome.errors.map((e) => `error: ${where}${formatManifestError(e)}\n`).join(''))
    return false
  }
  for (const s of outcome.skipped) io.err(`warning: ${file}: document ${s.document} (line ${s.line}): skipped: ${s.reason}\n`)
  return true
}

/** Read and apply files in order, stopping at the first that cannot be read or applied (false). */
export function applyManifestFiles(target: { apply(text: string): ApplyOutcome }, files: readonly string[], io: CliIO): boolean {
  for (const file of files) {
    const text = readManifestFile(file, io)
    if (text === undefined || !applyManifestText(target, file, text, files.length, io)) return false
  }
  return true
}
