/**
 * `-j CT` (raw table only): `--notrack`, `--zone[-orig|-reply] ID|mark`, `--helper NAME`, `--timeout
 * POLICY`, `--ctevents LIST`, `--expevents new` — the template conntrack attaches to the connection it
 * creates for the packet. The kernel checks a helper against the rule's protocol (ftp needs `-p tcp`,
 * tftp `-p udp`…; an unknown helper or a missing protocol is ENOENT) and finds no timeout policy here
 * (`nfct timeout` objects do not exist: ENOENT, EINVAL without a protocol). `-j NOTRACK` is the old name of
 * `-j CT --notrack`; `-L` shows it in the target column as CT.
 */
import type { TargetModule } from '../module-api.ts'
import { ParameterProblem } from '../module-api.ts'
import { joinParts } from '../values.ts'
import { cutBytes, xtStrtoul } from '../xtopt.ts'
import type { ConntrackTemplate } from '../types.ts'

const CT_EVENTS = ['new', 'related', 'destroy', 'reply', 'assured', 'protoinfo', 'helper', 'mark', 'natseqinfo', 'secmark']
const EXP_EVENTS = ['new']

/** Helpers this kernel has, with the protocols each serves (measured with `-j CT --helper`). */
const HELPERS: Record<string, number[]> = {
  ftp: [6], tftp: [17], sip: [6, 17], irc: [6], amanda: [17], RAS: [17], 'Q.931': [6], pptp: [6], sane: [6],
  snmp: [17], snmp_trap: [17], 'netbios-ns': [17],
}

export interface CtOptions {
  notrack: boolean
  zone: number
  zoneMark: boolean
  zoneDir?: 'orig' | 'reply' | 'both'
  helper: string
  timeout: string
  ctevents: string[]
  expevents: string[]
}

function parseEvents(text: string, table: string[]): string[] {
  const seen = new Set<string>()
  for (const part of text.split(',')) {
    if (!table.includes(part)) throw new ParameterProblem(`Unknown event type "${part}"`)
    seen.add(part)
  }
  return table.filter((e) => seen.has(e))
}

function zoneSuffix(o: CtOptions): string {
  return o.zoneDir === 'orig' ? '-orig' : o.zoneDir === 'reply' ? '-reply' : ''
}

function pieces(o: CtOptions, prefix: string): string[] {
  const parts: string[] = []
  if (o.notrack) parts.push(`${prefix}notrack`)
  if (o.helper) parts.push(`${prefix}helper ${o.helper}`)
  if (o.timeout) parts.push(`${prefix}timeout ${o.timeout}`)
  if (o.ctevents.length) parts.push(`${prefix}ctevents ${o.ctevents.join(',')}`)
  if (o.expevents.length) parts.push(`${prefix}expevents ${o.expevents.join(',')}`)
  if (o.zoneMark) parts.push(`${prefix}zone${zoneSuffix(o)} mark`)
  else if (o.zone) parts.push(`${prefix}zone${zoneSuffix(o)} ${o.zone}`)
  return parts
}

export const ctTarget: TargetModule<CtOptions> = {
  kind: 'target',
  name: 'CT',
  table: 'raw',
  xtopt: true,
  options: [
    { name: 'notrack', arg: 'none' }, { name: 'helper', arg: 'required' }, { name: 'timeout', arg: 'required' },
    { name: 'ctevents', arg: 'required' }, { name: 'expevents', arg: 'required' }, { name: 'zone-orig', arg: 'required' },
    { name: 'zone-reply', arg: 'required' }, { name: 'zone', arg: 'required' },
  ],
  create: () => ({ notrack: false, zone: 0, zoneMark: false, helper: '', timeout: '', ctevents: [], expevents: [] }),
  parse(o, option, arg) {
    const text = arg ?? ''
    switch (option) {
      case 'notrack': o.notrack = true; return
      case 'helper': o.helper = cutBytes(text, 15); return
      case 'timeout': o.timeout = cutBytes(text, 31); return
      case 'ctevents': o.ctevents = parseEvents(text, CT_EVENTS); return
      case 'expevents': o.expevents = parseEvents(text, EXP_EVENTS); return
    }
    // ct_parse_zone_id: a direction flag for -orig/-reply, then the id or `mark`.
    if (option === 'zone-orig') o.zoneDir = o.zoneDir === 'reply' || o.zoneDir === 'both' ? 'both' : 'orig'
    if (option === 'zone-reply') o.zoneDir = o.zoneDir === 'orig' || o.zoneDir === 'both' ? 'both' : 'reply'
    o.zone = 0
    if (text.toLowerCase() === 'mark') {
      o.zoneMark = true
      return
    }
    const v = xtStrtoul(text, 0n, 0xffffn)
    if (v === undefined) throw new ParameterProblem(`Cannot parse ${text} as a zone ID`)
    o.zone = Number(v)
  },
  kernelCheck(o, rule) {
    if (o.notrack) return undefined
    const proto = rule.protocolInverted ? 0 : (rule.protocol ?? 0)
    if (o.helper) {
      if (!proto || !HELPERS[o.helper]?.includes(proto)) return 'ENOENT'
    }
    if (o.timeout) return proto ? 'ENOENT' : 'EINVAL'
    return undefined
  },
  save: (o) => joinParts(pieces(o, '--')),
  list: (o) => joinParts(['CT', ...pieces(o, '')]),
  apply(o, ctx) {
    if (o.notrack) return { outcome: { verdict: 'CONTINUE' }, notrack: true, why: 'connection tracking switched off for this packet' }
    const zone = o.zoneMark ? ctx.packet.mark & 0xffff : o.zone
    const template: ConntrackTemplate = {}
    if (zone) template.zone = zone
    if (zone && (o.zoneDir === 'orig' || o.zoneDir === 'reply')) template.zoneDir = o.zoneDir
    if (o.helper) template.helper = o.helper
    const parts = [zone ? `zone ${zone}${o.zoneMark ? ' (from the packet mark)' : ''}` : '', o.helper ? `helper ${o.helper}` : ''].filter(Boolean)
    return {
      outcome: { verdict: 'CONTINUE' }, ctTemplate: template,
      why: parts.length ? `a new connection for this packet gets ${parts.join(' and ')}` : 'conntrack template without changes',
    }
  },
}

export const notrackTarget: TargetModule<Record<string, never>> = {
  kind: 'target',
  name: 'NOTRACK',
  listName: 'CT',
  table: 'raw',
  options: [],
  create: () => ({}),
  parse: () => undefined,
  save: () => '',
  list: () => 'NOTRACK',
  apply: () => ({ outcome: { verdict: 'CONTINUE' }, notrack: true, why: 'connection tracking switched off for this packet' }),
}
