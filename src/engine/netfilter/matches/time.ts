/**
 * `-m time`: `--timestart/--timestop hh:mm[:ss]`, `--weekdays`, `--monthdays`, `--datestart/--datestop`
 * (ISO 8601, UTC), `--kerneltz` (`--localtz`, its old name, warns) and `--contiguous`. Parsed and printed as
 * libxt_time does, its quirks included (a weekday is recognised by its first two letters; `11st`).
 *
 * The simulated node has no wall clock (its time is an uptime), so the match is an assumption: true by
 * default — the rule is taken to be in its time window — flip with `--assume time=false`.
 */
import type { MatchModule } from '../module-api.ts'
import { ParameterProblem } from '../module-api.ts'
import { strtoumax } from '../xtopt.ts'
import { assumedClause } from '../assumptions.ts'

const WEEK_DAYS = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']
const ALL_WEEKDAYS = 0xfe
const ALL_MONTHDAYS = 0xfffffffe
const MAX_DAYTIME = 24 * 60 * 60 - 1
const INT_MAX = 0x7fffffff

export interface TimeOptions {
  dateStart: number
  dateStop: number
  dayStart: number
  dayStop: number
  weekdays: number
  monthdays: number
  localTz: boolean
  contiguous: boolean
}

const LOCALTZ_WARNING = 'WARNING: --localtz is being replaced by --kerneltz, since "local" is ambiguous. Note the kernel timezone has caveats - see manpage for details.\n'

/** strtoul(s, &e, 10) without the sign and blank handling that never applies here: value and end. */
function dec(s: string): { value: number; end: number } {
  const r = strtoumax(s, 10)
  if (!r) return { value: 0, end: 0 }
  return { value: r.value > 0xffffffffn ? 0xffffffff : Number(r.value), end: r.end }
}

function parseDaytime(text: string): number {
  let s = text
  const bad = () => new ParameterProblem(`invalid time "${s}" specified, should be hh:mm[:ss] format and within the boundaries`)
  const h = dec(s)
  if (s[h.end] !== ':' || h.value > 23) throw bad()
  s = s.slice(h.end + 1)
  const m = dec(s)
  if ((m.end < s.length && s[m.end] !== ':') || m.value > 59) throw bad()
  if (m.end >= s.length) return 3600 * h.value + 60 * m.value
  s = s.slice(m.end + 1)
  const sec = dec(s)
  if (sec.end < s.length || sec.value > 59) throw bad()
  return 3600 * h.value + 60 * m.value + sec.value
}

function parseDate(text: string): number {
  const bad = () => new ParameterProblem(`Invalid date "${text}" specified. Should be YYYY[-MM[-DD[Thh[:mm[:ss]]]]]`)
  const parts = [1970, 1, 1, 0, 0, 0]
  const seps = ['-', '-', 'T', ':', ':', '']
  const limits = [[1970, 2038], [0, 12], [0, 31], [0, 23], [0, 59], [0, 59]]
  let s = text
  for (let i = 0; i < 6; i++) {
    const r = dec(s)
    const next = s[r.end]
    const last = i === 5
    if ((last ? r.end !== s.length : next !== seps[i] && next !== undefined) || r.value < limits[i][0] || r.value > limits[i][1]) throw bad()
    parts[i] = r.value
    if (next === undefined) break
    s = s.slice(r.end + 1)
  }
  // mktime in UTC, normalising a month or day out of range as it does (month 0 is December before).
  return Math.floor(Date.UTC(parts[0], parts[1] - 1, parts[2], parts[3], parts[4], parts[5]) / 1000)
}

/** my_strseg: the segments between commas, each cut to `size - 1` characters. */
function segments(text: string, size: number): string[] {
  if (text === '') return []
  return text.split(',').map((p) => p.slice(0, size - 1)).filter((_p, i, all) => !(i === all.length - 1 && text.endsWith(',') && all[i] === ''))
}

function parseWeekdays(text: string): number {
  let mask = 0
  for (const day of segments(text, 4)) {
    const r = strtoumax(day, 0)
    const n = r && r.end === day.length ? Number(r.value) : 0
    if (r && r.end === day.length && n > 0) {
      mask |= 2 ** n
      continue
    }
    if (n === 0 && r && r.end === day.length) throw new ParameterProblem('No, the week does NOT begin with Sunday.')
    let valid = false
    for (let i = 1; i < WEEK_DAYS.length; i++) {
      if (day.slice(0, 2) === WEEK_DAYS[i].slice(0, 2) && day.length >= 2) {
        mask |= 1 << i
        valid = true
      }
    }
    if (!valid) {
      if (day === '') throw new ParameterProblem('No, the week does NOT begin with Sunday.')
      throw new ParameterProblem(`${day} is not a valid day specifier`)
    }
  }
  return mask >>> 0
}

function parseMonthdays(text: string): number {
  let mask = 0
  for (const day of segments(text, 3)) {
    const r = strtoumax(day, 0)
    const n = r ? Number(r.value) : 0
    if ((r ? r.end : 0) !== day.length || n > 31) throw new ParameterProblem(`${day} is not a valid day for --monthdays`)
    mask = (mask | 2 ** n) >>> 0
  }
  return mask
}

const p2 = (n: number) => String(n).padStart(2, '0')
const daytime = (t: number) => `${p2(Math.floor(t / 3600))}:${p2(Math.floor(t / 60) % 60)}:${p2(t % 60)}`

function dateText(t: number, sep: string): string {
  const d = new Date(t * 1000)
  return `${String(d.getUTCFullYear()).padStart(4, '0')}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())}${sep}${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`
}

function weekdaysText(mask: number): string {
  return WEEK_DAYS.slice(1).filter((_d, i) => mask & (1 << (i + 1))).join(',')
}

function monthdaysText(mask: number, human: boolean): string {
  const out: string[] = []
  for (let i = 1; i <= 31; i++) {
    if (!(mask & (2 ** i))) continue
    const suffix = human ? (['th', 'st', 'nd', 'rd'][i % 10] ?? 'th') : ''
    out.push(`${i}${suffix}`)
  }
  return out.join(',')
}

export const timeMatch: MatchModule<TimeOptions> = {
  kind: 'match',
  name: 'time',
  xtopt: true,
  options: [
    { name: 'datestart', arg: 'required' }, { name: 'datestop', arg: 'required' }, { name: 'timestart', arg: 'required' },
    { name: 'timestop', arg: 'required' }, { name: 'weekdays', arg: 'required', invertible: true },
    { name: 'monthdays', arg: 'required', invertible: true }, { name: 'localtz', arg: 'none', excl: ['utc'] },
    { name: 'kerneltz', arg: 'none', excl: ['utc'] }, { name: 'utc', arg: 'none', excl: ['localtz', 'kerneltz'] },
    { name: 'contiguous', arg: 'none' },
  ],
  create: () => ({
    dateStart: 0, dateStop: INT_MAX, dayStart: 0, dayStop: MAX_DAYTIME, weekdays: ALL_WEEKDAYS, monthdays: ALL_MONTHDAYS,
    localTz: false, contiguous: false,
  }),
  parse(o, option, arg, inverted, env) {
    const text = arg ?? ''
    switch (option) {
      case 'datestart': o.dateStart = parseDate(text); return
      case 'datestop': o.dateStop = parseDate(text); return
      case 'timestart': o.dayStart = parseDaytime(text); return
      case 'timestop': o.dayStop = parseDaytime(text); return
      case 'weekdays': o.weekdays = (parseWeekdays(text) ^ (inverted ? ALL_WEEKDAYS : 0)) >>> 0; return
      case 'monthdays': o.monthdays = (parseMonthdays(text) ^ (inverted ? ALL_MONTHDAYS : 0)) >>> 0; return
      case 'localtz':
        env.warn?.(LOCALTZ_WARNING)
        o.localTz = true
        return
      case 'kerneltz': o.localTz = true; return
      case 'utc': o.localTz = false; return
      case 'contiguous': o.contiguous = true
    }
  },
  finalCheck(o) {
    if (o.contiguous && o.dayStart < o.dayStop) throw new ParameterProblem('time: --contiguous only makes sense when stoptime is smaller than starttime')
  },
  save(o) {
    const parts: string[] = []
    if (o.dayStart !== 0 || o.dayStop !== MAX_DAYTIME) parts.push(`--timestart ${daytime(o.dayStart)} --timestop ${daytime(o.dayStop)}`)
    if (o.weekdays !== ALL_WEEKDAYS) parts.push(`--weekdays ${weekdaysText(o.weekdays)}`)
    if (o.monthdays !== ALL_MONTHDAYS) parts.push(`--monthdays ${monthdaysText(o.monthdays, false)}`)
    if (o.dateStart !== 0) parts.push(`--datestart ${dateText(o.dateStart, 'T')}`)
    if (o.dateStop !== 0) parts.push(`--datestop ${dateText(o.dateStop, 'T')}`)
    if (o.localTz) parts.push('--kerneltz')
    if (o.contiguous) parts.push('--contiguous')
    return parts.join(' ')
  },
  list(o) {
    const parts = ['TIME']
    if (o.dayStart !== 0 || o.dayStop !== MAX_DAYTIME) parts.push(`from ${daytime(o.dayStart)} to ${daytime(o.dayStop)}`)
    if (o.weekdays !== ALL_WEEKDAYS) parts.push(`on ${weekdaysText(o.weekdays)}`)
    if (o.monthdays !== ALL_MONTHDAYS) parts.push(`on ${monthdaysText(o.monthdays, true)}`)
    if (o.dateStart !== 0) parts.push(`starting from ${dateText(o.dateStart, ' ')}`)
    // time_print_date prints nothing for the epoch itself.
    if (o.dateStop !== INT_MAX) parts.push(o.dateStop === 0 ? 'until date' : `until date ${dateText(o.dateStop, ' ')}`)
    if (!o.localTz) parts.push('UTC')
    if (o.contiguous) parts.push('contiguous')
    return parts.join(' ')
  },
  evaluate(o, ctx) {
    return [assumedClause(ctx, {
      module: 'time', clause: `-m time ${this.save(o)}`, inverted: false,
      unknown: 'the simulated node has no wall clock', fallback: true,
    })]
  },
}
