/**
 * `-j LOG`: write the packet to the kernel log and go on with the next rule. apply() returns the line
 * nf_log_syslog.c writes (without the dmesg timestamp): prefix, `IN=`, `OUT=`, `MAC=` (for packets that
 * arrived on an interface), the IP header, then the transport header fields.
 */
import type { TargetModule } from '../module-api.ts'
import { ParameterProblem } from '../module-api.ts'
import type { Packet } from '../types.ts'
import { saveString } from '../values.ts'

const LEVELS: Record<string, number> = {
  alert: 1, crit: 2, debug: 7, emerg: 0, error: 3, info: 6, notice: 5, panic: 0, warning: 4,
}
/** What `-L` (without -n) prints for each level. */
const LIST_LEVELS = ['emerg', 'alert', 'crit', 'err', 'warn', 'notice', 'info', 'debug']
const FLAG_BITS = { tcpSequence: 0x01, tcpOptions: 0x02, ipOptions: 0x04, uid: 0x08, macDecode: 0x20 }

export interface LogOptions {
  level: number
  prefix?: string
  tcpSequence: boolean
  tcpOptions: boolean
  ipOptions: boolean
  uid: boolean
  macDecode: boolean
}

function flags(o: LogOptions): number {
  let f = 0
  for (const [k, bit] of Object.entries(FLAG_BITS)) if (o[k as keyof typeof FLAG_BITS]) f |= bit
  return f
}

const PROTO_NAMES: Record<string, string> = { tcp: 'TCP', udp: 'UDP', icmp: 'ICMP', sctp: 'SCTP' }
const PROTO_NUMBERS: Record<string, number> = { tcp: 6, udp: 17, icmp: 1, sctp: 132 }

/** The kernel log line for a packet (what dmesg shows after the timestamp). */
export function kernelLogLine(p: Packet, prefix: string, o: Pick<LogOptions, 'tcpSequence' | 'uid'>): string {
  let s = `${prefix}IN=${p.inIface ?? ''} OUT=${p.outIface ?? ''} `
  if (p.inIface) s += `MAC=${p.macHeader ?? ''} `
  const tos = p.tos ?? 0
  s += `SRC=${p.src} DST=${p.dst} `
  s += `LEN=${p.length} TOS=0x${(tos & 0x1e).toString(16).toUpperCase().padStart(2, '0')} PREC=0x${(tos & 0xe0).toString(16).toUpperCase().padStart(2, '0')} TTL=${p.ttl} ID=${p.ipId ?? 0} `
  if (p.dontFragment) s += 'DF '
  const proto = typeof p.proto === 'string' ? p.proto : undefined
  if (proto === 'tcp') {
    s += `PROTO=TCP SPT=${p.sport ?? 0} DPT=${p.dport ?? 0} `
    if (o.tcpSequence) s += `SEQ=${p.tcpSeq ?? 0} ACK=${p.tcpAck ?? 0} `
    s += `WINDOW=${p.tcpWindow ?? 64240} RES=0x00 `
    const f = p.tcpFlags
    if (f) {
      if (f.CWR) s += 'CWR '
      if (f.ECE) s += 'ECE '
      if (f.URG) s += 'URG '
      if (f.ACK) s += 'ACK '
      if (f.PSH) s += 'PSH '
      if (f.RST) s += 'RST '
      if (f.SYN) s += 'SYN '
      if (f.FIN) s += 'FIN '
    }
    s += 'URGP=0 '
  } else if (proto === 'udp') {
    // UDP length: the IP total length minus a 20-byte header.
    s += `PROTO=UDP SPT=${p.sport ?? 0} DPT=${p.dport ?? 0} LEN=${Math.max(8, p.length - 20)} `
  } else if (proto === 'icmp') {
    s += `PROTO=ICMP TYPE=${p.icmpType ?? 8} CODE=${p.icmpCode ?? 0} `
    if (p.icmpType === 8 || p.icmpType === 0 || p.icmpType === undefined) s += `ID=${p.icmpId ?? 0} SEQ=${p.icmpSeq ?? 1} `
  } else {
    const n = typeof p.proto === 'number' ? p.proto : (PROTO_NUMBERS[p.proto] ?? 0)
    s += PROTO_NAMES[String(p.proto)] && n === 132 ? 'PROTO=SCTP ' : `PROTO=${n} `
  }
  if (o.uid && p.uid !== undefined) s += `UID=${p.uid} GID=${p.gid ?? p.uid} `
  if (p.mark) s += `MARK=0x${(p.mark >>> 0).toString(16)} `
  return s
}

export const logTarget: TargetModule<LogOptions> = {
  kind: 'target',
  name: 'LOG',
  xtopt: true,
  options: [
    { name: 'log-level', arg: 'required' }, { name: 'log-prefix', arg: 'required' },
    { name: 'log-tcp-sequence', arg: 'none' }, { name: 'log-tcp-options', arg: 'none' },
    { name: 'log-ip-options', arg: 'none' }, { name: 'log-uid', arg: 'none' }, { name: 'log-macdecode', arg: 'none' },
  ],
  create: () => ({ level: 4, tcpSequence: false, tcpOptions: false, ipOptions: false, uid: false, macDecode: false }),
  parse(o, option, arg) {
    switch (option) {
      case 'log-level': {
        const text = arg ?? ''
        const level = /^[0-7]$/.test(text) ? Number(text) : LEVELS[text.toLowerCase()]
        if (level === undefined) throw new ParameterProblem(`log level "${text}" unknown\n`)
        o.level = level
        return
      }
      case 'log-prefix':
        if ((arg ?? '') === '') throw new ParameterProblem('Argument must have a minimum length of 1 characters\n')
        // The kernel keeps 29 characters plus the terminating NUL.
        o.prefix = (arg ?? '').slice(0, 29)
        return
      case 'log-tcp-sequence': o.tcpSequence = true; return
      case 'log-tcp-options': o.tcpOptions = true; return
      case 'log-ip-options': o.ipOptions = true; return
      case 'log-uid': o.uid = true; return
      case 'log-macdecode': o.macDecode = true
    }
  },
  save(o) {
    const parts: string[] = []
    if (o.prefix) parts.push(`--log-prefix ${saveString(o.prefix)}`)
    if (o.level !== 4) parts.push(`--log-level ${o.level}`)
    if (o.tcpSequence) parts.push('--log-tcp-sequence')
    if (o.tcpOptions) parts.push('--log-tcp-options')
    if (o.ipOptions) parts.push('--log-ip-options')
    if (o.uid) parts.push('--log-uid')
    if (o.macDecode) parts.push('--log-macdecode')
    return parts.join(' ')
  },
  list(o, numeric) {
    const prefix = o.prefix !== undefined && o.prefix !== '' ? ` prefix "${o.prefix}"` : ''
    if (numeric) return `LOG flags ${flags(o)} level ${o.level}${prefix}`
    const words = ['LOG', `level ${LIST_LEVELS[o.level]}`]
    if (o.tcpSequence) words.push('tcp-sequence')
    if (o.tcpOptions) words.push('tcp-options')
    if (o.ipOptions) words.push('ip-options')
    if (o.uid) words.push('uid')
    if (o.macDecode) words.push('macdecode')
    return words.join(' ') + prefix
  },
  apply(o, ctx) {
    const line = kernelLogLine(ctx.packet, o.prefix ?? '', o)
    return { outcome: { verdict: 'CONTINUE' }, log: line, why: 'logged to the kernel log; evaluation continues' }
  },
}
