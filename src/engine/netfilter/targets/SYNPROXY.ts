/**
 * `-j SYNPROXY [--sack-perm] [--timestamp] [--wscale N] [--mss N] [--ecn]` (filter INPUT and FORWARD,
 * `-p tcp`): answer a SYN with a SYN-cookie SYN-ACK for the server behind, and open the connection to the
 * server only when the client's ACK brings a valid cookie (xt_SYNPROXY). The SYN is consumed; so is an ACK,
 * whether its cookie is valid or not; any other segment goes on. The simulation sends no SYN-ACK, so
 * whether an ACK's cookie is valid is an assumption (default: not; flip with `--assume SYNPROXY=true`).
 */
import type { TargetModule } from '../module-api.ts'
import { xtUint } from '../xtopt.ts'
import { assumedValue } from '../assumptions.ts'
import type { Hook, Packet } from '../types.ts'

export interface SynproxyOptions {
  sackPerm: boolean
  timestamp: boolean
  wscale?: number
  mss?: number
  ecn: boolean
}

function parts(o: SynproxyOptions, dashes: string): string[] {
  const out: string[] = []
  if (o.sackPerm) out.push(`${dashes}sack-perm`)
  if (o.timestamp) out.push(`${dashes}timestamp`)
  if (o.wscale !== undefined) out.push(`${dashes}wscale ${o.wscale}`)
  if (o.mss !== undefined) out.push(`${dashes}mss ${o.mss}`)
  if (o.ecn) out.push(`${dashes}ecn`)
  return out
}

export const synproxyTarget: TargetModule<SynproxyOptions> = {
  kind: 'target',
  name: 'SYNPROXY',
  xtopt: true,
  table: 'filter',
  options: [
    { name: 'sack-perm', arg: 'none' }, { name: 'timestamp', arg: 'none' }, { name: 'wscale', arg: 'required' },
    { name: 'mss', arg: 'required' }, { name: 'ecn', arg: 'none' },
  ],
  create: () => ({ sackPerm: false, timestamp: false, ecn: false }),
  parse(o, option, arg) {
    switch (option) {
      case 'sack-perm': o.sackPerm = true; return
      case 'timestamp': o.timestamp = true; return
      case 'ecn': o.ecn = true; return
      // Read as 32-bit numbers and stored in the kernel's 8- and 16-bit fields.
      case 'wscale': o.wscale = xtUint('SYNPROXY', option, arg ?? '') & 0xff; return
      case 'mss': o.mss = xtUint('SYNPROXY', option, arg ?? '') & 0xffff
    }
  },
  kernelCheck: (_o, rule) => (rule.protocol === 6 && !rule.protocolInverted ? undefined : 'EINVAL'),
  hooks: (): readonly Hook[] => ['INPUT', 'FORWARD'],
  save: (o) => parts(o, '--').join(' '),
  list: (o) => `SYNPROXY ${parts(o, '').map((x) => `${x} `).join('')}`,
  apply(o, ctx) {
    const f = ctx.packet.tcpFlags
    if (ctx.packet.proto !== 'tcp' || !f) return { outcome: { verdict: 'CONTINUE' }, why: 'not a TCP segment' }
    if (f.SYN && !f.ACK && !f.FIN && !f.RST) {
      // synproxy_send_client_synack: from the server's address, options the client offered and the rule
      // allows (without --timestamp only the MSS survives), the sequence number a SYN cookie.
      const p = ctx.packet
      const mss = p.tcpMss !== undefined && o.mss !== undefined ? o.mss : undefined
      const answer: Packet = {
        src: p.dst, dst: p.src, proto: 'tcp', sport: p.dport, dport: p.sport, length: 40 + (mss !== undefined ? 4 : 0), ttl: 64, tos: 0,
        mark: 0, dontFragment: true, tcpAck: ((p.tcpSeq ?? 0) + 1) >>> 0,
        tcpFlags: { SYN: true, ACK: true, FIN: false, RST: false, PSH: false, URG: false },
      }
      if (mss !== undefined) answer.tcpMss = mss
      return { outcome: { verdict: 'DROP' }, answer, why: 'SYN taken by SYNPROXY: it answers with a SYN-cookie SYN-ACK itself; the SYN goes no further' }
    }
    if (f.ACK && !f.SYN && !f.FIN && !f.RST) {
      const valid = assumedValue(ctx, 'SYNPROXY', 'the simulation sent no SYN-ACK whose cookie the ACK could carry', false)
      return valid.value
        ? { outcome: { verdict: 'DROP' }, why: `ACK with a valid cookie: SYNPROXY takes it and opens the connection to the server itself (${valid.why})` }
        : { outcome: { verdict: 'DROP' }, why: `ACK without a valid cookie: dropped (${valid.why})` }
    }
    return { outcome: { verdict: 'CONTINUE' }, why: 'neither a SYN nor a bare ACK: SYNPROXY lets it go on' }
  },
}
