/**
 * `-m recent`: a named list of recently seen addresses (`--set`, `--rcheck`, `--update`, `--remove`,
 * `--seconds`, `--hitcount`, `--rsource`/`--rdest`). Lists are per node and shared by every rule that
 * names them, so they live in ctx.state under `recent:NAME`.
 */
import type { MatchModule } from '../module-api.ts'
import { ParameterProblem, checkExclusive, xtopt } from '../module-api.ts'
import { formatIPv4, parseXtablesIPv4, parseStrictIPv4 } from '../../net/ipv4.ts'

type Command = 'set' | 'rcheck' | 'update' | 'remove'
const LIST_WORD: Record<Command, string> = { set: 'SET', rcheck: 'CHECK', update: 'UPDATE', remove: 'REMOVE' }

export interface RecentOptions {
  command?: Command
  inverted: boolean
  name: string
  seconds?: number
  reap: boolean
  hitcount?: number
  rttl: boolean
  mask: number
  side: 'source' | 'dest'
  seen?: string[]
}

const ORDER = ['set', 'rcheck', 'update', 'remove', 'seconds', 'reap', 'hitcount', 'rttl', 'name', 'rsource', 'rdest', 'mask']

/** address -> hit times (ms), oldest first */
type RecentList = Map<string, number[]>

export const recentMatch: MatchModule<RecentOptions> = {
  kind: 'match',
  name: 'recent',
  options: [
    { name: 'set', arg: 'none', invertible: true }, { name: 'rcheck', arg: 'none', invertible: true }, { name: 'update', arg: 'none', invertible: true },
    { name: 'remove', arg: 'none', invertible: true }, { name: 'seconds', arg: 'required' }, { name: 'reap', arg: 'none' },
    { name: 'hitcount', arg: 'required' }, { name: 'rttl', arg: 'none' }, { name: 'name', arg: 'required' },
    { name: 'rsource', arg: 'none' }, { name: 'rdest', arg: 'none' }, { name: 'mask', arg: 'required' },
  ],
  create: () => ({ inverted: false, name: 'DEFAULT', reap: false, rttl: false, mask: 0xffffffff, side: 'source' }),
  parse(o, option, arg, inverted) {
    o.seen = [...(o.seen ?? []), option]
    switch (option) {
      case 'set': case 'rcheck': case 'update': case 'remove':
        o.command = o.command ?? option
        o.inverted = inverted
        return
      case 'seconds': case 'hitcount': {
        const n = /^[0-9]+$/.test(arg ?? '') ? Number(arg) : NaN
        if (!(n >= 0 && n <= 0xffffffff)) throw new ParameterProblem(`recent: bad value for option "--${option}", or out of range (0-${0xffffffff}).\n`)
        if (option === 'seconds') o.seconds = n
        else o.hitcount = n
        return
      }
      case 'reap': o.reap = true; return
      case 'rttl': o.rttl = true; return
      case 'name': o.name = arg ?? ''; return
      case 'rsource': o.side = 'source'; return
      case 'rdest': o.side = 'dest'; return
      case 'mask': {
        const m = parseXtablesIPv4(arg ?? '')
        if (m === undefined) throw new ParameterProblem(`recent: bad value for option "--mask".\n`)
        o.mask = m
      }
    }
  },
  finalCheck(o) {
    const given = new Set(o.seen ?? [])
    checkExclusive('recent', ORDER, given, [['set', 'rcheck', 'update', 'remove'], ['rsource', 'rdest'], ['set', 'seconds'], ['set', 'hitcount'], ['set', 'reap'], ['remove', 'seconds'], ['remove', 'hitcount'], ['remove', 'reap']])
    if (given.has('reap') && !given.has('seconds')) throw xtopt.alsoRequires('recent', 'reap', 'seconds')
    if (!o.command) throw new ParameterProblem('recent: you must specify one of `--set\', `--rcheck\' `--update\' or `--remove\'')
  },
  save(o) {
    const parts = [`${o.inverted ? '! ' : ''}--${o.command}`]
    if (o.seconds) parts.push(`--seconds ${o.seconds}`)
    if (o.reap) parts.push('--reap')
    if (o.hitcount) parts.push(`--hitcount ${o.hitcount}`)
    if (o.rttl) parts.push('--rttl')
    parts.push(`--name ${o.name}`, `--mask ${formatIPv4(o.mask)}`, o.side === 'source' ? '--rsource' : '--rdest')
    return parts.join(' ')
  },
  list(o) {
    const parts = [`${o.inverted ? '! ' : ''}recent:`, LIST_WORD[o.command ?? 'set']]
    if (o.seconds) parts.push(`seconds: ${o.seconds}`)
    if (o.reap) parts.push('reap')
    if (o.hitcount) parts.push(`hit_count: ${o.hitcount}`)
    if (o.rttl) parts.push('TTL-Match')
    parts.push(`name: ${o.name}`, `side: ${o.side}`, `mask: ${formatIPv4(o.mask)}`)
    return parts.join(' ')
  },
  evaluate(o, ctx) {
    const clause = `-m recent ${this.save(o)}`
    const key = `recent:${o.name}`
    let list = ctx.state.get(key) as RecentList | undefined
    if (!list) {
      list = new Map()
      ctx.state.set(key, list)
    }
    const raw = o.side === 'source' ? ctx.packet.src : ctx.packet.dst
    const addrNum = parseStrictIPv4(raw)
    const addr = addrNum === undefined ? raw : formatIPv4((addrNum & o.mask) >>> 0)
    const now = ctx.now
    const hits = list.get(addr)
    if (o.command === 'set') {
      list.set(addr, [...(hits ?? []), now])
      return [{ clause, matched: !o.inverted, why: `${addr} added to list ${o.name}` }]
    }
    if (!hits) {
      return [{ clause, matched: o.inverted, why: `${addr} is not in list ${o.name}${o.inverted ? ' (negated)' : ''}` }]
    }
    if (o.command === 'remove') {
      list.delete(addr)
      return [{ clause, matched: !o.inverted, why: `${addr} removed from list ${o.name}` }]
    }
    const window = o.seconds ? hits.filter((t) => now - t <= o.seconds! * 1000) : hits
    const needed = o.hitcount ?? 0
    const hit = (o.seconds || needed) ? window.length >= Math.max(needed, 1) : true
    if (o.command === 'update' && hit) list.set(addr, [...hits, now])
    const detail = o.seconds ? `${window.length} hit(s) in the last ${o.seconds}s` : `${hits.length} hit(s)`
    return [{ clause, matched: hit !== o.inverted, why: `${addr} in list ${o.name}: ${detail}${needed ? `, needs ${needed}` : ''}${o.inverted ? ' (negated)' : ''}` }]
  },
}
