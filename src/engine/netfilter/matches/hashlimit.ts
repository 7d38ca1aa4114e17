/**
 * `-m hashlimit` (revision 3): a token bucket per group of packets — grouped by `--hashlimit-mode`
 * (srcip, srcport, dstip, dstport, with `--hashlimit-srcmask/-dstmask`) — in the table `--hashlimit-name`
 * (shared by every rule naming it). Rates in packets (`N/sec|min|hour|day`) or bytes (`Nb/s`, `kb/s`,
 * `mb/s`); `--hashlimit-above` (or `!`) matches when over the rate; `--hashlimit-rate-match` only measures.
 * Parsed, printed and checked as libxt_hashlimit and xt_hashlimit do (HZ 250, the kernel here), buckets
 * computed with the kernel's integer credits.
 */
import type { MatchModule } from '../module-api.ts'
import { ParameterProblem } from '../module-api.ts'
import { paramAct, xtPlen, xtStrtoulPrefix, xtString, xtUint } from '../xtopt.ts'
import { formatIPv4, parseStrictIPv4, prefixToMask } from '../../net/ipv4.ts'

const U64 = (1n << 64n) - 1n
const UINT32_MAX = 0xffffffffn
const SCALE = 1000000n
const HZ = 250n
/** POW2_BELOW64(U64_MAX / (HZ*60*60*24)) and POW2_BELOW32(U32_MAX / HZ) at HZ 250. */
const CREDITS_PER_JIFFY = 1n << 39n
const CREDITS_PER_JIFFY_BYTES = 1n << 24n
const BYTE_SHIFT = 4n
const GCINTERVAL = 1000

const MODE_DIP = 1
const MODE_DPT = 2
const MODE_SIP = 4
const MODE_SPT = 8
const MODE_INVERT = 0x10
const MODE_BYTES = 0x20
const MODE_RATE_MATCH = 0x40

export interface HashlimitOptions {
  mode: number
  avg: bigint
  burst: bigint
  size: number
  max: number
  gcInterval: number
  expire: number
  srcmask: number
  dstmask: number
  interval: number
  name: string
  /** Seconds per rate unit (udata->mult): 1, 60, 3600, 86400; 15 for byte rates. */
  mult: number
}

const costToBytes = (cost: bigint) => (((cost ? UINT32_MAX / cost : UINT32_MAX) - 1n) << BYTE_SHIFT) & U64
const bytesToCost = (bytes: bigint) => UINT32_MAX / ((bytes >> BYTE_SHIFT) + 1n)
const factor = (c: string | undefined) => (c === 'm' ? 1048576n : c === 'k' ? 1024n : 1n)

/** atoll: leading blanks, a sign and digits; 0 when none. */
function atoll(text: string): bigint {
  const m = /^[ \t\n\v\f\r]*([+-]?)([0-9]*)/.exec(text)
  if (!m || m[2] === '') return 0n
  const v = BigInt(m[2])
  return m[1] === '-' ? -v : v
}

function parseBytes(rate: string): { avg: bigint } | undefined {
  const at = rate.indexOf('b/s')
  if (at <= 0) return undefined
  const r = atoll(rate)
  if (r === 0n) return undefined
  const tmp = (r * factor(rate[at - 1])) & U64
  const cost = bytesToCost(tmp)
  if (cost === 0n) throw new ParameterProblem(`Rate too high "${rate}"`)
  return { avg: cost }
}

function parseRate(rate: string): { avg: bigint; mult: number } | undefined {
  let mult = 1
  const slash = rate.indexOf('/')
  if (slash >= 0) {
    const unit = rate.slice(slash + 1).toLowerCase()
    if (unit === '') return undefined
    if ('second'.startsWith(unit)) mult = 1
    else if ('minute'.startsWith(unit)) mult = 60
    else if ('hour'.startsWith(unit)) mult = 3600
    else if ('day'.startsWith(unit)) mult = 86400
    else return undefined
  }
  const r = atoll(rate)
  if (r === 0n) return undefined
  const avg = (SCALE * BigInt(mult)) / r
  if (avg === 0n) throw new ParameterProblem(`Rate too fast "${rate}"`)
  return { avg, mult }
}

function parseBurst(text: string): bigint {
  const bad = () => new ParameterProblem('bad value for option "--hashlimit-burst", or out of range (1-1000000).')
  const r = xtStrtoulPrefix(text, 1n, U64)
  if (!r || (r.end === text.length && r.value > 1000000n)) throw bad()
  const v = r.value * factor(text[r.end])
  if (v > U64) throw new ParameterProblem(`bad value for option "--hashlimit-burst", value "${text}" too large (max ${U64 / 1024n / 1024n}mb).`)
  return v
}

function parseMode(text: string): number {
  let mode = 0
  for (const tok of text.split(/[,|]/)) {
    if (tok === '') continue
    if (tok === 'dstip') mode |= MODE_DIP
    else if (tok === 'srcip') mode |= MODE_SIP
    else if (tok === 'srcport') mode |= MODE_SPT
    else if (tok === 'dstport') mode |= MODE_DPT
    else throw paramAct.badValue('hashlimit', '--hashlimit-mode', text)
  }
  return mode
}

const RATES: [string, bigint][] = [['day', SCALE * 86400n], ['hour', SCALE * 3600n], ['min', SCALE * 60n], ['sec', SCALE]]

/** print_rate: the text and the quantum (ms) the default expiry is compared with. */
function rateText(period: bigint): { text: string; quantum: number } {
  if (period === 0n) return { text: 'inf', quantum: 0 }
  let i = 1
  for (; i < RATES.length; i++) if (period > RATES[i][1] || RATES[i][1] / period < RATES[i][1] % period) break
  const [name, mult] = RATES[i - 1]
  return { text: `${mult / period}/${name}`, quantum: Number(mult / SCALE) * 1000 }
}

const UNITS: [string, bigint][] = [['m', 1048576n], ['k', 1024n], ['', 1n]]

function bytesText(avg: bigint, burst: bigint, prefix: string): { text: string; quantum: number } {
  let r = costToBytes(avg)
  let i = 0
  for (; i < UNITS.length - 1; i++) if (r >= UNITS[i][1] && bytesToCost(r & ~(UNITS[i][1] - 1n)) === avg) break
  let text = `${r / UNITS[i][1]}${UNITS[i][0]}b/s`
  if (burst === 0n) return { text, quantum: 15000 }
  r = (r * burst) & U64
  for (i = 0; i < UNITS.length - 1; i++) if (r >= UNITS[i][1]) break
  text += ` ${prefix}burst ${r / UNITS[i][1]}${UNITS[i][0]}b`
  return { text, quantum: 60000 }
}

function modeText(mode: number, sep: string): string {
  return [[MODE_SIP, 'srcip'], [MODE_SPT, 'srcport'], [MODE_DIP, 'dstip'], [MODE_DPT, 'dstport']]
    .filter(([bit]) => mode & (bit as number)).map(([, n]) => n).join(sep)
}

const HASHED = MODE_SIP | MODE_SPT | MODE_DIP | MODE_DPT

function pieces(o: HashlimitOptions, save: boolean): string[] {
  const p = (opt: string, listed: string) => (save ? `--hashlimit-${opt}` : listed)
  const parts: string[] = [save ? (o.mode & MODE_INVERT ? '--hashlimit-above' : '--hashlimit-upto') : (o.mode & MODE_INVERT ? 'limit: above' : 'limit: up to')]
  let quantum: number
  if (o.mode & MODE_BYTES) {
    const b = bytesText(o.avg, o.burst, save ? '--hashlimit-' : '')
    parts.push(b.text)
    quantum = b.quantum
  } else {
    const period = !save && o.interval !== 0 ? o.avg * BigInt(o.interval) : o.avg
    const r = rateText(period)
    parts.push(r.text, `${p('burst', 'burst')} ${o.burst}`)
    quantum = r.quantum
  }
  if (o.mode & HASHED) parts.push(`${p('mode', 'mode')} ${modeText(o.mode, save ? ',' : '-')}`)
  if (save) parts.push(`--hashlimit-name ${o.name}`)
  if (o.size) parts.push(`${p('htable-size', 'htable-size')} ${o.size}`)
  if (o.max) parts.push(`${p('htable-max', 'htable-max')} ${o.max}`)
  if (o.gcInterval !== GCINTERVAL) parts.push(`${p('htable-gcinterval', 'htable-gcinterval')} ${o.gcInterval}`)
  if (o.expire !== quantum) parts.push(`${p('htable-expire', 'htable-expire')} ${o.expire}`)
  if (o.srcmask !== 32) parts.push(`${p('srcmask', 'srcmask')} ${o.srcmask}`)
  if (o.dstmask !== 32) parts.push(`${p('dstmask', 'dstmask')} ${o.dstmask}`)
  if (o.mode & MODE_RATE_MATCH) {
    parts.push(p('rate-match', 'rate-match'))
    if (o.interval !== 1) parts.push(`${p('rate-interval', 'rate-interval')} ${o.interval}`)
  }
  return parts
}

/** user2credits for revision 3, wrapping at 64 bits as the kernel's u64 arithmetic does. */
function user2credits(user: bigint): bigint {
  return (user * ((HZ * CREDITS_PER_JIFFY) / SCALE)) & U64
}

function user2creditsByte(user: bigint): bigint {
  return ((user * HZ * CREDITS_PER_JIFFY_BYTES) & U64) >> 32n & UINT32_MAX
}

interface Bucket {
  prev: number
  credit: bigint
  cap: bigint
  cost: bigint
  expires: number
  rate: bigint
  currentRate: bigint
  prevWindow: boolean
}

export const hashlimitMatch: MatchModule<HashlimitOptions> = {
  kind: 'match',
  name: 'hashlimit',
  xtopt: true,
  options: [
    { name: 'hashlimit-upto', arg: 'required', invertible: true, id: 0, excl: ['hashlimit-above'] },
    { name: 'hashlimit-above', arg: 'required', invertible: true, id: 1, excl: ['hashlimit-upto'] },
    { name: 'hashlimit', arg: 'required', invertible: true, id: 0, excl: ['hashlimit-above'] },
    { name: 'hashlimit-srcmask', arg: 'required', id: 4 }, { name: 'hashlimit-dstmask', arg: 'required', id: 5 },
    { name: 'hashlimit-burst', arg: 'required', id: 7 }, { name: 'hashlimit-htable-size', arg: 'required', id: 8 },
    { name: 'hashlimit-htable-max', arg: 'required', id: 9 }, { name: 'hashlimit-htable-gcinterval', arg: 'required', id: 10 },
    { name: 'hashlimit-htable-expire', arg: 'required', id: 11 }, { name: 'hashlimit-mode', arg: 'required', id: 3 },
    { name: 'hashlimit-name', arg: 'required', mandatory: true, id: 6 }, { name: 'hashlimit-rate-match', arg: 'none', id: 12 },
    { name: 'hashlimit-rate-interval', arg: 'required', id: 13 },
  ],
  create: () => ({
    mode: 0, avg: 0n, burst: 5n, size: 0, max: 0, gcInterval: GCINTERVAL, expire: 0, srcmask: 32, dstmask: 32, interval: 0, name: '', mult: 1,
  }),
  parse(o, option, arg, inverted) {
    const text = arg ?? ''
    switch (option) {
      case 'hashlimit-upto': case 'hashlimit-above': {
        const above = option === 'hashlimit-above'
        if (above !== inverted) o.mode |= MODE_INVERT
        const bytes = parseBytes(text)
        if (bytes) {
          o.mode |= MODE_BYTES
          o.avg = bytes.avg
          o.mult = 15
          return
        }
        const r = parseRate(text)
        if (!r) throw paramAct.badValue('hashlimit', `--${option}`, text)
        o.avg = r.avg
        o.mult = r.mult
        return
      }
      case 'hashlimit-srcmask': o.srcmask = maskLength(xtPlen('hashlimit', option, text)); return
      case 'hashlimit-dstmask': o.dstmask = maskLength(xtPlen('hashlimit', option, text)); return
      case 'hashlimit-burst': o.burst = parseBurst(text); return
      case 'hashlimit-htable-size': o.size = xtUint('hashlimit', option, text); return
      case 'hashlimit-htable-max': o.max = xtUint('hashlimit', option, text); return
      case 'hashlimit-htable-gcinterval': o.gcInterval = xtUint('hashlimit', option, text); return
      case 'hashlimit-htable-expire': o.expire = xtUint('hashlimit', option, text); return
      case 'hashlimit-mode': o.mode |= parseMode(text); return
      case 'hashlimit-name': o.name = xtString(text, { min: 1, size: 255 }); return
      case 'hashlimit-rate-match': o.mode |= MODE_RATE_MATCH; return
      case 'hashlimit-rate-interval': {
        const n = Number(atoll(text))
        if (!(n > 0)) throw paramAct.badValue('hashlimit', '--hashlimit-rate-interval', text)
        o.interval = n
      }
    }
  },
  finalCheck(o, env) {
    if (!env.seen.includes('hashlimit-upto') && !env.seen.includes('hashlimit-above')) throw new ParameterProblem('You have to specify --hashlimit')
    if (!env.seen.includes('hashlimit-htable-expire')) o.expire = o.mult * 1000
    if (o.mode & MODE_BYTES) {
      let burst = 0n
      if (env.seen.includes('hashlimit-burst')) {
        const unit = costToBytes(o.avg)
        if (o.burst < unit) throw new ParameterProblem(`burst cannot be smaller than ${unit}b`)
        burst = (o.burst & UINT32_MAX) / unit
        if (o.burst % unit) burst++
        burst &= UINT32_MAX
        if (!env.seen.includes('hashlimit-htable-expire')) o.expire = 60000
      }
      o.burst = burst
    } else if (o.burst > 1000000n) {
      throw new ParameterProblem('bad value for option "--hashlimit-burst", or out of range (1-1000000).')
    }
    if (o.mode & MODE_RATE_MATCH) {
      if (!(o.mode & MODE_BYTES)) o.avg /= BigInt(o.mult)
      if (o.interval === 0) o.interval = o.mode & MODE_BYTES ? 1 : o.mult
    }
  },
  kernelCheck(o) {
    if (o.mode & MODE_RATE_MATCH) {
      if (o.avg === 0n || o.avg > UINT32_MAX) return 'ERANGE'
      if (o.interval === 0) return 'EINVAL'
    } else if (o.mode & MODE_BYTES) {
      if (user2creditsByte(o.avg) === 0n) return 'EINVAL'
    } else if (o.burst === 0n || user2credits((o.avg * o.burst) & U64) < user2credits(o.avg)) {
      return 'ERANGE'
    }
    if (!o.gcInterval || !o.expire) return 'EINVAL'
    if (o.srcmask > 32 || o.dstmask > 32) return 'EINVAL'
    return undefined
  },
  save: (o) => pieces(o, true).join(' '),
  list: (o) => pieces(o, false).join(' '),
  evaluate(o, ctx) {
    const clause = `-m hashlimit ${this.save(o)}`
    const p = ctx.packet
    const keyParts: string[] = []
    const masked = (a: string, prefix: number) => formatIPv4(((parseStrictIPv4(a) ?? 0) & prefixToMask(prefix)) >>> 0)
    if (o.mode & MODE_SIP) keyParts.push(`srcip ${masked(p.src, o.srcmask)}`)
    if (o.mode & MODE_SPT) keyParts.push(`srcport ${p.sport ?? 0}`)
    if (o.mode & MODE_DIP) keyParts.push(`dstip ${masked(p.dst, o.dstmask)}`)
    if (o.mode & MODE_DPT) keyParts.push(`dstport ${p.dport ?? 0}`)
    const group = keyParts.length ? keyParts.join(', ') : 'all packets'
    const tableKey = `hashlimit:${o.name}`
    const table = (ctx.state.get(tableKey) as Map<string, Bucket> | undefined) ?? new Map<string, Bucket>()
    ctx.state.set(tableKey, table)
    const now = Math.floor(ctx.now / 4)
    let b = table.get(group)
    const fresh = !b || b.expires <= ctx.now
    if (!b || fresh) {
      b = {
        prev: now, credit: 0n, cap: 0n, cost: 0n, expires: 0, rate: o.avg ? SCALE / o.avg : 0n, currentRate: 0n, prevWindow: false,
      }
      if (o.mode & MODE_BYTES) {
        b.credit = CREDITS_PER_JIFFY_BYTES * HZ
        b.cap = o.burst
        b.cost = user2creditsByte(o.avg)
      } else {
        b.credit = user2credits((o.avg * o.burst) & U64)
        b.cap = b.credit
        b.cost = user2credits(o.avg)
      }
      table.set(group, b)
    } else {
      const delta = BigInt(now - b.prev)
      if (o.mode & MODE_RATE_MATCH) {
        const interval = BigInt(o.interval) * HZ
        if (delta >= interval) {
          b.prev = now
          b.prevWindow = b.currentRate * interval > delta * b.rate
          b.currentRate = 0n
        }
      } else if (delta > 0n) {
        b.prev = now
        if (o.mode & MODE_BYTES) {
          b.credit += CREDITS_PER_JIFFY_BYTES * delta
          if (b.credit > CREDITS_PER_JIFFY_BYTES * HZ) b.credit = CREDITS_PER_JIFFY_BYTES * HZ
        } else {
          b.credit += delta * CREDITS_PER_JIFFY
          if (b.credit > b.cap) b.credit = b.cap
        }
      }
    }
    b.expires = ctx.now + o.expire
    const above = (o.mode & MODE_INVERT) !== 0
    let within: boolean
    if (o.mode & MODE_RATE_MATCH) {
      b.currentRate += o.mode & MODE_BYTES ? BigInt(p.length) : 1n
      within = !b.prevWindow && b.currentRate <= o.burst
    } else {
      let cost = b.cost
      if (o.mode & MODE_BYTES) {
        cost = ((BigInt(p.length) >> BYTE_SHIFT) + 1n) * b.cost
        if (cost > CREDITS_PER_JIFFY_BYTES * HZ) cost = CREDITS_PER_JIFFY_BYTES * HZ
        if (b.credit < cost && b.cap > 0n) {
          b.cap--
          b.credit = CREDITS_PER_JIFFY_BYTES * HZ
        }
      }
      within = b.credit >= cost
      if (within) b.credit -= cost
    }
    const rate = pieces(o, false)[1]
    return [{
      clause, matched: within !== above,
      why: `${group} in table ${o.name}: ${within ? `within ${rate}` : `over ${rate}`}${fresh ? ' (a new entry: a full bucket)' : ''}`,
    }]
  },
}

/** XTTYPE_PLEN's value: a prefix length, or 255 for a mask that is not one (xtables_ipmask_to_cidr). */
function maskLength(prefix: number): number {
  return prefix < 0 ? 255 : prefix
}
