/**
 * Field errors as the API server words them (k8s.io/apimachinery/pkg/util/validation/field), so a learner
 * sees the message kubectl would print: `spec.ports[0].port: Invalid value: 70000: must be between 1 and
 * 65535, inclusive`.
 */
import type { FieldPath } from '../../scenario/parse-manifests.ts'

export type FieldErrorType = 'Required' | 'Invalid' | 'NotSupported' | 'Duplicate' | 'Forbidden' | 'NotFound' | 'TooLong'

export interface FieldError {
  type: FieldErrorType
  path: FieldPath
  value?: unknown
  detail?: string
  /** A complete message that replaces the field-error wording (e.g. `namespaces "foo" not found`). */
  raw?: string
  /**
   * Where to point in the text when that differs from `path` (the API server names `spec.clusterIPs` after
   * defaulting it from the `spec.clusterIP` the user wrote): the first of these paths present in the manifest.
   */
  at?: FieldPath[]
}

export const required = (path: FieldPath, detail?: string): FieldError => ({ type: 'Required', path, detail })
export const invalid = (path: FieldPath, value: unknown, detail: string): FieldError => ({ type: 'Invalid', path, value, detail })
export const forbidden = (path: FieldPath, detail: string): FieldError => ({ type: 'Forbidden', path, detail })
export const duplicate = (path: FieldPath, value: unknown): FieldError => ({ type: 'Duplicate', path, value })
export const notSupported = (path: FieldPath, value: unknown, supported: readonly string[]): FieldError => ({
  type: 'NotSupported',
  path,
  value,
  detail: `supported values: ${[...supported].sort().map((s) => JSON.stringify(s)).join(', ')}`,
})
export const rawError = (path: FieldPath, message: string): FieldError => ({ type: 'Invalid', path, raw: message })
/** The same error pointing at the first of `at` that the manifest has. */
export const pointingAt = (e: FieldError, ...at: FieldPath[]): FieldError => ({ ...e, at })

/** `spec.ports[0].port` from `['spec', 'ports', 0, 'port']`. */
export function formatPath(path: FieldPath): string {
  let out = ''
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`
    else out += out === '' ? segment : `.${segment}`
  }
  return out
}

const typeText: Record<FieldErrorType, string> = {
  Required: 'Required value',
  Invalid: 'Invalid value',
  NotSupported: 'Unsupported value',
  Duplicate: 'Duplicate value',
  Forbidden: 'Forbidden',
  NotFound: 'Not found',
  TooLong: 'Too long',
}

/** The value as Go's validation prints it: strings quoted, numbers bare, maps as `map[string]string{...}`. */
export function formatValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value)
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  if (value === null || value === undefined) return 'null'
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v === 'string')) return `[]string{${value.map((v) => JSON.stringify(v)).join(', ')}}`
    return JSON.stringify(value)
  }
  const entries = Object.entries(value as Record<string, unknown>)
  if (entries.every(([, v]) => typeof v === 'string')) {
    return `map[string]string{${entries.sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(', ')}}`
  }
  return JSON.stringify(value)
}

/** The error text without the object preamble: `spec.ports: Required value`. */
export function formatFieldError(e: FieldError): string {
  if (e.raw !== undefined) return e.raw
  const withValue = e.type === 'Invalid' || e.type === 'NotSupported' || e.type === 'Duplicate' || e.type === 'NotFound'
  let body = typeText[e.type]
  if (withValue) body += `: ${formatValue(e.value)}`
  if (e.detail) body += `: ${e.detail}`
  return `${formatPath(e.path)}: ${body}`
}
