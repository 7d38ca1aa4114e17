/**
 * `-j TPROXY --on-port PORT [--on-ip ADDR] [--tproxy-mark VALUE[/MASK]]` (mangle PREROUTING, `-p tcp` or
 * `-p udp`): hand the packet to a local transparent socket on ADDR:PORT (the incoming interface's address
 * and the packet's own port when 0) without rewriting it, and mark it. As xt_TPROXY does: with no such
 * socket the packet is dropped. The simulation has no sockets, so whether one listens is an assumption
 * (default: none; flip with `--assume TPROXY=true`).
 */
import type { TargetModule } from '../module-api.ts'
import { xtHost, xtMarkMask, xtPort } from '../xtopt.ts'
import { formatIPv4 } from '../../net/ipv4.ts'
import { assumedValue } from '../assumptions.ts'
import type { Hook } from '../types.ts'
import { applyXmark } from './MARK.ts'

export interface TproxyOptions {
  port: number
  ip: number
  markValue: number
  markMask: number
}

const hex = (n: number) => `0x${(n >>> 0).toString(16)}`

export const tproxyTarget: TargetModule<TproxyOptions> = {
  kind: 'target',
  name: 'TPROXY',
  xtopt: true,
  table: 'mangle',
  options: [{ name: 'on-port', arg: 'required', mandatory: true }, { name: 'on-ip', arg: 'required' }, { name: 'tproxy-mark', arg: 'required' }],
  create: () => ({ port: 0, ip: 0, markValue: 0, markMask: 0 }),
  parse(o, option, arg) {
    const text = arg ?? ''
    if (option === 'on-port') o.port = xtPort(text)
    else if (option === 'on-ip') o.ip = xtHost(text)
    else {
      const m = xtMarkMask('TPROXY', option, text)
      o.markValue = m.value
      o.markMask = m.mask
    }
  },
  kernelCheck: (_o, rule) => ((rule.protocol === 6 || rule.protocol === 17) && !rule.protocolInverted ? undefined : 'EINVAL'),
  hooks: (): readonly Hook[] => ['PREROUTING'],
  save: (o) => `--on-port ${o.port} --on-ip ${formatIPv4(o.ip)} --tproxy-mark ${hex(o.markValue)}/${hex(o.markMask)}`,
  list: (o) => `TPROXY redirect ${formatIPv4(o.ip)}:${o.port} mark ${hex(o.markValue)}/${hex(o.markMask)}`,
  apply(o, ctx) {
    const p = ctx.packet
    const addr = o.ip ? formatIPv4(o.ip) : ((p.inIface && ctx.node.primaryAddress(p.inIface)) ?? p.dst)
    const port = o.port || (p.dport ?? 0)
    const listening = assumedValue(ctx, 'TPROXY', 'the simulation has no sockets', false)
    if (!listening.value) return { outcome: { verdict: 'DROP' }, why: `no transparent socket on ${addr}:${port}, so the kernel drops the packet: ${listening.why}` }
    const mark = applyXmark(p.mark, o.markValue, o.markMask)
    return { outcome: { verdict: 'ACCEPT' }, mark, why: `handed to the transparent socket on ${addr}:${port}, mark ${hex(p.mark)} -> ${hex(mark)}: ${listening.why}` }
  },
}
