/**
 * Upstream's packet-flow tracer for the nftables proxier (pkg/proxy/nftables/helpers_test.go,
 * nftablesTracer / tracePacket / runPacketFlowTests), reimplemented over our table model: rules are matched
 * piece by piece with upstream's regular expressions for exactly the statements kube-proxy writes; a
 * `numgen` load-balancing map visits *every* endpoint, so the output lists all endpoints a packet can
 * reach. Chains run: filter-prerouting-pre-dnat, nat-prerouting, (DNAT applied) filter-forward,
 * filter-input.
 */
import ipaddr from 'ipaddr.js'
import { findChain, findSet } from '../../../../nftables/model.ts'
import type { NftElement, NftTable } from '../../../../nftables/model.ts'

export interface PacketFlowTest {
  name: string
  sourceIP: string
  /** TCP by default. */
  protocol?: 'TCP' | 'UDP' | 'SCTP'
  destIP: string
  destPort: number
  /** Comma-separated endpoints, or DROP / REJECT, or "" when nothing matched. */
  output: string
  masq?: boolean
}

const destAddrRegexp = /^ip6* daddr (!= )?(\S+)/
const destAddrLookupRegexp = /^ip6* daddr (!= )?\{([^}]*)\}/
const destAddrLocalRegexp = /^fib daddr type local/
const destPortRegexp = /^(tcp|udp|sctp) dport (\d+)/
const destIPOnlyLookupRegexp = /^ip6* daddr @(\S+)/
const destLookupRegexp = /^ip6* daddr \. meta l4proto \. th dport @(\S+)/
const destSourceLookupRegexp = /^ip6* daddr \. meta l4proto \. th dport \. ip6* saddr @(\S+)/
const destPortLookupRegexp = /^meta l4proto \. th dport @(\S+)/
const destDispatchRegexp = /^ip6* daddr \. meta l4proto \. th dport vmap @(\S+)$/
const destPortDispatchRegexp = /^meta l4proto \. th dport vmap @(\S+)$/
const sourceAddrRegexp = /^ip6* saddr (!= )?(\S+)/
const sourceAddrLookupRegexp = /^ip6* saddr (!= )?\{([^}]*)\}/
const sourceAddrLocalRegexp = /^fib saddr type local/
const endpointVMAPRegexp = /^numgen random mod \d+ vmap \{(.*)\}$/
const endpointVMapEntryRegexp = /\d+ : goto (\S+)/g
const masqueradeRegexp = /^jump mark-for-masquerade$/
const jumpRegexp = /^(jump|goto) (\S+)$/
const returnRegexp = /^return$/
const verdictRegexp = /^(drop|reject)$/
const dnatRegexp = /^meta l4proto (tcp|udp|sctp) dnat to (\S+)$/
// Comments are held apart in our model; `ct state new` always holds for the new connections traced.
const ignoredRegexp = /^ct state new/

function addressMatches(ip: string, wantMatch: boolean, ruleAddress: string): boolean {
  const addr = ipaddr.parse(ip)
  let match: boolean
  if (ruleAddress.includes('/')) {
    const [net, prefix] = ipaddr.parseCIDR(ruleAddress)
    match = addr.kind() === net.kind() && addr.match(net, prefix)
  } else {
    const other = ipaddr.parse(ruleAddress)
    match = addr.kind() === other.kind() && addr.toString() === other.toString()
  }
  return match === wantMatch
}

function addressMatchesSet(ip: string, wantMatch: boolean, set: string): boolean {
  const any = set.replaceAll(' ', '').split(',').filter(Boolean).some((a) => addressMatches(ip, true, a))
  return any === wantMatch
}

class Tracer {
  matches: string[] = []
  outputs: string[] = []
  markMasq = false
  errors: string[] = []
  constructor(readonly table: NftTable, readonly nodeIPs: ReadonlySet<string>) {}

  private elements(name: string): NftElement[] {
    return findSet(this.table, name)?.elements ?? []
  }

  runChain(chname: string, sourceIP: string, protocol: string, destIP: string, destPort: string): boolean {
    const ch = findChain(this.table, chname)
    if (!ch) {
      this.errors.push(`unknown chain "${chname}"`)
      return true
    }
    for (const ruleObj of ch.rules) {
      let rule = ruleObj.text.replace(ignoredRegexp, '')
      while (rule !== '') {
        rule = rule.trimStart()
        let m: RegExpExecArray | null
        if ((m = destIPOnlyLookupRegexp.exec(rule))) {
          rule = rule.slice(m[0].length)
          if (!this.elements(m[1]).some((e) => e.key[0] === destIP)) rule = ''
        } else if ((m = destSourceLookupRegexp.exec(rule))) {
          rule = rule.slice(m[0].length)
          if (!this.elements(m[1]).some((e) => e.key[0] === destIP && e.key[1] === protocol && e.key[2] === destPort && addressMatches(sourceIP, true, e.key[3]))) rule = ''
        } else if ((m = destLookupRegexp.exec(rule))) {
          rule = rule.slice(m[0].length)
          if (!this.elements(m[1]).some((e) => e.key[0] === destIP && e.key[1] === protocol && e.key[2] === destPort)) rule = ''
        } else if ((m = destPortLookupRegexp.exec(rule))) {
          rule = rule.slice(m[0].length)
          if (!this.elements(m[1]).some((e) => e.key[0] === protocol && e.key[1] === destPort)) rule = ''
        } else if ((m = destDispatchRegexp.exec(rule))) {
          const element = this.elements(m[1]).find((e) => e.key[0] === destIP && e.key[1] === protocol && e.key[2] === destPort)
          rule = element ? element.value![0] : ''
        } else if ((m = destPortDispatchRegexp.exec(rule))) {
          const element = this.elements(m[1]).find((e) => e.key[0] === protocol && e.key[1] === destPort)
          rule = element ? element.value![0] : ''
        } else if ((m = destAddrLookupRegexp.exec(rule))) {
          rule = rule.slice(m[0].length)
          if (!addressMatchesSet(destIP, m[1] !== '!= ', m[2])) rule = ''
        } else if ((m = destAddrRegexp.exec(rule))) {
          rule = rule.slice(m[0].length)
          if (!addressMatches(destIP, m[1] !== '!= ', m[2])) rule = ''
        } else if ((m = destAddrLocalRegexp.exec(rule))) {
          rule = rule.slice(m[0].length)
          if (!this.nodeIPs.has(destIP)) rule = ''
        } else if ((m = destPortRegexp.exec(rule))) {
          rule = rule.slice(m[0].length)
          if (protocol !== m[1] || destPort !== m[2]) rule = ''
        } else if ((m = sourceAddrLookupRegexp.exec(rule))) {
          rule = rule.slice(m[0].length)
          if (!addressMatchesSet(sourceIP, m[1] !== '!= ', m[2])) rule = ''
        } else if ((m = sourceAddrRegexp.exec(rule))) {
          rule = rule.slice(m[0].length)
          if (!addressMatches(sourceIP, m[1] !== '!= ', m[2])) rule = ''
        } else if ((m = sourceAddrLocalRegexp.exec(rule))) {
          rule = rule.slice(m[0].length)
          if (!this.nodeIPs.has(sourceIP)) rule = ''
        } else if (masqueradeRegexp.test(rule)) {
          // The jump itself stands for the mark (the masquerading chains are not traced).
          rule = ''
          this.matches.push(ruleObj.text)
          this.markMasq = true
        } else if ((m = jumpRegexp.exec(rule))) {
          rule = ''
          this.matches.push(ruleObj.text)
          const terminated = this.runChain(m[2], sourceIP, protocol, destIP, destPort)
          if (terminated) return true
          if (m[1] === 'goto') return false
        } else if ((m = verdictRegexp.exec(rule))) {
          this.matches.push(ruleObj.text)
          this.outputs.push(m[1].toUpperCase())
          return true
        } else if (returnRegexp.test(rule)) {
          this.matches.push(ruleObj.text)
          return false
        } else if ((m = dnatRegexp.exec(rule))) {
          this.matches.push(ruleObj.text)
          this.outputs.push(m[2])
          return true
        } else if ((m = endpointVMAPRegexp.exec(rule))) {
          for (const entry of m[1].matchAll(endpointVMapEntryRegexp)) {
            this.matches.push(ruleObj.text)
            this.runChain(entry[1], sourceIP, protocol, destIP, destPort)
          }
          return true
        } else {
          this.errors.push(`unmatched rule: ${ruleObj.text}`)
          rule = ''
        }
      }
    }
    return false
  }
}

export interface TraceResult {
  matches: string[]
  output: string
  masq: boolean
  errors: string[]
}

/** upstream tracePacket. */
export function tracePacket(
  table: NftTable, sourceIP: string, protocol: string, destIP: string, destPort: string, nodeIPs: readonly string[],
): TraceResult {
  const t = new Tracer(table, new Set(nodeIPs))
  const done = () => ({ matches: t.matches, output: t.outputs.join(', '), masq: t.markMasq, errors: t.errors })
  if (t.runChain('filter-prerouting-pre-dnat', sourceIP, protocol, destIP, destPort)) return done()
  t.runChain('nat-prerouting', sourceIP, protocol, destIP, destPort)
  // Pending DNATs take effect after prerouting.
  let dest = destIP
  if (t.outputs.length) dest = t.outputs[0].slice(0, t.outputs[0].lastIndexOf(':')).replace(/^\[|\]$/g, '')
  if (t.runChain('filter-forward', sourceIP, protocol, dest, destPort)) return done()
  t.runChain('filter-input', sourceIP, protocol, dest, destPort)
  return done()
}

export function runFlow(table: NftTable, flow: PacketFlowTest, nodeIPs: readonly string[]): TraceResult {
  const protocol = (flow.protocol ?? 'TCP').toLowerCase()
  return tracePacket(table, flow.sourceIP, protocol, flow.destIP, String(flow.destPort), nodeIPs)
}
