/**
 * Share links: a scenario document in the URL fragment, `#s=` + base64url(deflate(JSON)).
 *
 * The fragment never reaches a server, and anyone can craft one, so decoding is defensive at every layer:
 * the fragment's length is capped before anything is decoded, base64url is checked character by character,
 * inflation stops as soon as the output passes a cap (a zip bomb of a few KB can expand to gigabytes), the
 * bytes must be valid UTF-8, and the text goes through the scenario document's full validation.
 */
import { Inflate, deflateSync } from 'fflate'
import { documentToData, parseScenarioDocument, type DocumentError, type ScenarioDocument } from '../engine/scenario/document.ts'

export const FRAGMENT_KEY = 's'
/** Longer fragments are refused unread. Browsers cap URLs near 2 MB anyway. */
export const MAX_FRAGMENT_CHARS = 2 * 1024 * 1024
/** The inflated document's cap (the document's own text limit). */
export const MAX_INFLATED_BYTES = 2 * 1024 * 1024

export type ShareDecodeResult =
  | { ok: true; doc: ScenarioDocument }
  | { ok: false; message: string; errors?: DocumentError[] }

/** The fragment (with its `#`) that opens this document. */
export function encodeShareFragment(doc: ScenarioDocument): string {
  const json = JSON.stringify(documentToData(doc))
  const packed = deflateSync(new TextEncoder().encode(json), { level: 9 })
  return `#${FRAGMENT_KEY}=${toBase64Url(packed)}`
}

/** Whether the fragment claims to be a share link (whatever its payload's state). */
export function isShareFragment(hash: string): boolean {
  return hash.startsWith(`#${FRAGMENT_KEY}=`)
}

/** Reads a `#s=…` fragment back into a validated document, or says what is wrong with it. */
export function decodeShareFragment(hash: string): ShareDecodeResult {
  if (!isShareFragment(hash)) return { ok: false, message: 'it is not a scenario link' }
  if (hash.length > MAX_FRAGMENT_CHARS) {
    return { ok: false, message: `it is too long (${Math.round(hash.length / 1024)} KB; at most ${MAX_FRAGMENT_CHARS / 1024} KB)` }
  }
  const payload = hash.slice(FRAGMENT_KEY.length + 2)
  if (payload === '') return { ok: false, message: 'it holds no scenario' }
  const bytes = fromBase64Url(payload)
  if (!bytes) return { ok: false, message: 'its data is not valid base64url' }
  const inflated = inflateCapped(bytes, MAX_INFLATED_BYTES)
  if (!inflated.ok) return inflated
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(inflated.bytes)
  } catch {
    return { ok: false, message: 'its data is not UTF-8 text' }
  }
  const parsed = parseScenarioDocument(text)
  if (!parsed.ok) {
    const first = parsed.errors[0]
    return { ok: false, message: `the scenario is not valid: ${first.path ? `${first.path}: ` : ''}${first.message}`, errors: parsed.errors }
  }
  return { ok: true, doc: parsed.doc }
}

/** Inflates in small slices so that the output is checked against the cap long before memory runs out. */
export function inflateCapped(bytes: Uint8Array, cap: number): { ok: true; bytes: Uint8Array } | { ok: false; message: string } {
  const chunks: Uint8Array[] = []
  let total = 0
  let ended = false
  let tooBig = false
  const inflater = new Inflate((chunk, final) => {
    total += chunk.length
    if (total > cap) { tooBig = true; return }
    chunks.push(chunk)
    if (final) ended = true
  })
  // One input byte inflates to at most ~1032 bytes, so a 1 KB slice cannot overshoot the cap by much.
  const SLICE = 1024
  try {
    for (let i = 0; i < bytes.length && !tooBig; i += SLICE) {
      inflater.push(bytes.subarray(i, Math.min(bytes.length, i + SLICE)), i + SLICE >= bytes.length)
    }
  } catch (e) {
    return { ok: false, message: `its compressed data is damaged (${e instanceof Error ? e.message : String(e)})` }
  }
  if (tooBig) return { ok: false, message: `it expands to more than ${cap / 1024 / 1024} MB` }
  if (!ended) return { ok: false, message: 'its compressed data is cut short' }
  const out = new Uint8Array(total)
  let at = 0
  for (const c of chunks) { out.set(c, at); at += c.length }
  return { ok: true, bytes: out }
}

export function toBase64Url(bytes: Uint8Array): string {
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

export function fromBase64Url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]+$/.test(text) || text.length % 4 === 1) return null
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4)
  try {
    const binary = atob(b64)
    const out = new Uint8Array(binary.length)
    for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i)
    return out
  } catch {
    return null
  }
}
