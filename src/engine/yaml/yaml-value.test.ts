import { describe, expect, it } from 'vitest'
import { LineCounter, parseAllDocuments } from 'yaml'
import { YAML_MAX_DEPTH, parseYamlDocument, parseYamlDocuments } from './parse-yaml.ts'
import { yamlValue } from './yaml-value.ts'

/** The value of a one-document text, or `error at LINE:COL: MESSAGE`. */
function read(text: string): unknown {
  const lineCounter = new LineCounter()
  const doc = parseYamlDocument(text, { lineCounter })
  const at = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset)
    return `${line}:${col}`
  }
  if (doc.errors.length > 0) return `error at ${at(doc.errors[0].pos[0])}: ${doc.errors[0].message}`
  const r = yamlValue(doc)
  return r.ok ? r.value : `error at ${at(r.offset)}: ${r.message}`
}

/** The "billion laughs" ConfigMap: level N holds `fanout` aliases of level N-1. */
function laughs(levels: number, fanout: number): string {
  let text = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n  a0: &a0 [${Array(fanout).fill('lol').join(', ')}]\n`
  for (let l = 1; l <= levels; l++) text += `  a${l}: &a${l} [${Array(fanout).fill(`*a${l - 1}`).join(', ')}]\n`
  return text
}

describe('yamlValue: a YAML document as plain data', () => {
  it('gives what yaml.toJS gives for ordinary documents', () => {
    const texts = [
      'apiVersion: v1\nkind: Service\nmetadata: {name: web, labels: {app: nginx}}\nspec:\n  ports: [{port: 80, targetPort: 8080}]\n',
      'a: 1\nb: 1.5\nc: true\nd: ~\ne: "x"\nf: [1, [2, [3]]]\ng: {}\nh: []\n0x10: hex\n1e3: float\nnull: n\n',
      'labels: &l {app: web}\nselector: *l\nmore: [*l, *l]\n',
      '__proto__: {polluted: true}\nconstructor: x\ntoString: y\n',
      'text: |\n  line one\n  line two\nfolded: >\n  a\n  b\n',
      '? complex\n: value\n"quoted key": 1\n',
    ]
    for (const text of texts) {
      const expected = parseAllDocuments(text)[0]
      expect(read(text), text).toEqual((expected as { toJS(): unknown }).toJS())
    }
    const proto = read('__proto__: {polluted: true}\n') as Record<string, unknown>
    expect(Object.prototype.hasOwnProperty.call(proto, '__proto__')).toBe(true)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('expands each alias into its own copy', () => {
    const value = read('a: &x {k: [1]}\nb: *x\n') as { a: { k: number[] }; b: { k: number[] } }
    expect(value.b).toEqual({ k: [1] })
    expect(value.b).not.toBe(value.a)
  })

  it('accepts hundreds of ordinary aliases, as kubectl does (yaml.toJS refuses more than 100)', () => {
    const items = Array.from({ length: 300 }, (_, i) => `- {name: s${i}, labels: *l, selector: *l}`).join('\n')
    const text = `defaults: &l {app: web, tier: front}\nitems:\n${items}\n`
    expect(() => (parseAllDocuments(text)[0] as { toJS(): unknown }).toJS()).toThrow(/Excessive alias count/)
    const value = read(text) as { items: { labels: unknown }[] }
    expect(value.items).toHaveLength(300)
    expect(value.items[299].labels).toEqual({ app: 'web', tier: 'front' })
  })

  it("refuses a document that is mostly alias expansion with go-yaml's words, at the alias", () => {
    // Boundaries measured with kubectl 1.32 (kubectl create --dry-run=client -f): 2 levels of 18 decode,
    // 2 of 19 do not; 3 of 7 decode, 3 of 8 do not; 1 level of 200 decodes, 1 of 300 does not.
    expect(read(laughs(2, 18))).toMatchObject({ data: { a2: expect.any(Array) } })
    expect(read(laughs(2, 19))).toMatch(/^error at 7:\d+: document contains excessive aliasing$/)
    expect(read(laughs(3, 7))).toMatchObject({ data: { a3: expect.any(Array) } })
    expect(read(laughs(3, 8))).toMatch(/^error at 8:\d+: document contains excessive aliasing$/)
    expect(read(laughs(1, 200))).toMatchObject({ data: { a1: expect.any(Array) } })
    expect(read(laughs(1, 300))).toMatch(/^error at 6:\d+: document contains excessive aliasing$/)
    // A billion laughs stops as soon as the ratio is exceeded.
    expect(read(laughs(9, 9))).toMatch(/^error at \d+:\d+: document contains excessive aliasing$/)
  })

  it('refuses an anchor nothing defines and an alias inside its own anchor, at the alias', () => {
    expect(read('a: 1\nb: *nope\n')).toBe("error at 2:4: unknown anchor 'nope' referenced")
    expect(read('b: *later\nc: &later 1\n')).toBe("error at 1:4: unknown anchor 'later' referenced")
    expect(read('a: &x {b: *x}\n')).toBe("error at 1:11: anchor 'x' value contains itself")
    expect(read('a: &x [1, [2, *x]]\n')).toBe("error at 1:15: anchor 'x' value contains itself")
  })

  it('an alias refers to the last node with its anchor before it', () => {
    expect(read('a: &x 1\nb: *x\nc: &x 2\nd: *x\n')).toEqual({ a: 1, b: 1, c: 2, d: 2 })
    // Inside an expansion the alias keeps the binding it has in the text.
    expect(read('a: &x 1\nb: &y [*x]\nc: &x 2\nd: *y\n')).toEqual({ a: 1, b: [1], c: 2, d: [1] })
  })

  it('refuses a collection as a mapping key', () => {
    expect(read('? [a, b]\n: 1\n')).toBe('error at 1:3: invalid map key: ["a","b"]')
  })

  it('keeps expanded values within the nesting bound', () => {
    const deep = `${'['.repeat(200)}${']'.repeat(200)}`
    expect(read(`a: &a ${deep}\nb: *a\n`)).toMatchObject({ a: expect.any(Array) })
    expect(read(`a: &a ${deep}\nb: ${'['.repeat(60)}*a${']'.repeat(60)}\n`))
      .toMatch(new RegExp(`^error at 2:\\d+: exceeded max depth of ${YAML_MAX_DEPTH}$`))
  })

  it('merges `<<` keys in YAML 1.1 documents, explicit keys winning; in YAML 1.2 `<<` is an ordinary key', () => {
    const text = 'base: &b {a: 1, b: 2}\nother: &o {b: 3, c: 4}\nm:\n  <<: [*b, *o]\n  a: 9\n'
    expect(read(`%YAML 1.1\n---\n${text}`)).toMatchObject({ m: { a: 9, b: 2, c: 4 } })
    expect(read(text)).toMatchObject({ m: { '<<': [{ a: 1, b: 2 }, { b: 3, c: 4 }], a: 9 } })
  })
})

describe('parseYamlDocuments: nesting is bounded before a document is composed', () => {
  it(`reads ${YAML_MAX_DEPTH} levels and refuses one more with kubectl's words, at the collection too deep`, () => {
    const nested = (n: number) => `a: ${'['.repeat(n)}${']'.repeat(n)}\n`
    expect(read(nested(YAML_MAX_DEPTH - 1))).toMatchObject({ a: expect.any(Array) })
    expect(read(nested(YAML_MAX_DEPTH))).toBe(`error at 1:${4 + YAML_MAX_DEPTH - 1}: exceeded max depth of ${YAML_MAX_DEPTH}`)
    const block = Array.from({ length: YAML_MAX_DEPTH + 5 }, (_, i) => `${' '.repeat(i)}k:`).join('\n')
    expect(read(block)).toMatch(new RegExp(`^error at ${YAML_MAX_DEPTH + 1}:${YAML_MAX_DEPTH + 1}: exceeded max depth`))
  })

  it('a 20,000-deep flow sequence is a depth error, not a stack overflow', () => {
    expect(read(`a: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`)).toMatch(/^error at 1:\d+: exceeded max depth of \d+$/)
  })

  it('only the document nested too deeply is refused; the others are read', () => {
    const docs = parseYamlDocuments(`a: 1\n---\nb: ${'['.repeat(300)}${']'.repeat(300)}\n---\nc: 3\n`)
    expect(docs.map((d) => d.errors.map((e) => e.message))).toEqual([[], [`exceeded max depth of ${YAML_MAX_DEPTH}`], []])
    expect(docs.map((d) => yamlValue(d))).toMatchObject([{ ok: true, value: { a: 1 } }, { ok: true, value: null }, { ok: true, value: { c: 3 } }])
  })

  it('parseYamlDocument reports more than one document as yaml does', () => {
    expect(parseYamlDocument('a: 1\n---\nb: 2\n').errors.map((e) => e.code)).toEqual(['MULTIPLE_DOCS'])
    expect(parseYamlDocuments('')).toEqual([])
  })
})
