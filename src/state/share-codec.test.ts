import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { deflateSync } from 'fflate'
import { describe, expect, it } from 'vitest'
import { parseScenarioDocument, scenarioDocument } from '../engine/scenario/document.ts'
import { decodeShareFragment, encodeShareFragment, inflateCapped, toBase64Url, MAX_FRAGMENT_CHARS } from './share-codec.ts'

const doc = scenarioDocument(
  { seed: 5, operations: [{ type: 'apply', yaml: 'kind: Namespace\n' }, { type: 'sendPacket', from: 'default/a', to: 'default/b', port: 80, proto: 'tcp' }] },
  { metadata: { name: 'demo', title: 'Ünïcode “title”' }, step: { hop: 4 } },
)

const fragmentOf = (text: string) => `#s=${toBase64Url(deflateSync(new TextEncoder().encode(text)))}`

describe('share links', () => {
  it('round-trips a document through the fragment', () => {
    const hash = encodeShareFragment(doc)
    expect(hash).toMatch(/^#s=[A-Za-z0-9_-]+$/)
    expect(decodeShareFragment(hash)).toEqual({ ok: true, doc })
  })

  it('refuses malformed base64', () => {
    expect(decodeShareFragment('#s=abc$%^')).toMatchObject({ ok: false, message: expect.stringMatching(/base64url/) })
  })

  it('refuses truncated deflate data', () => {
    const hash = encodeShareFragment(doc)
    const result = decodeShareFragment(hash.slice(0, Math.floor(hash.length / 2)))
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.message).toMatch(/cut short|damaged|base64url/)
  })

  it('refuses a zip bomb without inflating it whole', () => {
    const bomb = new Uint8Array(64 * 1024 * 1024) // 64 MB of zeros deflate to ~64 KB
    const hash = `#s=${toBase64Url(deflateSync(bomb))}`
    expect(hash.length).toBeLessThan(MAX_FRAGMENT_CHARS)
    expect(decodeShareFragment(hash)).toMatchObject({ ok: false, message: expect.stringMatching(/expands to more than 2 MB/) })
  })

  it('caps the inflated size even for a single small slice', () => {
    const packed = deflateSync(new Uint8Array(100_000))
    expect(inflateCapped(packed, 50_000).ok).toBe(false)
    expect(inflateCapped(packed, 100_000).ok).toBe(true)
  })

  it('refuses an oversized fragment before decoding it', () => {
    expect(decodeShareFragment(`#s=${'A'.repeat(MAX_FRAGMENT_CHARS)}`)).toMatchObject({ ok: false, message: expect.stringMatching(/too long/) })
  })

  it('refuses invalid UTF-8 and wrong types with the document’s error', () => {
    const badUtf8 = `#s=${toBase64Url(deflateSync(new Uint8Array([0xff, 0xfe, 0x00])))}`
    expect(decodeShareFragment(badUtf8)).toMatchObject({ ok: false, message: expect.stringMatching(/UTF-8/) })
    const wrong = fragmentOf(JSON.stringify({ apiVersion: 'kube-proxy-visualizer.dev/v1', kind: 'Scenario', metadata: { name: 'x' }, seed: 'seven' }))
    expect(decodeShareFragment(wrong)).toMatchObject({ ok: false, message: expect.stringMatching(/seed: expected a whole number/) })
  })

  it('refuses script in names', () => {
    const hostile = fragmentOf(JSON.stringify({ apiVersion: 'kube-proxy-visualizer.dev/v1', kind: 'Scenario', metadata: { name: '<script>alert(1)</script>' } }))
    expect(decodeShareFragment(hostile)).toMatchObject({ ok: false, message: expect.stringMatching(/metadata.name/) })
  })
})

describe('the built-in lessons as links', () => {
  const dir = new URL('../../scenarios/lessons/', import.meta.url)
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.yaml')) : []
  it.each(files)('%s reopens from its link unchanged', (file) => {
    const parsed = parseScenarioDocument(readFileSync(new URL(file, dir), 'utf8'))
    if (!parsed.ok) throw new Error(`${file}: ${JSON.stringify(parsed.errors[0])}`)
    const hash = encodeShareFragment(parsed.doc)
    expect(hash.length).toBeLessThan(MAX_FRAGMENT_CHARS)
    expect(decodeShareFragment(hash)).toEqual({ ok: true, doc: parsed.doc })
  })
})
