/**
 * The one registry of `-m` match modules and `-j` target modules. Adding `-m foo`: write matches/foo.ts
 * exporting a MatchModule and add one line below.
 */
import type { MatchModule, TargetModule } from './module-api.ts'
import { tcpMatch } from './matches/tcp.ts'
import { udpMatch } from './matches/udp.ts'
import { sctpMatch } from './matches/sctp.ts'
import { icmpMatch } from './matches/icmp.ts'
import { multiportMatch } from './matches/multiport.ts'
import { commentMatch } from './matches/comment.ts'
import { statisticMatch } from './matches/statistic.ts'
import { markMatch } from './matches/mark.ts'
import { connmarkMatch } from './matches/connmark.ts'
import { conntrackMatch } from './matches/conntrack.ts'
import { stateMatch } from './matches/state.ts'
import { addrtypeMatch } from './matches/addrtype.ts'
import { recentMatch } from './matches/recent.ts'
import { setMatch } from './matches/set.ts'
import { iprangeMatch } from './matches/iprange.ts'
import { limitMatch } from './matches/limit.ts'
import { nfacctMatch } from './matches/nfacct.ts'
import { macMatch } from './matches/mac.ts'
import { ownerMatch } from './matches/owner.ts'
import { lengthMatch } from './matches/length.ts'
import { pkttypeMatch } from './matches/pkttype.ts'
import { ttlMatch } from './matches/ttl.ts'
import { physdevMatch } from './matches/physdev.ts'
import { acceptTarget, dropTarget, returnTarget } from './targets/standard.ts'
import { rejectTarget } from './targets/REJECT.ts'
import { logTarget } from './targets/LOG.ts'
import { markTarget } from './targets/MARK.ts'
import { connmarkTarget } from './targets/CONNMARK.ts'
import { dnatTarget } from './targets/DNAT.ts'
import { snatTarget } from './targets/SNAT.ts'
import { masqueradeTarget } from './targets/MASQUERADE.ts'
import { redirectTarget } from './targets/REDIRECT.ts'
import { ctTarget, notrackTarget } from './targets/CT.ts'
import { traceTarget } from './targets/TRACE.ts'
import { tcpmssTarget } from './targets/TCPMSS.ts'

const MATCHES: MatchModule<never>[] = [
  tcpMatch, udpMatch, sctpMatch, icmpMatch, multiportMatch, commentMatch, statisticMatch, markMatch, connmarkMatch,
  conntrackMatch, stateMatch, addrtypeMatch, recentMatch, setMatch, iprangeMatch, limitMatch, nfacctMatch,
  macMatch, ownerMatch, lengthMatch, pkttypeMatch, ttlMatch, physdevMatch,
] as MatchModule<never>[]

const TARGETS: TargetModule<never>[] = [
  acceptTarget, dropTarget, returnTarget, rejectTarget, logTarget, markTarget, connmarkTarget, dnatTarget,
  snatTarget, masqueradeTarget, redirectTarget, ctTarget, notrackTarget, traceTarget, tcpmssTarget,
] as TargetModule<never>[]

const matchByName = new Map(MATCHES.map((m) => [m.name, m as unknown as MatchModule]))
const targetByName = new Map(TARGETS.map((t) => [t.name, t as unknown as TargetModule]))

export function getMatch(name: string): MatchModule | undefined {
  return matchByName.get(name)
}

export function getTarget(name: string): TargetModule | undefined {
  return targetByName.get(name)
}

export function matchNames(): string[] {
  return [...matchByName.keys()]
}

export function targetNames(): string[] {
  return [...targetByName.keys()]
}
