/**
 * The kernel's IPVS table as `ipvsadm` shows it: virtual services (protocol, address, port, scheduler,
 * flags) and their real servers (destinations with forwarding method and weight).
 */

export type IpvsProtocol = 'TCP' | 'UDP' | 'SCTP'

/** Schedulers kube-proxy's `--ipvs-scheduler` accepts (the kernel's ip_vs_* modules). */
export type SchedulerName = 'rr' | 'wrr' | 'lc' | 'wlc' | 'lblc' | 'lblcr' | 'dh' | 'sh' | 'sed' | 'nq' | 'mh'

export const SCHEDULERS: readonly SchedulerName[] = ['rr', 'wrr', 'lc', 'wlc', 'lblc', 'lblcr', 'dh', 'sh', 'sed', 'nq', 'mh']

/** IP_VS_SVC_F_* flags kube-proxy sets. */
export const IPVS_SVC_F_PERSISTENT = 0x0001
export const IPVS_SVC_F_HASHED = 0x0002
/** IP_VS_SVC_F_SCHED2: kube-proxy's FlagSourceHash (0x10), shown as `mh-port` / `sh-port`. */
export const IPVS_SVC_F_SCHED2 = 0x0010
export const IPVS_SVC_F_SCHED1 = 0x0008
export const IPVS_SVC_F_SCHED3 = 0x0020

export interface RealServerSpec {
  address: string
  port: number
  weight: number
  /** kube-proxy always uses NAT ("Masq"). */
  forward: 'Masq' | 'Route' | 'Tunnel' | 'Local'
}

export interface VirtualServerSpec {
  protocol: IpvsProtocol
  address: string
  port: number
  scheduler: string
  /** IP_VS_SVC_F_* bits (persistent, source-hash...). */
  flags: number
  /** Persistence timeout in seconds (meaningful with IPVS_SVC_F_PERSISTENT). */
  timeout: number
  realServers: RealServerSpec[]
}

/** `PROTO/ADDR:PORT`: the key ipvs keeps a service by. */
export function virtualServerKey(v: { protocol: IpvsProtocol; address: string; port: number }): string {
  return `${v.protocol}/${v.address}:${v.port}`
}
