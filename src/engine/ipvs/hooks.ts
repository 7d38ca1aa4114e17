/**
 * Where the kernel's IPVS sits in netfilter (net/netfilter/ipvs/ip_vs_core.c, ip_vs_ops4), for the traversal
 * to call the IpvsTable at the same places. Priorities are netfilter's (lower runs first): the filter table
 * is at 0 (NF_IP_PRI_FILTER), nat DNAT at -100, nat SNAT at 100.
 *
 *   LOCAL_IN  98  ip_vs_reply4          replies of IPVS connections: source back to the virtual address
 *   LOCAL_IN  99  ip_vs_remote_request4 new/known requests to a virtual service: schedule, DNAT, then the
 *                                       packet is re-sent through LOCAL_OUT → POSTROUTING (ip_vs_nat_xmit)
 *   LOCAL_OUT -99 ip_vs_local_reply4    replies when the real server is this node
 *   LOCAL_OUT -98 ip_vs_local_request4  the node's own connections to a virtual service (after nat OUTPUT)
 *   FORWARD   99  ip_vs_forward_icmp    ICMP errors about IPVS connections
 *   FORWARD  100  ip_vs_reply4          replies from real servers routed through this node (Masq)
 *
 * So for a packet to a ClusterIP bound on kube-ipvs0: PREROUTING (nat KUBE-SERVICES may MARK for masquerade)
 * → routing says local (the VIP is on kube-ipvs0) → INPUT: filter chains (KUBE-IPVS-FILTER, KUBE-NODE-PORT,
 * KUBE-PROXY-FIREWALL) at 0, then IPVS at 99 → rewritten to the real server → LOCAL_OUT hooks (filter OUTPUT;
 * the nat OUTPUT chain is not consulted again for the already-tracked connection) → routing to the real
 * server → POSTROUTING (KUBE-POSTROUTING masquerades marked packets and KUBE-LOOP-BACK hairpins) → out.
 */
import type { Hook } from '../netfilter/types.ts'

export interface IpvsHookPoint {
  /** The kernel function. */
  name: 'ip_vs_reply4' | 'ip_vs_remote_request4' | 'ip_vs_local_reply4' | 'ip_vs_local_request4' | 'ip_vs_forward_icmp'
  hook: Extract<Hook, 'INPUT' | 'OUTPUT' | 'FORWARD'>
  priority: number
  /** Which IpvsTable method serves it: `localIn` (requests) or `reply`; ICMP errors are not modelled. */
  role: 'request' | 'reply' | 'icmp'
}

export const NF_IP_PRI_NAT_DST = -100
export const NF_IP_PRI_FILTER = 0
export const NF_IP_PRI_NAT_SRC = 100

export const IPVS_HOOKS: readonly IpvsHookPoint[] = [
  { name: 'ip_vs_reply4', hook: 'INPUT', priority: NF_IP_PRI_NAT_SRC - 2, role: 'reply' },
  { name: 'ip_vs_remote_request4', hook: 'INPUT', priority: NF_IP_PRI_NAT_SRC - 1, role: 'request' },
  { name: 'ip_vs_local_reply4', hook: 'OUTPUT', priority: NF_IP_PRI_NAT_DST + 1, role: 'reply' },
  { name: 'ip_vs_local_request4', hook: 'OUTPUT', priority: NF_IP_PRI_NAT_DST + 2, role: 'request' },
  { name: 'ip_vs_forward_icmp', hook: 'FORWARD', priority: 99, role: 'icmp' },
  { name: 'ip_vs_reply4', hook: 'FORWARD', priority: 100, role: 'reply' },
]

/** The IPVS hook points of one netfilter hook, in the order they run. */
export function ipvsHooksAt(hook: Hook): IpvsHookPoint[] {
  return IPVS_HOOKS.filter((h) => h.hook === hook).sort((a, b) => a.priority - b.priority)
}
