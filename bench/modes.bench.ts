/**
 * The compare chart's figures: rules one packet is evaluated against, per kube-proxy mode, for 10, 100, 1,000
 * and 10,000 synthetic ClusterIP Services (src/engine/kube-proxy/compare.ts: one SYN from a Pod on another
 * node to the middle Service), with the split (iptables rules / nftables rules / IPVS lookups), where the
 * packet went, and the time to program the node and send the packet.
 *
 * `npm run bench -- modes` runs only this file.
 */
import { COMPARE_SERVICE_COUNTS, measureRulesPerPacket } from '../src/engine/kube-proxy/compare.ts'
import { PROXY_MODES } from '../src/engine/kube-proxy/proxy-modes.ts'

export const name = 'rules evaluated per packet, by kube-proxy mode and number of Services'

export function run(): string[] {
  const lines = ['services  mode       rules/packet  (iptables  nftables  ipvs)  reached              time']
  for (const n of COMPARE_SERVICE_COUNTS) {
    for (const mode of PROXY_MODES) {
      const started = performance.now()
      const r = measureRulesPerPacket(mode, n)
      const ms = performance.now() - started
      lines.push(`${String(n).padStart(8)}  ${mode.padEnd(9)}  ${String(r.total).padStart(12)}  (${String(r.iptablesRules).padStart(8)}  ${String(r.nftablesRules).padStart(8)}  ${String(r.ipvsLookups).padStart(4)})  ${r.verdict} ${r.reached.padEnd(12)}  ${(ms / 1000).toFixed(2)} s`)
    }
  }
  return lines
}
