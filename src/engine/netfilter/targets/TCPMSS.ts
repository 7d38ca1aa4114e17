/**
 * `-j TCPMSS --set-mss N | --clamp-mss-to-pmtu` (needs `-p tcp`; clamping only in FORWARD, OUTPUT and
 * POSTROUTING): lower the MSS option of a TCP segment to N, or to the path MTU minus 40. As the kernel does
 * (tcpmss_mangle_packet): an MSS is never raised; a segment without an MSS option and without data gets
 * one (at most 536, RFC 1122's default); a segment with data is left alone. The nf_tables backend skips the
 * kernel's check that the rule matches SYNs only, so any TCP segment reaches the target.
 */
import type { TargetModule } from '../module-api.ts'
import { ParameterProblem } from '../module-api.ts'
import { xtUint } from '../xtopt.ts'
import type { EvalContext, Hook, Packet, TargetEffects } from '../types.ts'
import { tcpHeaderLength } from '../packet-bytes.ts'

export interface TcpmssOptions {
  mss?: number
  clamp: boolean
}

/** Interfaces of a simulated node: 1500 bytes, loopback 65536. */
function mtuTowards(ctx: EvalContext, addr: string): number {
  return ctx.route?.(addr)?.local ? 65536 : 1500
}

export const tcpmssTarget: TargetModule<TcpmssOptions> = {
  kind: 'target',
  name: 'TCPMSS',
  xtopt: true,
  options: [{ name: 'set-mss', arg: 'required' }, { name: 'clamp-mss-to-pmtu', arg: 'none' }],
  create: () => ({ clamp: false }),
  parse(o, option, arg) {
    // The last of the two options wins (both write the one mss field; clamping is the value 0xffff).
    if (option === 'clamp-mss-to-pmtu') {
      o.clamp = true
      return
    }
    o.clamp = false
    o.mss = xtUint('TCPMSS', option, arg ?? '', 16, 0, 65515)
  },
  finalCheck(_o, env) {
    if (env.seen.length === 0) throw new ParameterProblem('TCPMSS target: At least one parameter is required')
  },
  save: (o) => (o.clamp ? '--clamp-mss-to-pmtu' : `--set-mss ${o.mss}`),
  list: (o) => (o.clamp ? 'TCPMSS clamp to PMTU' : `TCPMSS set ${o.mss}`),
  kernelCheck: (_o, rule) => (rule.protocol !== 6 || rule.protocolInverted ? 'EINVAL' : undefined),
  hooks: (o): readonly Hook[] | undefined => (o.clamp ? ['FORWARD', 'OUTPUT', 'POSTROUTING'] : undefined),
  apply(o, ctx) {
    const p = ctx.packet
    const go = (why: string, packet?: Partial<Packet>): TargetEffects => ({ outcome: { verdict: 'CONTINUE' }, ...(packet ? { packet } : {}), why })
    if (p.proto !== 'tcp') return go('not a TCP segment')
    let newmss: number
    let source: string
    if (o.clamp) {
      const mtu = Math.min(mtuTowards(ctx, p.dst), mtuTowards(ctx, p.src))
      newmss = mtu - 40
      source = `the path MTU ${mtu} (the simulated interfaces' MTU) minus 40`
    } else {
      newmss = o.mss ?? 0
      source = String(newmss)
    }
    if (p.tcpMss !== undefined) {
      if (p.tcpMss <= newmss) return go(`MSS ${p.tcpMss} kept: not above ${source} (an MSS is never raised)`)
      return go(`MSS ${p.tcpMss} -> ${newmss} (${source})`, { tcpMss: newmss })
    }
    if ((p.payload ?? '').length > 0) return go('no MSS option, and data follows the header: left unchanged')
    if (tcpHeaderLength(p) >= 60) return go('no MSS option, and no room for one in the TCP header')
    const added = Math.min(newmss, 536)
    return go(`no MSS option: one added with ${added} (${source}, at most 536 as RFC 1122 assumes)`, { tcpMss: added, length: p.length + 4 })
  },
}
