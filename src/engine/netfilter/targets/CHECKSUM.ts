/**
 * `-j CHECKSUM --checksum-fill` (mangle table): compute the checksum of a packet whose checksum was left
 * for the network card to fill in (CHECKSUM_PARTIAL), for receivers that cannot take such packets — the
 * DHCP replies libvirt sends to its guests. Packets this node generates carry a partial checksum; for an
 * arriving packet the simulation does not know, so that is an assumption (default: it arrived complete).
 */
import type { TargetModule } from '../module-api.ts'
import { assumedValue } from '../assumptions.ts'

export const checksumTarget: TargetModule<Record<string, never>> = {
  kind: 'target',
  name: 'CHECKSUM',
  xtopt: true,
  table: 'mangle',
  options: [{ name: 'checksum-fill', arg: 'none', mandatory: true }],
  create: () => ({}),
  parse: () => undefined,
  save: () => '--checksum-fill',
  list: () => 'CHECKSUM fill',
  apply(_o, ctx) {
    const local = ctx.packet.inIface === undefined
    const partial = local
      ? { value: true, why: 'generated on this node, so its checksum was left for the network card (CHECKSUM_PARTIAL)' }
      : assumedValue(ctx, 'CHECKSUM', 'the simulation does not follow checksum offload', false)
    if (!partial.value) return { outcome: { verdict: 'CONTINUE' }, why: `checksum complete, nothing to fill: ${partial.why}` }
    return { outcome: { verdict: 'CONTINUE' }, packet: { checksumFilled: true }, why: `checksum filled in: ${partial.why}` }
  },
}
