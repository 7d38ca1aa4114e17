/**
 * YAML text to `yaml` Documents, as the `yaml` package's parseAllDocuments/parseDocument do, with a bound on
 * nesting checked before a document is composed: the composer recurses once per level and runs out of stack
 * near a thousand levels (a 20,000-deep `[[[...` once came back as "Maximum call stack size exceeded" at an
 * arbitrary column). kubectl's YAML reader (go-yaml) refuses more than 10,000 levels with
 * `exceeded max depth of 10000`; this reader refuses more than YAML_MAX_DEPTH with the same words, at the
 * collection that goes too deep. No Kubernetes object comes near either bound.
 *
 * Errors are never prettified: their `pos` is an offset, for `lineCounter.linePos` (pass a LineCounter in
 * the options to get one filled in). Turn a document into plain data with yamlValue (yaml-value.ts).
 */
import { Composer, LineCounter, Parser, YAMLParseError } from 'yaml'
import type { CST, Document, DocumentOptions, ParseOptions, SchemaOptions } from 'yaml'

/** The deepest nesting of collections (after alias expansion, see yaml-value.ts) a YAML text may have. */
export const YAML_MAX_DEPTH = 256

export type YamlOptions = ParseOptions & DocumentOptions & SchemaOptions

/** The error of a collection nested deeper than YAML_MAX_DEPTH, starting at `offset`. */
function depthError(offset: number): YAMLParseError {
  return new YAMLParseError([offset, offset + 1], 'RESOURCE_EXHAUSTION', `exceeded max depth of ${YAML_MAX_DEPTH}`)
}

/** Every document of the text (an empty text gives none); a document nested too deeply holds only that error. */
export function parseYamlDocuments(text: string, options: YamlOptions = {}): Document.Parsed[] {
  return compose(text, options, false)
}

/** The text's only document, as yaml's parseDocument (more than one is an error of the first). */
export function parseYamlDocument(text: string, options: YamlOptions = {}): Document.Parsed {
  return compose(text, options, true)[0]
}

function compose(text: string, options: YamlOptions, single: boolean): Document.Parsed[] {
  const lineCounter = options.lineCounter ?? new LineCounter()
  const parser = new Parser(lineCounter.addNewLine)
  const composer = new Composer(options)
  const tooDeep = new Map<number, number>()
  let index = 0
  function* guarded(tokens: Generator<CST.Token>): Generator<CST.Token> {
    for (const token of tokens) {
      if (token.type === 'document') {
        const offset = token.value ? deepestOffset(token.value) : undefined
        if (offset !== undefined) {
          tooDeep.set(index, offset)
          yield { ...token, value: undefined }
        } else {
          yield token
        }
        index++
      } else {
        yield token
      }
    }
  }
  const docs: Document.Parsed[] = []
  const tokens = guarded(parser.parse(text))
  for (const doc of single ? composer.compose(tokens, true, text.length) : composer.compose(tokens)) {
    if (single && docs.length === 1) {
      docs[0].errors.push(new YAMLParseError([doc.range[0], doc.range[1]], 'MULTIPLE_DOCS', 'Source contains multiple documents; please use YAML.parseAllDocuments()'))
      break
    }
    docs.push(doc)
  }
  docs.forEach((doc, i) => {
    const offset = tooDeep.get(i)
    if (offset !== undefined) doc.errors.unshift(depthError(offset))
  })
  return docs
}

/** Where the first collection deeper than YAML_MAX_DEPTH starts, walking the syntax tree without recursion. */
function deepestOffset(root: CST.Token): number | undefined {
  const stack: [CST.Token, number][] = [[root, 0]]
  while (stack.length > 0) {
    const [token, depth] = stack.pop()!
    if (token.type !== 'block-map' && token.type !== 'block-seq' && token.type !== 'flow-collection') continue
    if (depth + 1 > YAML_MAX_DEPTH) return token.offset
    for (const item of token.items) {
      if ('key' in item && item.key) stack.push([item.key, depth + 1])
      if (item.value) stack.push([item.value, depth + 1])
    }
  }
  return undefined
}
