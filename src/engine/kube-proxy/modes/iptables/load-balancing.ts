/**
 * Where iptables mode sends a client's new connections: the KUBE-SVC- (or KUBE-SVL-) chain that chose the
 * endpoint, read from the node's rules as they are (a hand-edited chain too) with the affinity lists as they
 * are: a client on a `recent` list goes to that endpoint (session affinity), others through the cascade of
 * `-m statistic --mode random --probability p` rules (rule i takes p_i · Π_{j<i} (1 − p_j)).
 */
import type { Host } from '../../../host/host.ts'
import { chainShares } from '../../../netfilter/chain-shares.ts'
import type { Rule } from '../../../netfilter/types.ts'
import type { EndpointShare, LoadBalancing, PathStep } from '../../backend.ts'

const jumpsToEndpoint = (rule: Rule) => rule.target?.kind === 'jump' && rule.target.chain.startsWith('KUBE-SEP-')

export function iptablesLoadBalancing(host: Host, step: PathStep): LoadBalancing | undefined {
  const chain = step.chain
  if (step.table !== 'nat' || !chain || !/^KUBE-(SVC|SVL)-/.test(chain) || !/^jump KUBE-SEP-/.test(step.verdict ?? '')) return undefined
  const rules = chainShares(host, 'nat', chain, step.hook ?? 'PREROUTING', step.packetBefore, jumpsToEndpoint)
  if (!rules) return undefined
  const shares: EndpointShare[] = []
  let affinity = false
  for (const { rule, share } of rules) {
    const sep = rule.target?.kind === 'jump' ? rule.target.chain : ''
    const endpoint = dnatDestination(host, sep) ?? sep
    const known = shares.find((s) => s.endpoint === endpoint)
    if (known) known.share += share
    else shares.push({ endpoint, share })
    if (share > 0 && rule.matches.some((m) => m.module === 'recent')) affinity = true
  }
  return { where: `nat ${chain}`, chain, how: affinity ? 'session affinity' : 'the statistic cascade', shares }
}

/** The `--to-destination` of an endpoint chain's DNAT rule. */
function dnatDestination(host: Host, chain: string): string | undefined {
  const sep = host.rules.chain('nat', chain)
  const dnat = sep?.rules.map((r) => host.rules.ruleText(r, chain)).find((t) => t.includes('--to-destination'))
  return dnat ? /--to-destination (\S+)/.exec(dnat)?.[1] : undefined
}
