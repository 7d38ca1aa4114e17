/**
 * `-m conntrack`: `--ctstate` (INVALID, NEW, RELATED, ESTABLISHED, UNTRACKED, SNAT, DNAT), `--ctproto`,
 * the original/reply tuple addresses (`--ctorigsrc` ...) and ports (`--ctorigsrcport` ..., ranges),
 * `--ctstatus`, `--ctexpire` (seconds left, a range) and `--ctdir`. iptables-nft 1.8.9 hands the match to
 * the kernel's xt_conntrack (revision 3): an address compares under its mask on both sides
 * (conntrack_addrcmp), and the saved text keeps the host bits given (`10.1.2.3/16`). A mask that is not a
 * prefix is read as /32 (xtables' plen parsing). An entry not yet confirmed (the connection's first packet)
 * has an expiry of 0 (nf_ct_expires of an unconfirmed entry).
 */
import type { MatchModule } from '../module-api.ts'
import { ParameterProblem } from '../module-api.ts'
import type { ClauseResult, ConnTuple, EvalContext } from '../types.ts'
import { anyAddressName, formatIPv4, maskToPrefix, parseStrictIPv4 } from '../../net/ipv4.ts'
import { parseProtocol } from '../protocols.ts'
import { paramAct, xtHostMask, xtPortRange, xtProtocol, xtRange } from '../xtopt.ts'
import { CT_STATES, CT_STATUSES, parseNameList } from './conntrack-lists.ts'

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
  ctexpire?: Inv<[number, number]>
  ctdir?: 'ORIGINAL' | 'REPLY'
}

const ADDR_OPTS = ['ctorigsrc', 'ctorigdst', 'ctreplsrc', 'ctrepldst'] as const
const PORT_OPTS = ['ctorigsrcport', 'ctorigdstport', 'ctreplsrcport', 'ctrepldstport'] as const

function formatAddr(a: AddrClause, numeric: boolean): string {
  const prefix = maskToPrefix(a.mask)
  return `${numeric ? formatIPv4(a.address) : anyAddressName(a.address)}${prefix === 32 ? '' : `/${prefix}`}`
}

const range = ([lo, hi]: [number, number]) => (lo === hi ? String(lo) : `${lo}:${hi}`)

/** Pieces in iptables' print order: [option name, value text, inverted]. */
function pieces(o: ConntrackOptions, numeric = true): [string, string, boolean][] {
  const out: [string, string, boolean][] = []
  if (o.ctstate) out.push(['ctstate', o.ctstate.value.join(','), o.ctstate.inverted])
  if (o.ctproto) out.push(['ctproto', String(o.ctproto.value), o.ctproto.inverted])
  for (const k of ADDR_OPTS) {
    const v = o[k]
    if (v) out.push([k, formatAddr(v.value, numeric), v.inverted])
  }
  for (const k of PORT_OPTS) {
    const v = o[k]
    if (v) out.push([k, range(v.value), v.inverted])
  }
  if (o.ctstatus) out.push(['ctstatus', o.ctstatus.value.filter((s) => s !== 'NONE').join(',') || 'NONE', o.ctstatus.inverted])
  if (o.ctexpire) out.push(['ctexpire', range(o.ctexpire.value), o.ctexpire.inverted])
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

/** A prefix mask stays; any other is read as /32 (an unsigned -1 prefix, xtables_ipmask_to_cidr). */
function prefixMask(mask: number): number {
  return maskToPrefix(mask) >= 0 ? mask : 0xffffffff
}

export const conntrackMatch: MatchModule<ConntrackOptions> = {
  kind: 'match',
  name: 'conntrack',
  xtopt: true,
  options: [
    'ctstate', 'ctproto', 'ctorigsrc', 'ctorigdst', 'ctreplsrc', 'ctrepldst', 'ctstatus', 'ctexpire', 'ctorigsrcport',
    'ctorigdstport', 'ctreplsrcport', 'ctrepldstport', 'ctdir',
  ].map((name) => ({ name, arg: 'required' as const, invertible: name !== 'ctdir' })),
  create: () => ({}),
  parse(o, option, arg, inverted) {
    const text = arg ?? ''
    switch (option) {
      case 'ctstate': o.ctstate = { value: parseNameList(text, CT_STATES, 'ctstate'), inverted }; return
      case 'ctstatus': o.ctstatus = { value: parseNameList(text, CT_STATUSES, 'ctstatus'), inverted }; return
      case 'ctproto': o.ctproto = { value: xtProtocol(text), inverted }; return
      case 'ctexpire': {
        const v = xtRange('conntrack', option, text, 32).map(Number)
        o.ctexpire = { value: [v[0], v.length > 1 ? v[1] : v[0]], inverted }
        return
      }
      case 'ctdir': {
        const d = text.toUpperCase()
        if (d !== 'ORIGINAL' && d !== 'REPLY') throw paramAct.badValue('conntrack', '--ctdir', text)
        o.ctdir = d
        return
      }
    }
    if ((ADDR_OPTS as readonly string[]).includes(option)) {
      const a = xtHostMask('conntrack', option, text)
      o[option as (typeof ADDR_OPTS)[number]] = { value: { address: a.address, mask: prefixMask(a.mask) }, inverted }
      return
    }
    o[option as (typeof PORT_OPTS)[number]] = { value: xtPortRange('conntrack', option, text), inverted }
  },
  finalCheck(_o, env) {
    if (env.seen.length === 0) throw new ParameterProblem('conntrack: At least one option is required')
  },
  save(o) {
    return pieces(o).map(([name, value, inv]) => `${inv ? '! ' : ''}--${name} ${value}`).join(' ')
  },
  list(o, numeric) {
    return pieces(o, numeric).map(([name, value, inv]) => `${inv ? '! ' : ''}${name} ${value}`).join(' ')
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
        results.push({ clause, matched: false, why: 'the packet has no conntrack entry' })
        return results
      } else if (name === 'ctproto') {
        const p = typeof entry.original.proto === 'number' ? entry.original.proto : parseProtocol(entry.original.proto)
        hit = p === o.ctproto?.value
        why = `connection protocol is ${entry.original.proto}`
      } else if (name === 'ctstatus') {
        const have = ['CONFIRMED']
        if (entry.status.seenReply) have.push('SEEN_REPLY')
        if (entry.status.assured) have.push('ASSURED')
        const wanted = o.ctstatus?.value ?? []
        hit = wanted.some((s) => have.includes(s)) || (wanted.length === 1 && wanted[0] === 'NONE' && have.length === 0)
        why = `connection status is ${have.join(',')}`
      } else if (name === 'ctexpire') {
        const left = ctx.ct?.expiresIn ?? entry.timeout
        const [lo, hi] = o.ctexpire!.value
        hit = left >= lo && left <= hi
        why = `the entry expires in ${left}s`
      } else if (name === 'ctdir') {
        hit = ctx.ct?.direction === o.ctdir
        why = `packet travels in the ${ctx.ct?.direction ?? 'unknown'} direction`
      } else if ((ADDR_OPTS as readonly string[]).includes(name)) {
        const clauseValue = o[name as (typeof ADDR_OPTS)[number]]!.value
        const tuple = name.startsWith('ctorig') ? entry.original : entry.reply
        const addr = tupleAddr(tuple, name.endsWith('src') ? 'src' : 'dst')
        hit = addr !== undefined && (((addr ^ clauseValue.address) & clauseValue.mask) >>> 0) === 0
        why = `${name.startsWith('ctorig') ? 'original' : 'reply'} ${name.endsWith('src') ? 'source' : 'destination'} is ${addr === undefined ? '?' : formatIPv4(addr)}`
      } else {
        const r = o[name as (typeof PORT_OPTS)[number]]!.value
        const tuple = name.startsWith('ctorig') ? entry.original : entry.reply
        const port = name.includes('src') ? tuple.sport : tuple.dport
        hit = port !== undefined && port >= r[0] && port <= r[1]
        why = `${name.startsWith('ctorig') ? 'original' : 'reply'} ${name.includes('src') ? 'source' : 'destination'} port is ${port ?? 'none'}`
      }
      const matched = hit !== inv
      results.push({ clause, matched, why: `${why}${inv ? ' (negated)' : ''}` })
      if (!matched) return results
    }
    return results
  },
}
