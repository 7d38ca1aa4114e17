/**
 * Generated names as Kubernetes makes them: the "safe" alphabet of k8s.io/apimachinery's util/rand
 * (no vowels, no confusable characters, so generated names never spell words), FNV-32a template hashes
 * rendered as ReplicaSets' `pod-template-hash`, and UIDs.
 */
import type { Rng } from '../random.ts'

/** utilrand's alphanums: "bcdfghjklmnpqrstvwxz2456789". */
export const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789'

/** Five random safe characters: the suffix `generateName` adds (`nginx-deployment-7c5ddbdf54-2xk9q`). */
export function randomSuffix(rng: Rng, length = 5): string {
  return rng.string(length, SAFE_ALPHABET)
}

/**
 * rand.SafeEncodeString: every byte of the text mapped to the alphabet (byte mod 27). Kubernetes applies it
 * to the decimal form of the 32-bit FNV hash, which is why template hashes only hold 4-9 and b, c, d, f.
 */
export function safeEncodeString(text: string): string {
  let out = ''
  for (let i = 0; i < text.length; i++) out += SAFE_ALPHABET[text.charCodeAt(i) % SAFE_ALPHABET.length]
  return out
}

/** FNV-1a, 32 bit, over the UTF-16 code units' low bytes and high bytes (stable, fast, dependency-free). */
export function fnv32a(text: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    hash ^= code & 0xff
    hash = Math.imul(hash, 0x01000193)
    if (code > 0xff) {
      hash ^= code >>> 8
      hash = Math.imul(hash, 0x01000193)
    }
  }
  return hash >>> 0
}

/**
 * The `pod-template-hash` of a Deployment's ReplicaSet. Kubernetes hashes the Go struct of the template with
 * FNV-32a and SafeEncodes the decimal; we hash the template's canonical JSON (plus the cluster seed, so a
 * different seed gives different names), which keeps the property that matters: stable per template,
 * different when the template changes, and the same look (`7c5ddbdf54`).
 */
export function podTemplateHash(template: unknown, seed: number): string {
  return safeEncodeString(String(fnv32a(`${seed}:${canonicalJson(template)}`)))
}

/** JSON with object keys sorted, so equal values give equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
  }
  return JSON.stringify(value)
}

/** A version-4-shaped UUID drawn from the seeded generator. */
export function randomUid(rng: Rng): string {
  const hex = rng.string(32, '0123456789abcdef').split('')
  hex[12] = '4'
  hex[16] = '89ab'[rng.int(4)]
  const h = hex.join('')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}
