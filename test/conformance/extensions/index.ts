/**
 * Conformance cases for every match and target iptables 1.8.9 ships (libxt_* and libipt_*), one group per
 * family, plus rule sets as real nodes carry them (Docker, flannel, Weave, Calico, kube-router, libvirt,
 * the AWS VPC CNI, older kube-proxy releases).
 */
import type { ConformanceCase } from '../cases.ts'
import { HEADER_CASES } from './headers.ts'
import { CONNTRACK_CASES } from './conntrack.ts'
import { RATE_CASES } from './rates.ts'
import { HOST_CASES } from './host.ts'
import { PACKET_CASES } from './packet.ts'
import { LOGGING_CASES } from './logging.ts'
import { NAT_CASES } from './nat.ts'
import { REALWORLD_CASES } from './realworld.ts'

export interface ExtensionGroup {
  name: string
  cases: ConformanceCase[]
}

export const EXTENSION_GROUPS: ExtensionGroup[] = [
  { name: 'headers', cases: HEADER_CASES },
  { name: 'conntrack', cases: CONNTRACK_CASES },
  { name: 'rates', cases: RATE_CASES },
  { name: 'host', cases: HOST_CASES },
  { name: 'packet', cases: PACKET_CASES },
  { name: 'logging', cases: LOGGING_CASES },
  { name: 'nat', cases: NAT_CASES },
  { name: 'realworld', cases: REALWORLD_CASES },
]
