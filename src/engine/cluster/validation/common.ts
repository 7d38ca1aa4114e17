/**
 * Reading untyped manifest data into typed objects while collecting API-server-style field errors.
 * Type mismatches (a string where a number belongs) are reported as the field's error rather than thrown.
 */
import type { FieldPath } from '../../scenario/parse-manifests.ts'
import type { FieldError } from './field-error.ts'
import { invalid, rawError, required } from './field-error.ts'

export type Raw = Record<string, unknown>

export function isRaw(value: unknown): value is Raw {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

export class Reader {
  readonly errors: FieldError[] = []
  /**
   * The API server could not decode the object into its Go type (a number out of an int32 field's range):
   * it answers with this alone, before any validation.
   */
  decodeError?: FieldError

  add(error: FieldError): void {
    this.errors.push(error)
  }

  map(obj: Raw | undefined, key: string, path: FieldPath): Raw | undefined {
    const v = obj?.[key]
    if (v === undefined || v === null) return undefined
    if (!isRaw(v)) { this.add(invalid([...path, key], v, 'must be an object')); return undefined }
    return v
  }

  list(obj: Raw | undefined, key: string, path: FieldPath): unknown[] | undefined {
    const v = obj?.[key]
    if (v === undefined || v === null) return undefined
    if (!Array.isArray(v)) { this.add(invalid([...path, key], v, 'must be a list')); return undefined }
    return v
  }

  string(obj: Raw | undefined, key: string, path: FieldPath): string | undefined {
    const v = obj?.[key]
    if (v === undefined || v === null) return undefined
    if (typeof v !== 'string') { this.add(invalid([...path, key], v, 'must be a string')); return undefined }
    return v
  }

  requiredString(obj: Raw | undefined, key: string, path: FieldPath): string | undefined {
    const v = this.string(obj, key, path)
    if (v === undefined || v === '') { if (!(key in (obj ?? {})) || v === '') this.add(required([...path, key])); return undefined }
    return v
  }

  integer(obj: Raw | undefined, key: string, path: FieldPath): number | undefined {
    const v = obj?.[key]
    if (v === undefined || v === null) return undefined
    if (typeof v !== 'number' || !Number.isInteger(v)) { this.add(invalid([...path, key], v, 'must be an integer')); return undefined }
    return v
  }

  /**
   * An int32 field (`replicas`): out of range, the API server's JSON decoding fails with
   * `Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal number 4294967296
   * into Go struct field DeploymentSpec.spec.replicas of type int32`.
   */
  int32(obj: Raw | undefined, key: string, path: FieldPath, type: { kind: string; version: string; goStruct: string }): number | undefined {
    const v = this.integer(obj, key, path)
    if (v === undefined || (v >= -(2 ** 31) && v < 2 ** 31)) return v
    const field = [...path, key].join('.')
    this.decodeError ??= rawError([...path, key], `${type.kind} in version "${type.version}" cannot be handled as a ${type.kind}: json: cannot unmarshal number ${v} into Go struct field ${type.goStruct}.${field} of type int32`)
    return undefined
  }

  boolean(obj: Raw | undefined, key: string, path: FieldPath): boolean | undefined {
    const v = obj?.[key]
    if (v === undefined || v === null) return undefined
    if (typeof v !== 'boolean') { this.add(invalid([...path, key], v, 'must be a boolean')); return undefined }
    return v
  }

  stringMap(obj: Raw | undefined, key: string, path: FieldPath): Record<string, string> | undefined {
    const m = this.map(obj, key, path)
    if (!m) return undefined
    const out: Record<string, string> = {}
    for (const [k, v] of Object.entries(m)) {
      if (typeof v === 'string') out[k] = v
      else if (v === null) out[k] = ''
      else this.add(invalid([...path, key, k], v, 'must be a string'))
    }
    return out
  }

  stringList(obj: Raw | undefined, key: string, path: FieldPath): string[] | undefined {
    const l = this.list(obj, key, path)
    if (!l) return undefined
    const out: string[] = []
    l.forEach((v, i) => {
      if (typeof v === 'string') out.push(v)
      else this.add(invalid([...path, key, i], v, 'must be a string'))
    })
    return out
  }
}

// ------------------------------------------------------------------------- names (apimachinery validation)

const dns1123LabelRe = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/
const dns1123SubdomainRe = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/
const dns1035LabelRe = /^[a-z]([-a-z0-9]*[a-z0-9])?$/

export type NameCheck = (name: string) => string[]

export const dns1123Subdomain: NameCheck = (name) => {
  const out: string[] = []
  if (name.length > 253) out.push('must be no more than 253 characters')
  if (!dns1123SubdomainRe.test(name)) {
    out.push("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")
  }
  return out
}

export const dns1123Label: NameCheck = (name) => {
  const out: string[] = []
  if (name.length > 63) out.push('must be no more than 63 characters')
  if (!dns1123LabelRe.test(name)) {
    out.push("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')")
  }
  return out
}

export const dns1035Label: NameCheck = (name) => {
  const out: string[] = []
  if (name.length > 63) out.push('must be no more than 63 characters')
  if (!dns1035LabelRe.test(name)) {
    out.push("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')")
  }
  return out
}

/** IANA service names (named ports): at most 15 characters, letters, digits and single inner hyphens. */
export function ianaSvcName(name: string): string[] {
  const out: string[] = []
  if (name.length > 15) out.push('must be no more than 15 characters')
  if (!/^[-a-z0-9]+$/.test(name)) out.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)')
  if (name.includes('--')) out.push('must not contain consecutive hyphens')
  if (!/[a-z]/.test(name)) out.push('must contain at least one letter (a-z)')
  if (name.startsWith('-') || name.endsWith('-')) out.push('must not begin or end with a hyphen')
  return out
}

const qualifiedNameRe = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/
const labelValueRe = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/

export function validateLabels(labels: Record<string, string> | undefined, path: FieldPath, r: Reader): void {
  for (const [key, value] of Object.entries(labels ?? {})) {
    const slash = key.lastIndexOf('/')
    const prefix = slash >= 0 ? key.slice(0, slash) : undefined
    const name = slash >= 0 ? key.slice(slash + 1) : key
    if (prefix !== undefined && dns1123Subdomain(prefix).length > 0) {
      r.add(invalid(path, key, 'prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\', and must start and end with an alphanumeric character'))
    }
    if (name.length > 63 || !qualifiedNameRe.test(name)) {
      r.add(invalid(path, key, "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"))
    }
    if (value.length > 63 || !labelValueRe.test(value)) {
      // ValidateLabels names the labels map itself; we point at the offending value.
      r.add({ ...invalid(path, value, "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"), at: [[...path, key]] })
    }
  }
}

export function checkPortNumber(port: number | undefined, path: FieldPath, r: Reader): void {
  if (port !== undefined && (port < 1 || port > 65535)) r.add(invalid(path, port, 'must be between 1 and 65535, inclusive'))
}

export const PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const
