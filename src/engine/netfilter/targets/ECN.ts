/**
 * `-j ECN --ecn-tcp-remove | --ecn-tcp-cwr 0|1 --ecn-tcp-ece 0|1 --ecn-ip-ect 0-3` (mangle table): set the
 * ECN codepoint of the IP header and the ECE/CWR bits of TCP. The TCP bits need `-p tcp`.
 */
import type { TargetModule } from '../module-api.ts'
import { ParameterProblem } from '../module-api.ts'
import { xtUint } from '../xtopt.ts'
import { hex2 } from '../matches/dscp-classes.ts'

export interface EcnTargetOptions {
  ece?: number
  cwr?: number
  ect?: number
}

/** Whether the options are what `--ecn-tcp-remove` sets (both bits cleared, no IP codepoint). */
const isRemove = (o: EcnTargetOptions) => o.ece === 0 && o.cwr === 0 && o.ect === undefined

export const ecnTarget: TargetModule<EcnTargetOptions> = {
  kind: 'target',
  name: 'ECN',
  xtopt: true,
  table: 'mangle',
  options: [
    { name: 'ecn-tcp-remove', arg: 'none', excl: ['ecn-tcp-cwr', 'ecn-tcp-ece'] },
    { name: 'ecn-tcp-cwr', arg: 'required', excl: ['ecn-tcp-remove'] },
    { name: 'ecn-tcp-ece', arg: 'required', excl: ['ecn-tcp-remove'] },
    { name: 'ecn-ip-ect', arg: 'required' },
  ],
  create: () => ({}),
  parse(o, option, arg) {
    const text = arg ?? ''
    switch (option) {
      case 'ecn-tcp-remove': o.ece = 0; o.cwr = 0; return
      case 'ecn-tcp-cwr': o.cwr = xtUint('ECN', option, text, 8, 0, 1); return
      case 'ecn-tcp-ece': o.ece = xtUint('ECN', option, text, 8, 0, 1); return
      case 'ecn-ip-ect': o.ect = xtUint('ECN', option, text, 8, 0, 3)
    }
  },
  finalCheck(_o, env) {
    if (env.seen.length === 0) throw new ParameterProblem('ECN target: An operation is required')
  },
  kernelCheck: (o, rule) => ((o.ece !== undefined || o.cwr !== undefined) && (rule.protocol !== 6 || rule.protocolInverted) ? 'EINVAL' : undefined),
  save(o) {
    if (isRemove(o)) return '--ecn-tcp-remove'
    const parts: string[] = []
    if (o.ece !== undefined) parts.push(`--ecn-tcp-ece ${o.ece}`)
    if (o.cwr !== undefined) parts.push(`--ecn-tcp-cwr ${o.cwr}`)
    if (o.ect !== undefined) parts.push(`--ecn-ip-ect ${o.ect}`)
    return parts.join(' ')
  },
  list(o) {
    if (isRemove(o)) return 'ECN TCP remove'
    const parts = ['ECN']
    if (o.ece !== undefined) parts.push(`ECE=${o.ece}`)
    if (o.cwr !== undefined) parts.push(`CWR=${o.cwr}`)
    if (o.ect !== undefined) parts.push(`ECT codepoint=${o.ect}`)
    return parts.join(' ')
  },
  apply(o, ctx) {
    const p = ctx.packet
    const changes: string[] = []
    const packet: { tos?: number; tcpFlags?: NonNullable<typeof p.tcpFlags> } = {}
    if (o.ect !== undefined) {
      const tos = p.tos ?? 0
      const next = (tos & ~0x03) | o.ect
      if (next !== tos) {
        packet.tos = next
        changes.push(`TOS ${hex2(tos)} -> ${hex2(next)}`)
      }
    }
    if ((o.ece !== undefined || o.cwr !== undefined) && p.proto === 'tcp' && p.tcpFlags) {
      const flags = { ...p.tcpFlags }
      let changed = false
      if (o.ece !== undefined && Boolean(flags.ECE) !== (o.ece === 1)) { flags.ECE = o.ece === 1; changed = true; changes.push(`ECE ${o.ece}`) }
      if (o.cwr !== undefined && Boolean(flags.CWR) !== (o.cwr === 1)) { flags.CWR = o.cwr === 1; changed = true; changes.push(`CWR ${o.cwr}`) }
      if (changed) packet.tcpFlags = flags
    }
    return { outcome: { verdict: 'CONTINUE' }, packet, why: changes.length ? `ECN: ${changes.join(', ')}` : 'ECN bits already as asked' }
  },
}
