/**
 * `-m conntrack`: `--ctstate` (INVALID, NEW, RELATED, ESTABLISHED, UNTRACKED, SNAT, DNAT), `--ctproto`,
 * the original/reply tuple addresses and ports, `--ctstatus`, `--ctdir`.
 */
import type { MatchModule } from '../module-api.ts'
import { ParameterProblem, xtopt } from '../module-api.ts'
import type { ClauseResult, ConnTuple, EvalContext } from '../types.ts'
import { formatIPv4, listMaskSuffix, parseHostMask, parseStrictIPv4 } from '../../net/ipv4.ts'
import { parseProtocol } from '../protocols.ts'
import { parsePortRange } from '../values.ts'

/** Print order of --ctstate names. */
const STATES = ['INVALID', 'NEW', 'RELATED', 'ESTABLISHED', 'UNTRACKED', 'SNAT', 'DNAT'] as const
const STATUSES = ['NONE', 'EXPECTED', 'SEEN_REPLY', 'ASSURED', 'CONFIRMED'] as const

interface Inv<T> { value: T; inverted: boolean }
interface AddrClause { address: number; mask: number }

export interface ConntrackOptions {
  ctstate?: Inv<string[]>
  ctproto?: Inv<number>
  ctorigsrc?: Inv<AddrClause>
  ctorigdst?: Inv<AddrClause>
  ctreplsrc?: Inv<AddrClause>
  ctrepldst?: Inv<AddrClause>
  ctorigsrcport?: Inv<[number, number]>
  ctorigdstport?: Inv<[number, number]>
  ctreplsrcport?: Inv<[number, number]>
  ctrepldstport?: Inv<[number, number]>
  ctstatus?: Inv<string[]>
  ctdir?: 'ORIGINAL' | 'REPLY'
}

const ADDR_OPTS = ['ctorigsrc', 'ctorigdst', 'ctreplsrc', 'ctrepldst'] as const
const PORT_OPTS = ['ctorigsrcport', 'ctorigdstport', 'ctreplsrcport', 'ctrepldstport'] as const

export function parseStateList(text: string, allowed: readonly string[], what: string): string[] {
  const seen = new Set<string>()
  for (const part of text.split(',')) {
    const name = part.toUpperCase()
    if (!allowed.includes(name)) throw new ParameterProblem(`Bad ${what} "${part}"`)
    seen.add(name)
  }
  return allowed.filter((s) => seen.has(s))
}

function formatAddr(a: AddrClause): string {
  return `${formatIPv4(a.address)}${listMaskSuffix(a.mask)}`
}

function formatPorts([lo, hi]: [number, number]): string {
  return lo === hi ? String(lo) : `${lo}:${hi}`
}

/** Pieces in iptables' print order: [option name, value text, inverted]. */
function pieces(o: ConntrackOptions): [string, string, boolean][] {
  const out: [string, string, boolean][] = []
  if (o.ctstate) out.push(['ctstate', o.ctstate.value.join(','), o.ctstate.inverted])
  if (o.ctproto) out.push(['ctproto', String(o.ctproto.value), o.ctproto.inverted])
  for (const k of ADDR_OPTS) {
    const v = o[k]
    if (v) out.push([k, formatAddr(v.value), v.inverted])
  }
  for (const k of PORT_OPTS) {
    const v = o[k]
    if (v) out.push([k, formatPorts(v.value), v.inverted])
  }
  if (o.ctstatus) out.push(['ctstatus', o.ctstatus.value.join(','), o.ctstatus.inverted])
  if (o.ctdir) out.push(['ctdir', o.ctdir, false])
  return out
}

function stateBits(ctx: EvalContext): string[] {
  const ct = ctx.ct
  if (!ct || ct.state === 'INVALID') return ['INVALID']
  if (ct.state === 'UNTRACKED') return ['UNTRACKED']
  const bits: string[] = [ct.state]
  if (ct.entry?.status.srcNat) bits.push('SNAT')
  if (ct.entry?.status.dstNat) bits.push('DNAT')
  return bits
}

function tupleAddr(t: ConnTuple, side: 'src' | 'dst'): number | undefined {
  return parseStrictIPv4(side === 'src' ? t.src : t.dst)
}

export const conntrackMatch: MatchModule<ConntrackOptions> = {
  kind: 'match',
  name: 'conntrack',
  options: [
    'ctstate', 'ctproto', 'ctorigsrc', 'ctorigdst', 'ctreplsrc', 'ctrepldst', 'ctorigsrcport', 'ctorigdstport',
    'ctreplsrcport', 'ctrepldstport', 'ctstatus', 'ctdir',
  ].map((name) => ({ name, arg: 'required' as const, invertible: name !== 'ctdir' })),
  create: () => ({}),
  parse(o, option, arg, inverted) {
    const text = arg ?? ''
    switch (option) {
      case 'ctstate':
        o.ctstate = { value: parseStateList(text, STATES, 'ctstate'), inverted }
        return
      case 'ctstatus':
        o.ctstatus = { value: parseStateList(text, STATUSES, 'ctstatus'), inverted }
        return
      case 'ctproto': {
        const p = parseProtocol(text)
        if (p === undefined || p === 0) throw new ParameterProblem(`Unknown protocol "${text}"`)
        o.ctproto = { value: p, inverted }
        return
      }
      case 'ctdir': {
        const d = text.toUpperCase()
        if (d !== 'ORIGINAL' && d !== 'REPLY') throw xtopt.badValue('conntrack', 'ctdir', text)
        o.ctdir = d
        return
      }
    }
    if ((ADDR_OPTS as readonly string[]).includes(option)) {
      const a = parseHostMask(text)
      if ('error' in a) throw new ParameterProblem(a.error)
      o[option as (typeof ADDR_OPTS)[number]] = { value: a, inverted }
      return
    }
    if ((PORT_OPTS as readonly string[]).includes(option)) {
      o[option as (typeof PORT_OPTS)[number]] = { value: parsePortRange(text, undefined), inverted }
    }
  },
  finalCheck(o) {
    if (pieces(o).length === 0) throw new ParameterProblem('conntrack: At least one option is required')
  },
  save(o) {
    return pieces(o).map(([name, value, inv]) => `${inv ? '! ' : ''}--${name} ${value}`).join(' ')
  },
  list(o) {
    return pieces(o).map(([name, value, inv]) => `${inv ? '! ' : ''}${name} ${value}`).join(' ')
  },
  evaluate(o, ctx) {
    const results: ClauseResult[] = []
    const entry = ctx.ct?.entry
    for (const [name, value, inv] of pieces(o)) {
      const clause = `-m conntrack ${inv ? '! ' : ''}--${name} ${value}`
      let hit: boolean
      let why: string
      if (name === 'ctstate') {
        const bits = stateBits(ctx)
        hit = (o.ctstate?.value ?? []).some((s) => bits.includes(s))
        why = `connection state is ${bits.join(',')}`
      } else if (!entry) {
        hit = false
        why = 'the packet has no conntrack entry'
        results.push({ clause, matched: false, why })
        return results
      } else if (name === 'ctproto') {
        const p = typeof entry.original.proto === 'number' ? entry.original.proto : parseProtocol(entry.original.proto)
        hit = p === o.ctproto?.value
        why = `connection protocol is ${entry.original.proto}`
      } else if (name === 'ctstatus') {
        const have = ['CONFIRMED']
        if (entry.status.seenReply) have.push('SEEN_REPLY')
        if (entry.status.assured) have.push('ASSURED')
        hit = (o.ctstatus?.value ?? []).some((s) => have.includes(s))
        why = `connection status is ${have.join(',')}`
      } else if (name === 'ctdir') {
        hit = ctx.ct?.direction === o.ctdir
        why = `packet travels in the ${ctx.ct?.direction ?? 'unknown'} direction`
      } else if ((ADDR_OPTS as readonly string[]).includes(name)) {
        const clauseValue = o[name as (typeof ADDR_OPTS)[number]]!.value
        const tuple = name.startsWith('ctorig') ? entry.original : entry.reply
        const addr = tupleAddr(tuple, name.endsWith('src') ? 'src' : 'dst')
        hit = addr !== undefined && ((addr & clauseValue.mask) >>> 0) === clauseValue.address
        why = `${name.startsWith('ctorig') ? 'original' : 'reply'} ${name.endsWith('src') ? 'source' : 'destination'} is ${addr === undefined ? '?' : formatIPv4(addr)}`
      } else {
        const range = o[name as (typeof PORT_OPTS)[number]]!.value
        const tuple = name.startsWith('ctorig') ? entry.original : entry.reply
        const port = name.includes('src') ? tuple.sport : tuple.dport
        hit = port !== undefined && port >= range[0] && port <= range[1]
        why = `${name.startsWith('ctorig') ? 'original' : 'reply'} ${name.includes('src') ? 'source' : 'destination'} port is ${port ?? 'none'}`
      }
      const matched = hit !== inv
      results.push({ clause, matched, why: `${why}${inv ? ' (negated)' : ''}` })
      if (!matched) return results
    }
    return results
  },
}
