/**
 * Where IPVS mode sends a client's new connections: the virtual service that scheduled the journey's packet
 * (its scheduler, weights and persistence templates as the node's IPVS table holds them).
 */
import type { IpvsTable } from '../../../ipvs/table.ts'
import type { LoadBalancing, PathStep } from '../../backend.ts'

export function ipvsLoadBalancing(table: IpvsTable, now: number, step: PathStep): LoadBalancing | undefined {
  if (!/^ip_vs_(local|remote)_request4$/.test(step.chain ?? '') || !(step.verdict ?? '').startsWith('schedule')) return undefined
  const r = table.shares(step.packetBefore, now)
  if (!r) return undefined
  return {
    where: `IPVS ${r.service}`, chain: r.service, how: r.how,
    shares: r.shares.map((s) => ({ endpoint: `${s.address}:${s.port}`, share: s.share })),
  }
}
