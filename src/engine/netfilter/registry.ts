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
import { ahMatch } from './matches/ah.ts'
import { espMatch } from './matches/esp.ts'
import { ipcompMatch } from './matches/ipcomp.ts'
import { dccpMatch } from './matches/dccp.ts'
import { tcpmssMatch } from './matches/tcpmss.ts'
import { ecnMatch } from './matches/ecn.ts'
import { dscpMatch } from './matches/dscp.ts'
import { tosMatch } from './matches/tos.ts'
import { realmMatch } from './matches/realm.ts'
import { u32Match } from './matches/u32.ts'
import { stringMatch } from './matches/string.ts'
import { connbytesMatch } from './matches/connbytes.ts'
import { connlabelMatch } from './matches/connlabel.ts'
import { connlimitMatch } from './matches/connlimit.ts'
import { helperMatch } from './matches/helper.ts'
import { hashlimitMatch } from './matches/hashlimit.ts'
import { quotaMatch } from './matches/quota.ts'
import { rateestMatch } from './matches/rateest.ts'
import { clusterMatch } from './matches/cluster.ts'
import { cpuMatch } from './matches/cpu.ts'
import { timeMatch } from './matches/time.ts'
import { bpfMatch } from './matches/bpf.ts'
import { devgroupMatch } from './matches/devgroup.ts'
import { cgroupMatch } from './matches/cgroup.ts'
import { socketMatch } from './matches/socket.ts'
import { rpfilterMatch } from './matches/rpfilter.ts'
import { physdevMatch } from './matches/physdev.ts'
import { policyMatch } from './matches/policy.ts'
import { osfMatch } from './matches/osf.ts'
import { ipvsMatch } from './matches/ipvs.ts'
import { acceptTarget, dropTarget, queueTarget, returnTarget, standardTarget } from './targets/standard.ts'
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
import { connsecmarkTarget } from './targets/CONNSECMARK.ts'
import { secmarkTarget } from './targets/SECMARK.ts'
import { rateestTarget } from './targets/RATEEST.ts'
import { setTarget } from './targets/SET.ts'
import { checksumTarget } from './targets/CHECKSUM.ts'
import { classifyTarget } from './targets/CLASSIFY.ts'
import { dscpTarget } from './targets/DSCP.ts'
import { tosTarget } from './targets/TOS.ts'
import { ttlTarget } from './targets/TTL.ts'
import { ecnTarget } from './targets/ECN.ts'
import { tcpoptstripTarget } from './targets/TCPOPTSTRIP.ts'
import { hmarkTarget } from './targets/HMARK.ts'
import { idletimerTarget } from './targets/IDLETIMER.ts'
import { ledTarget } from './targets/LED.ts'
import { nflogTarget } from './targets/NFLOG.ts'
import { nfqueueTarget } from './targets/NFQUEUE.ts'
import { auditTarget } from './targets/AUDIT.ts'
import { ulogTarget } from './targets/ULOG.ts'
import { clusteripTarget } from './targets/CLUSTERIP.ts'
import { netmapTarget } from './targets/NETMAP.ts'
import { tproxyTarget } from './targets/TPROXY.ts'
import { teeTarget } from './targets/TEE.ts'
import { synproxyTarget } from './targets/SYNPROXY.ts'

const MATCHES: MatchModule<never>[] = [
  tcpMatch, udpMatch, sctpMatch, icmpMatch, multiportMatch, commentMatch, statisticMatch, markMatch, connmarkMatch,
  conntrackMatch, stateMatch, addrtypeMatch, recentMatch, setMatch, iprangeMatch, limitMatch, nfacctMatch,
  macMatch, ownerMatch, lengthMatch, pkttypeMatch, ttlMatch, ahMatch, espMatch, ipcompMatch, dccpMatch, tcpmssMatch,
  ecnMatch, dscpMatch, tosMatch, realmMatch, u32Match, stringMatch, connbytesMatch, connlabelMatch, connlimitMatch,
  helperMatch, hashlimitMatch, quotaMatch, rateestMatch, clusterMatch, cpuMatch, timeMatch, bpfMatch, devgroupMatch,
  cgroupMatch, socketMatch, rpfilterMatch, physdevMatch, policyMatch, osfMatch, ipvsMatch,
] as MatchModule<never>[]

const TARGETS: TargetModule<never>[] = [
  acceptTarget, dropTarget, returnTarget, rejectTarget, logTarget, markTarget, connmarkTarget, dnatTarget,
  snatTarget, masqueradeTarget, redirectTarget, ctTarget, notrackTarget, traceTarget, tcpmssTarget, connsecmarkTarget,
  secmarkTarget, rateestTarget, setTarget, queueTarget, standardTarget, checksumTarget, classifyTarget, dscpTarget, tosTarget, ttlTarget, ecnTarget, tcpoptstripTarget, hmarkTarget, idletimerTarget, ledTarget, nflogTarget, nfqueueTarget, auditTarget, ulogTarget, clusteripTarget,
  netmapTarget, tproxyTarget, teeTarget, synproxyTarget,
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
