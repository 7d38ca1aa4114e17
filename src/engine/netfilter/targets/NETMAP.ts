/**
 * `-j NETMAP --to ADDR/MASK` (nat table, any of its hooks): map a whole network onto another, host part
 * kept — the destination in PREROUTING and OUTPUT, the source in INPUT and POSTROUTING (xt_NETMAP).
 */
import type { TargetModule } from '../module-api.ts'
import { xtHostMask } from '../xtopt.ts'
import { formatIPv4, maskToPrefix, parseStrictIPv4 } from '../../net/ipv4.ts'

export interface NetmapOptions {
  /** The network, host bits cleared, and its mask. */
  network: number
  mask: number
}

const text = (o: NetmapOptions) => `${formatIPv4(o.network)}/${maskToPrefix(o.mask) >= 0 ? maskToPrefix(o.mask) : formatIPv4(o.mask)}`

export const netmapTarget: TargetModule<NetmapOptions> = {
  kind: 'target',
  name: 'NETMAP',
  xtopt: true,
  table: 'nat',
  options: [{ name: 'to', arg: 'required', mandatory: true }],
  create: () => ({ network: 0, mask: 0xffffffff }),
  parse(o, option, arg) {
    const h = xtHostMask('NETMAP', option, arg ?? '')
    o.mask = h.mask
    o.network = (h.address & h.mask) >>> 0
  },
  save: (o) => `--to ${text(o)}`,
  list: (o) => `to:${text(o)}`,
  apply(o, ctx) {
    const dest = ctx.hook === 'PREROUTING' || ctx.hook === 'OUTPUT'
    const old = parseStrictIPv4(dest ? ctx.packet.dst : ctx.packet.src) ?? 0
    const address = formatIPv4(((old & ~o.mask) | (o.network & o.mask)) >>> 0)
    return {
      outcome: { verdict: 'NAT', nat: { kind: 'NETMAP', address } },
      why: `${dest ? 'destination' : 'source'} ${formatIPv4(old)} mapped into ${text(o)}: ${address}`,
    }
  },
}
