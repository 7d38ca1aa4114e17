/**
 * Reads the `add …` lines knftables writes (a transaction or knftables.Fake.Dump() output) back into a
 * table: the way to state "what is in the kernel" from upstream's tests (nft.ParseDump). Only the object
 * forms knftables produces are understood; anything else is an error naming the line.
 */
import { applyTransaction } from './transaction.ts'
import type { NftOp } from './transaction.ts'
import { emptyTable } from './model.ts'
import type { NftElement, NftFamily, NftHook, NftTable } from './model.ts'

export class NftParseError extends Error {}

const COMMENT_TAIL = / comment "([^"]*)"$/

function blockFields(body: string): Record<string, string> {
  const fields: Record<string, string> = {}
  for (const part of body.split(' ; ').map((p) => p.replace(/ ;$/, '').trim()).filter(Boolean)) {
    const m = /^(\w+) (.*)$/.exec(part)
    if (m) fields[m[1]] = m[2]
  }
  return fields
}

function parseElement(body: string, isMap: boolean, line: number): NftElement {
  let keyText = body
  let value: string[] | undefined
  if (isMap) {
    const i = body.lastIndexOf(' : ')
    if (i < 0) throw new NftParseError(`line ${line}: map element without a value: ${body}`)
    keyText = body.slice(0, i)
    value = body.slice(i + 3).split(' . ')
  }
  let comment: string | undefined
  const c = COMMENT_TAIL.exec(keyText)
  if (c) {
    comment = c[1]
    keyText = keyText.slice(0, c.index)
  }
  const element: NftElement = { key: keyText.split(' . ') }
  if (value) element.value = value
  if (comment !== undefined) element.comment = comment
  return element
}

/** The operations of a knftables transaction text (blank lines and `#` comments ignored). */
export function parseTransaction(text: string): { family: NftFamily; table: string; ops: NftOp[] } {
  let family: NftFamily = 'ip'
  let table = ''
  const ops: NftOp[] = []
  const kinds = new Map<string, 'set' | 'map'>()
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim()
    if (line === '' || line.startsWith('#')) return
    const m = /^(add|flush|delete) (table|chain|set|map|rule|element) (ip6?|inet) (\S+)(?: (.*))?$/.exec(line)
    if (!m) throw new NftParseError(`line ${index + 1}: not understood: ${line}`)
    const [, verb, object, fam, tableName, rest = ''] = m
    family = fam as NftFamily
    table = tableName
    const block = /^(\S+) \{ (.*) \}$/.exec(rest)
    // A chain, set or map is named by one word (nft: syntax error otherwise).
    if ((object === 'chain' || object === 'set' || object === 'map') && !block && !/^\S+$/.test(rest)) {
      throw new NftParseError(`line ${index + 1}: ${object} without a name: ${line}`)
    }
    switch (object) {
      case 'table': {
        const c = /comment "([^"]*)"/.exec(rest)
        ops.push({ verb: verb as 'add', object: 'table', comment: c?.[1] })
        break
      }
      case 'chain': {
        const name = block ? block[1] : rest
        const f = block ? blockFields(block[2]) : {}
        const base = f.type ? /^(\w+) hook (\w+) priority (-?\d+)$/.exec(f.type) : null
        ops.push({
          verb: verb as 'add', object: 'chain', name,
          base: base ? { type: base[1] as 'filter', hook: base[2] as NftHook, priority: Number(base[3]) } : undefined,
          comment: f.comment?.replace(/^"|"$/g, ''),
        })
        break
      }
      case 'set':
      case 'map': {
        const name = block ? block[1] : rest
        const f = block ? blockFields(block[2]) : {}
        if (verb === 'add' && !f.type) throw new NftParseError(`line ${index + 1}: ${object} without a type: ${line}`)
        kinds.set(name, object)
        ops.push({
          verb: verb as 'add', object, name, type: f.type, flags: f.flags?.split(','),
          timeout: f.timeout ? Number(f.timeout.replace(/s$/, '')) : undefined,
          comment: f.comment?.replace(/^"|"$/g, ''),
        })
        break
      }
      case 'rule': {
        const r = /^(\S+) (.*)$/.exec(rest)
        if (!r) throw new NftParseError(`line ${index + 1}: rule without statements: ${line}`)
        let ruleText = r[2]
        const c = COMMENT_TAIL.exec(ruleText)
        let comment: string | undefined
        if (c) {
          comment = c[1]
          ruleText = ruleText.slice(0, c.index)
        }
        ops.push({ verb: 'add', object: 'rule', chain: r[1], rule: comment === undefined ? { text: ruleText } : { text: ruleText, comment } })
        break
      }
      case 'element': {
        const e = /^(\S+) \{ (.*) \}$/.exec(rest)
        if (!e) throw new NftParseError(`line ${index + 1}: element without braces: ${line}`)
        const kind = kinds.get(e[1]) ?? (e[2].includes(' : ') ? 'map' : 'set')
        ops.push({ verb: verb as 'add', object: 'element', set: e[1], kind, element: parseElement(e[2], kind === 'map' && verb === 'add', index + 1) })
        break
      }
    }
  })
  return { family, table, ops }
}

/** The table a knftables dump (or a transaction applied to an empty table) describes. */
export function parseDump(text: string): NftTable {
  const { family, table, ops } = parseTransaction(text)
  return applyTransaction(emptyTable(family, table), ops)
}
