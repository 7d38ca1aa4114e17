/**
 * Upstream's packet tracer from proxier_test.go (iptablesTracer / tracePacket / runPacketFlowTests),
 * reimplemented over a node's rules in iptables-save form. It is deliberately as coarse as upstream's:
 * "LOCAL" means the node IPs given plus 127.0.0.1 and ::1; a rule with a recent --rcheck, a mark or a
 * conntrack state match never matches; statistic rules match (so every endpoint is collected); rules
 * without -j are skipped.
 */
import ipaddr from 'ipaddr.js'
import type { NodeTables } from '../../../node-iptables/node-tables.ts'
import { tokenize } from './upstream-sort.ts'

export interface PacketFlowTest {
  name: string
  sourceIP: string
  protocol?: 'TCP' | 'UDP' | 'SCTP'
  destIP: string
  destPort: number
  output: string
  masq?: boolean
}

interface TraceRule {
  raw: string
  src?: { value: string; negated: boolean }
  dst?: { value: string; negated: boolean }
  proto?: { value: string; negated: boolean }
  srcType?: { value: string; negated: boolean }
  dstType?: { value: string; negated: boolean }
  dport?: { value: string; negated: boolean }
  jump?: string
  probability?: string
  dnatDestination?: string
  affinityCheck: boolean
  markCheck: boolean
  ctStateCheck: boolean
}

function parseRule(raw: string): TraceRule {
  const args = tokenize(raw).slice(2)
  const rule: TraceRule = { raw, affinityCheck: false, markCheck: false, ctStateCheck: false }
  let negated = false
  for (let i = 0; i < args.length; i++) {
    const a = args[i]
    const take = () => ({ value: args[++i], negated })
    switch (a) {
      case '!': negated = true; continue
      case '-s': rule.src = take(); break
      case '-d': rule.dst = take(); break
      case '-p': rule.proto = take(); break
      case '--src-type': rule.srcType = take(); break
      case '--dst-type': rule.dstType = take(); break
      case '--dport': rule.dport = take(); break
      case '-j': rule.jump = args[++i]; break
      case '--probability': rule.probability = args[++i]; break
      case '--to-destination': rule.dnatDestination = args[++i]; break
      case '--rcheck': rule.affinityCheck = true; break
      case '--mark': rule.markCheck = true; i++; break
      case '--ctstate': rule.ctStateCheck = true; i++; break
      default: break
    }
    negated = false
  }
  return rule
}

function addressMatches(address: { value: string; negated: boolean }, ip: string): boolean {
  const parsed = ipaddr.parse(ip)
  let matches: boolean
  if (address.value.includes('/')) {
    const [net, bits] = ipaddr.parseCIDR(address.value)
    matches = parsed.kind() === net.kind() && parsed.match(net, bits)
  } else {
    matches = ipaddr.parse(address.value).toString() === parsed.toString()
  }
  return address.negated ? !matches : matches
}

function valueMatches(v: { value: string; negated: boolean }, actual: string): boolean {
  return (v.value === actual) !== v.negated
}

export class IptablesTracer {
  readonly matches: string[] = []
  readonly outputs: string[] = []
  markMasq = false
  private readonly localIPs: Set<string>
  private readonly parsed = new Map<string, TraceRule>()

  constructor(private readonly tables: NodeTables, nodeIPs: readonly string[]) {
    this.localIPs = new Set(['127.0.0.1', '::1', ...nodeIPs])
  }

  private rule(raw: string): TraceRule {
    let r = this.parsed.get(raw)
    if (!r) this.parsed.set(raw, (r = parseRule(raw)))
    return r
  }

  private ruleMatches(rule: TraceRule, sourceIP: string, protocol: string, destIP: string, destPort: string): boolean {
    if (rule.src && !addressMatches(rule.src, sourceIP)) return false
    if (rule.srcType && !valueMatches(rule.srcType, this.localIPs.has(sourceIP) ? 'LOCAL' : 'not-matched')) return false
    if (rule.proto && !valueMatches(rule.proto, protocol)) return false
    if (rule.dst && !addressMatches(rule.dst, destIP)) return false
    if (rule.dstType && !valueMatches(rule.dstType, this.localIPs.has(destIP) ? 'LOCAL' : 'not-matched')) return false
    if (rule.dport && !valueMatches(rule.dport, destPort)) return false
    if (rule.affinityCheck || rule.markCheck || rule.ctStateCheck) return false
    return true
  }

  /** Returns true when a terminal action was hit. */
  runChain(table: 'nat' | 'filter', chain: string, sourceIP: string, protocol: string, destIP: string, destPort: string): boolean {
    const c = this.tables[table]?.[chain]
    if (!c) return false
    for (const raw of c.rules) {
      const rule = this.rule(raw)
      if (!rule.jump) continue
      if (!this.ruleMatches(rule, sourceIP, protocol, destIP, destPort)) continue
      this.matches.push(raw)
      switch (rule.jump) {
        case 'KUBE-MARK-MASQ':
          this.markMasq = true
          continue
        case 'ACCEPT': case 'REJECT': case 'DROP':
          this.outputs.push(rule.jump)
          return true
        case 'DNAT':
          this.outputs.push(rule.dnatDestination ?? '')
          return true
        default: {
          const terminated = this.runChain(table, rule.jump, sourceIP, protocol, destIP, destPort)
          if (terminated && rule.probability === undefined) return true
        }
      }
    }
    return false
  }
}

/** tracePacket: nat PREROUTING, then (after the first DNAT) the filter chains kube-proxy fills. */
export function tracePacket(
  tables: NodeTables, sourceIP: string, protocol: string, destIP: string, destPort: string, nodeIPs: readonly string[],
): { matches: string[]; output: string; masq: boolean } {
  const tracer = new IptablesTracer(tables, nodeIPs)
  tracer.runChain('nat', 'PREROUTING', sourceIP, protocol, destIP, destPort)
  let dest = destIP
  if (tracer.outputs.length !== 0) dest = tracer.outputs[0].replace(/^\[/, '').split(/\]?:(?=\d+$)/)[0]
  for (const chain of ['KUBE-SERVICES', 'KUBE-EXTERNAL-SERVICES', 'KUBE-NODEPORTS', 'KUBE-PROXY-FIREWALL']) {
    tracer.runChain('filter', chain, sourceIP, protocol, dest, destPort)
  }
  return { matches: tracer.matches, output: tracer.outputs.join(', '), masq: tracer.markMasq }
}

/** upstream testNodeIPs. */
export const TEST_NODE_IPS = ['192.168.0.2', '192.168.1.2', '192.168.99.11', '2001:db8::1', '2001:db8:1::2']

export function runFlow(tables: NodeTables, flow: PacketFlowTest, nodeIPs: readonly string[] = TEST_NODE_IPS) {
  const protocol = (flow.protocol ?? 'TCP').toLowerCase()
  return tracePacket(tables, flow.sourceIP, protocol, flow.destIP, String(flow.destPort), nodeIPs)
}
