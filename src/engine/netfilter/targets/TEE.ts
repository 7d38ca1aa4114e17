/**
 * `-j TEE --gateway ADDR [--oif DEV]`: send a copy of the packet to the host ADDR (routed as if it were
 * the next hop, optionally out of DEV); the original goes on unchanged. The simulation notes the copy and
 * does not follow it.
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
  apply: (o) => ({
    outcome: { verdict: 'CONTINUE' },
    why: `a copy is sent to ${formatIPv4(o.gateway)}${o.oif ? ` out of ${o.oif}` : ''} (the simulation does not follow the copy); the packet goes on`,
  }),
}
