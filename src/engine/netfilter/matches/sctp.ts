/**
 * `-m sctp` (loaded implicitly by `-p sctp`; kube-proxy uses it for SCTP Service ports): `--sport`,
 * `--dport` with ranges and `!`, and `--chunk-types any|all|only CHUNK[:FLAGS],...` (ALL, NONE). Unlike
 * tcp and udp, a missing `-p sctp` is refused by the kernel (EINVAL), not by the parser (measured). A
 * simulated SCTP packet carries no chunk list: it is taken as one DATA chunk without flags.
 */
import type { MatchModule } from '../module-api.ts'
import { ParameterProblem } from '../module-api.ts'
import type { ClauseResult } from '../types.ts'
import { parsePortRange, joinParts } from '../values.ts'
import { evaluatePorts, listPorts, savePorts, type PortClause } from './ports-common.ts'

/** libxt_sctp's chunk table: name, type, and the flag letters from bit 7 down to bit 0. */
const CHUNKS: [string, number, string][] = [
  ['DATA', 0, '----IUBE'], ['INIT', 1, '--------'], ['INIT_ACK', 2, '--------'], ['SACK', 3, '--------'],
  ['HEARTBEAT', 4, '--------'], ['HEARTBEAT_ACK', 5, '--------'], ['ABORT', 6, '-------T'], ['SHUTDOWN', 7, '--------'],
  ['SHUTDOWN_ACK', 8, '--------'], ['ERROR', 9, '--------'], ['COOKIE_ECHO', 10, '--------'], ['COOKIE_ACK', 11, '--------'],
  ['ECN_ECNE', 12, '--------'], ['ECN_CWR', 13, '--------'], ['SHUTDOWN_COMPLETE', 14, '-------T'], ['ASCONF', 193, '--------'],
  ['ASCONF_ACK', 128, '--------'], ['FORWARD_TSN', 192, '--------'],
]
/** XT_NUM_SCTP_FLAGS */
const MAX_FLAGGED = 4

interface ChunkFlags { index: number; flag: number; mask: number }

export interface SctpChunks {
  matchType: 'any' | 'all' | 'only'
  /** Chunk types in the map (256 entries when ALL). */
  types: number[]
  flags: ChunkFlags[]
  inverted: boolean
}

export interface SctpOptions {
  sport?: PortClause
  dport?: PortClause
  chunks?: SctpChunks
}

function parseChunks(matchWord: string, list: string): Omit<SctpChunks, 'inverted'> {
  const mt = matchWord.toLowerCase()
  if (mt !== 'any' && mt !== 'all' && mt !== 'only') throw new ParameterProblem('Match type has to be one of "ALL", "ANY" or "ONLY"')
  const out: Omit<SctpChunks, 'inverted'> = { matchType: mt, types: [], flags: [] }
  if (list.toLowerCase() === 'all') {
    out.types = Array.from({ length: 256 }, (_, i) => i)
    return out
  }
  if (list.toLowerCase() === 'none') return out
  const set = new Set<number>()
  for (const part of list.split(',')) {
    if (part === '') continue
    const colon = part.indexOf(':')
    const name = colon >= 0 ? part.slice(0, colon) : part
    const index = CHUNKS.findIndex(([n]) => n.toLowerCase() === name.toLowerCase())
    if (index < 0) throw new ParameterProblem(`Unknown sctp chunk \`${name}'`)
    set.add(CHUNKS[index][1])
    if (colon < 0) continue
    for (const ch of part.slice(colon + 1)) {
      const pos = CHUNKS[index][2].indexOf(ch.toUpperCase())
      if (pos < 0 || ch === '-') throw new ParameterProblem(`Invalid flags for chunk type ${index}`)
      const bit = 7 - pos
      let f = out.flags.find((x) => x.index === index)
      if (!f) {
        if (out.flags.length === MAX_FLAGGED) {
          throw new ParameterProblem('Number of chunk types with flags exceeds currently allowed limit.Increasing this limit involves changing IPT_NUM_SCTP_FLAGS andrecompiling both the kernel space and user space modules\n')
        }
        f = { index, flag: 0, mask: 0 }
        out.flags.push(f)
      }
      f.mask |= 1 << bit
      if (ch === ch.toUpperCase()) f.flag |= 1 << bit
    }
  }
  out.types = [...set].sort((a, b) => a - b)
  return out
}

function chunksText(c: SctpChunks, numeric: boolean): string {
  if (c.types.length === 0) return `${c.matchType} NONE`
  if (c.types.length === 256) return `${c.matchType} ALL`
  const items = c.types.map((t) => {
    let s = numeric ? `0x${t.toString(16).toUpperCase().padStart(4, '0')}` : (CHUNKS.find(([, n]) => n === t)?.[0] ?? '')
    for (const f of c.flags) {
      if (f.index !== t || !f.mask) continue
      s += ':'
      const letters = CHUNKS[t]?.[2] ?? '--------'
      for (let i = 7; i >= 0; i--) {
        if (!(f.mask & (1 << i))) continue
        s += f.flag & (1 << i) ? letters[7 - i] : letters[7 - i].toLowerCase()
      }
    }
    return s
  })
  return `${c.matchType} ${items.join(',')}`
}

export const sctpMatch: MatchModule<SctpOptions> = {
  kind: 'match',
  name: 'sctp',
  options: [
    { name: 'source-port', arg: 'required', invertible: true }, { name: 'sport', arg: 'required', invertible: true },
    { name: 'destination-port', arg: 'required', invertible: true }, { name: 'dport', arg: 'required', invertible: true },
    { name: 'chunk-types', arg: 'two', invertible: true, twoArgsMessage: '--chunk-types requires two args' },
  ],
  create: () => ({}),
  parse(o, option, arg, inverted) {
    if (option === 'chunk-types') {
      if (o.chunks) throw new ParameterProblem("Only one `--chunk-types' allowed")
      const [matchWord, list] = (arg ?? '').split('\u0000')
      o.chunks = { ...parseChunks(matchWord, list ?? ''), inverted }
      return
    }
    const range = parsePortRange(arg ?? '', 'sctp')
    if (option === 'source-port' || option === 'sport') {
      if (o.sport) throw new ParameterProblem("Only one `--source-port' allowed")
      o.sport = { range, inverted }
    } else {
      if (o.dport) throw new ParameterProblem("Only one `--destination-port' allowed")
      o.dport = { range, inverted }
    }
  },
  proto: 132,
  save: (o) => joinParts([
    savePorts('sport', o.sport), savePorts('dport', o.dport),
    o.chunks && `${o.chunks.inverted ? '! ' : ''}--chunk-types ${chunksText(o.chunks, false)}`,
  ]),
  list: (o, numeric) => joinParts([
    'sctp', listPorts('spt', o.sport, 'sctp', numeric), listPorts('dpt', o.dport, 'sctp', numeric),
    o.chunks && `${o.chunks.inverted ? '! ' : ''}${chunksText(o.chunks, numeric)}`,
  ]),
  evaluate(o, ctx) {
    const p = ctx.packet
    if (p.proto !== 'sctp') return [{ clause: `-m sctp ${this.save(o)}`.trim(), matched: false, why: 'not an SCTP packet' }]
    const out: ClauseResult[] = []
    if (o.sport) out.push(evaluatePorts('sctp', 'sport', o.sport, p))
    if (o.sport && !out[out.length - 1].matched) return out
    if (o.dport) out.push(evaluatePorts('sctp', 'dport', o.dport, p))
    if (o.dport && !out[out.length - 1].matched) return out
    if (o.chunks) {
      const c = o.chunks
      // The packet: one DATA chunk (type 0) without flags.
      const present = [0]
      const flagsOk = (t: number) => c.flags.filter((f) => CHUNKS[f.index][1] === t).every((f) => (0 & f.mask) === f.flag)
      const inMap = present.filter((t) => c.types.includes(t) && flagsOk(t))
      const hit = c.matchType === 'any' ? inMap.length > 0
        : c.matchType === 'all' ? c.types.every((t) => present.includes(t) && flagsOk(t))
          : present.every((t) => c.types.includes(t) && flagsOk(t))
      out.push({
        clause: `-m sctp ${c.inverted ? '! ' : ''}--chunk-types ${chunksText(c, false)}`, matched: hit !== c.inverted,
        why: `the simulated SCTP packet is taken as one DATA chunk without flags${c.inverted ? ' (negated)' : ''}`,
      })
    }
    if (out.length === 0) out.push({ clause: '-m sctp', matched: true, why: 'an SCTP packet' })
    return out
  },
}
