/** What applying manifests reports: errors with their place in the text, and what was applied or skipped. */

export interface ManifestError {
  /** 1-based index of the YAML document. */
  document: number
  /** 1-based. */
  line: number
  /** 1-based. */
  column: number
  /** Field path, e.g. `spec.ports[0].port`; "" for YAML syntax errors. */
  path: string
  /** The API server's (or the YAML parser's) words, e.g. `The Service "web" is invalid: spec.ports: Required value`. */
  message: string
  kind?: string
  name?: string
}

export interface AppliedObject {
  kind: string
  namespace?: string
  name: string
  action: 'created' | 'configured' | 'unchanged'
}

export interface SkippedDocument {
  document: number
  apiVersion: string
  kind: string
  line: number
  reason: string
}

export type ApplyOutcome =
  | { ok: true; applied: AppliedObject[]; skipped: SkippedDocument[] }
  | { ok: false; errors: ManifestError[] }

/** The one text the app and the CLI show for an error: `document 2, line 14, column 15: The Service ...`. */
export function formatManifestError(e: ManifestError): string {
  return `document ${e.document}, line ${e.line}, column ${e.column}: ${e.message}`
}

/** An invalid action on the cluster (unknown object, forbidden deletion, bad replica count). */
export class ClusterError extends Error {
  override name = 'ClusterError'
}
