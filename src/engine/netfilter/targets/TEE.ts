/**
 * `-j TEE --gateway ADDR [--oif DEV]`: send a copy of the packet to the host ADDR (routed as if it were
 * the next hop, optionally out of DEV); the original goes on unchanged. The copy is untracked and leaves
 * through OUTPUT and POSTROUTING (nf_dup_ipv4), where TEE does not copy it again.
 */
import type { TargetModule } from '../module-api.ts'
import { cutBytes, xtHost } from '../xtopt.ts'
import { formatIPv4 } from '../../net/ipv4.ts'

export interface TeeOptions {
  gateway: number
  oif: string
}

export const teeTarget: TargetModule<TeeOptions> = {
  kind: 'target',
  name: 'TEE',
  xtopt: true,
  options: [{ name: 'gateway', arg: 'required', mandatory: true }, { name: 'oif', arg: 'required' }],
  create: () => ({ gateway: 0, oif: '' }),
  parse(o, option, arg) {
    if (option === 'gateway') o.gateway = xtHost(arg ?? '')
    else o.oif = cutBytes(arg ?? '', 15)
  },
  save: (o) => `--gateway ${formatIPv4(o.gateway)}${o.oif ? ` --oif ${o.oif}` : ''}`,
  list: (o) => `TEE gw:${formatIPv4(o.gateway)}${o.oif ? ` oif=${o.oif}` : ''}`,
  apply(o, ctx) {
    if (ctx.duplicated) return { outcome: { verdict: 'CONTINUE' }, why: 'this packet is itself a TEE copy: not copied again' }
    const gateway = formatIPv4(o.gateway)
    return {
      outcome: { verdict: 'CONTINUE' }, duplicate: o.oif ? { gateway, oif: o.oif } : { gateway },
      why: `a copy goes to ${gateway}${o.oif ? ` out of ${o.oif}` : ''} (untracked, through OUTPUT); the packet goes on`,
    }
  },
}
