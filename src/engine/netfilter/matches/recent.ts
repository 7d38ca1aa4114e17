/**
 * `-m recent`: a named list of recently seen addresses (`--set`, `--rcheck`, `--update`, `--remove`,
 * `--seconds`, `--hitcount`, `--rsource`/`--rdest`). Lists are per node and shared by every rule that
 * names them, so they live in ctx.state under `recent:NAME`.
 */
import type { MatchModule } from '../module-api.ts'
import { ParameterProblem } from '../module-api.ts'
import { formatIPv4, parseStrictIPv4 } from '../../net/ipv4.ts'
import { cutBytes, xtHost, xtUint } from '../xtopt.ts'

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
}

const OPS = ['set', 'rcheck', 'update', 'remove']

/** address -> hit times (ms), oldest first */
type RecentList = Map<string, number[]>

export const recentMatch: MatchModule<RecentOptions> = {
  kind: 'match',
  name: 'recent',
  xtopt: true,
  options: [
    { name: 'set', arg: 'none', invertible: true, excl: OPS }, { name: 'rcheck', arg: 'none', invertible: true, excl: OPS },
    { name: 'update', arg: 'none', invertible: true, excl: OPS }, { name: 'remove', arg: 'none', invertible: true, excl: OPS },
    { name: 'seconds', arg: 'required' }, { name: 'reap', arg: 'none', also: ['seconds'] },
    { name: 'hitcount', arg: 'required' }, { name: 'rttl', arg: 'none', excl: ['set', 'remove'] }, { name: 'name', arg: 'required' },
    { name: 'rsource', arg: 'none' }, { name: 'rdest', arg: 'none' }, { name: 'mask', arg: 'required' },
  ],
  create: () => ({ inverted: false, name: 'DEFAULT', reap: false, rttl: false, mask: 0xffffffff, side: 'source' }),
  parse(o, option, arg, inverted) {
    switch (option) {
      case 'set': case 'rcheck': case 'update': case 'remove':
        o.command = option
        o.inverted = inverted
        return
      case 'seconds': o.seconds = xtUint('recent', option, arg ?? '', 32, 1); return
      case 'hitcount': o.hitcount = xtUint('recent', option, arg ?? ''); return
      case 'reap': o.reap = true; return
      case 'rttl': o.rttl = true; return
      // XT_RECENT_NAME_LEN is 200 bytes with the terminating NUL.
      case 'name': o.name = cutBytes(arg ?? '', 199); return
      case 'rsource': o.side = 'source'; return
      case 'rdest': o.side = 'dest'; return
      case 'mask': o.mask = xtHost(arg ?? '')
    }
  },
  finalCheck(o) {
    if (!o.command) throw new ParameterProblem('recent: you must specify one of `--set\', `--rcheck\' `--update\' or `--remove\'')
  },
  kernelCheck(o) {
    // recent_mt_check: --set and --remove take no --seconds, --hitcount or modifiers; a list needs a name.
    if ((o.command === 'set' || o.command === 'remove') && (o.seconds || o.hitcount || o.rttl || o.reap)) return 'EINVAL'
    if (o.name === '' || o.name === '.' || o.name === '..' || o.name.includes('/')) return 'EINVAL'
    return undefined
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
