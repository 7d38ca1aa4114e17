/**
 * `-m owner [!] --socket-exists [!] --uid-owner U[-U] [!] --gid-owner G[-G] [--suppl-groups]`: the local
 * socket that sent the packet (OUTPUT and POSTROUTING only). Names come from a Debian base /etc/passwd and /etc/group, embedded.
 */
import type { MatchModule } from '../module-api.ts'
import { ParameterProblem } from '../module-api.ts'
import { paramAct, xtStrtoulPrefix } from '../xtopt.ts'
import type { ClauseResult, Hook } from '../types.ts'

const USERS: Record<string, number> = {
  root: 0, daemon: 1, bin: 2, sys: 3, sync: 4, games: 5, man: 6, lp: 7, mail: 8, news: 9, uucp: 10, proxy: 13,
  'www-data': 33, backup: 34, list: 38, irc: 39, _apt: 42, nobody: 65534,
}
const GROUPS: Record<string, number> = {
  root: 0, daemon: 1, bin: 2, sys: 3, adm: 4, tty: 5, disk: 6, lp: 7, mail: 8, news: 9, uucp: 10, man: 12, proxy: 13,
  kmem: 15, dialout: 20, fax: 21, voice: 22, cdrom: 24, floppy: 25, tape: 26, sudo: 27, audio: 29, dip: 30,
  'www-data': 33, backup: 34, operator: 37, list: 38, irc: 39, src: 40, shadow: 42, utmp: 43, video: 44, sasl: 45,
  plugdev: 46, staff: 50, games: 60, users: 100, nogroup: 65534,
}

interface IdRange { from: number; to: number; inverted: boolean }

export interface OwnerOptions {
  uid?: IdRange
  gid?: IdRange
  socketExists?: { inverted: boolean }
  supplGroups: boolean
}

/** owner_parse_range: a user (or group) name, else `N` or `N-M` (N, M up to 2^32-2). */
function parseIds(text: string, names: Record<string, number>, option: string): [number, number] {
  const bad = () => paramAct.badValue('owner', `--${option}`, text)
  if (names[text] !== undefined) return [names[text], names[text]]
  const a = xtStrtoulPrefix(text, 0n, 0xfffffffen)
  if (!a) throw bad()
  let to = a.value
  if (text[a.end] === '-') {
    const b = xtStrtoulPrefix(text.slice(a.end + 1), 0n, 0xfffffffen)
    if (!b || a.end + 1 + b.end !== text.length) throw bad()
    to = b.value
  } else if (a.end !== text.length) throw bad()
  return [Number(a.value), Number(to)]
}

function idText(r: IdRange, names: Record<string, number>, numeric: boolean): string {
  if (r.from !== r.to) return `${r.from}-${r.to}`
  if (!numeric) for (const [name, id] of Object.entries(names)) if (id === r.from) return name
  return String(r.from)
}

export const ownerMatch: MatchModule<OwnerOptions> = {
  kind: 'match',
  name: 'owner',
  xtopt: true,
  options: [
    { name: 'uid-owner', arg: 'required', invertible: true }, { name: 'gid-owner', arg: 'required', invertible: true },
    { name: 'socket-exists', arg: 'none', invertible: true }, { name: 'suppl-groups', arg: 'none' },
  ],
  create: () => ({ supplGroups: false }),
  parse(o, option, arg, inverted) {
    if (option === 'uid-owner') {
      const [from, to] = parseIds(arg ?? '', USERS, option)
      o.uid = { from, to, inverted }
    } else if (option === 'gid-owner') {
      const [from, to] = parseIds(arg ?? '', GROUPS, option)
      o.gid = { from, to, inverted }
    } else if (option === 'socket-exists') {
      o.socketExists = { inverted }
    } else {
      if (!o.gid) throw paramAct.badValue('owner', '--suppl-groups', 'you need to use --gid-owner first')
      o.supplGroups = true
    }
  },
  finalCheck(o) {
    if (!o.uid && !o.gid && !o.socketExists) throw new ParameterProblem('owner: At least one of --uid-owner, --gid-owner or --socket-exists is required')
  },
  kernelCheck: (o) => ((o.uid && o.uid.from > o.uid.to) || (o.gid && o.gid.from > o.gid.to) ? 'EINVAL' : undefined),
  save(o) {
    const parts: string[] = []
    if (o.socketExists) parts.push(`${o.socketExists.inverted ? '! ' : ''}--socket-exists`)
    if (o.uid) parts.push(`${o.uid.inverted ? '! ' : ''}--uid-owner ${idText(o.uid, USERS, true)}`)
    if (o.gid) parts.push(`${o.gid.inverted ? '! ' : ''}--gid-owner ${idText(o.gid, GROUPS, true)}`)
    if (o.supplGroups) parts.push('--suppl-groups')
    return parts.join(' ')
  },
  list(o, numeric) {
    const parts: string[] = []
    if (o.socketExists) parts.push(`${o.socketExists.inverted ? '! ' : ''}owner socket exists`)
    if (o.uid) parts.push(`${o.uid.inverted ? '! ' : ''}owner UID match ${idText(o.uid, USERS, numeric)}`)
    if (o.gid) parts.push(`${o.gid.inverted ? '! ' : ''}owner GID match ${idText(o.gid, GROUPS, numeric)}`)
    if (o.supplGroups) parts.push('incl. suppl. groups')
    return parts.join(' ')
  },
  hooks: (): readonly Hook[] => ['OUTPUT', 'POSTROUTING'],
  evaluate(o, ctx) {
    const out: ClauseResult[] = []
    const local = ctx.packet.uid !== undefined
    if (o.socketExists) {
      const clause = `-m owner ${o.socketExists.inverted ? '! ' : ''}--socket-exists`
      const matched = local !== o.socketExists.inverted
      out.push({ clause, matched, why: `${local ? 'a local socket sent the packet' : 'the packet has no local socket'}${o.socketExists.inverted ? ' (negated)' : ''}` })
      if (!matched) return out
    }
    for (const [key, r, id] of [['uid', o.uid, ctx.packet.uid], ['gid', o.gid, ctx.packet.gid ?? ctx.packet.uid]] as const) {
      if (!r) continue
      const clause = `-m owner ${r.inverted ? '! ' : ''}--${key}-owner ${r.from === r.to ? r.from : `${r.from}-${r.to}`}`
      // xt_owner: a packet without a socket (forwarded, or sent by the kernel itself) does not match.
      if (id === undefined) {
        out.push({ clause, matched: false, why: 'the packet has no local socket owner' })
        break
      }
      const hit = id >= r.from && id <= r.to
      out.push({ clause, matched: hit !== r.inverted, why: `sent by ${key} ${id}${r.inverted ? ' (negated)' : ''}` })
      if (hit === r.inverted) break
    }
    return out
  },
}
