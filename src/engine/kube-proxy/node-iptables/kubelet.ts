/**
 * What kubelet writes into a node's iptables before kube-proxy starts (pkg/kubelet/kubelet_network_linux.go),
 * and kube-proxy's own canaries (its iptables Monitor), written once for every target: the host's rule set
 * or kube-proxy's NodeTables model (writer.ts).
 *
 * What a real kind node (Kubernetes v1.32, iptables 1.8.x nf_tables) shows besides kube-proxy's chains
 * (our choice, documented): kubelet's KUBE-IPTABLES-HINT (mangle), KUBE-KUBELET-CANARY (mangle, nat, filter),
 * KUBE-FIREWALL with the anti-martian rule and `-j KUBE-FIREWALL` first in INPUT and OUTPUT; kube-proxy's
 * KUBE-PROXY-CANARY (mangle, nat, filter). Not modelled: kindnet's KIND-MASQ-AGENT chain and Docker's
 * embedded-DNS rules (DOCKER_OUTPUT / DOCKER_POSTROUTING) which a kind node also has.
 */
import { toSaveLine } from './save-format.ts'
import type { IptablesWriter } from './writer.ts'

export const KUBE_FIREWALL = 'KUBE-FIREWALL'

/** The anti-martian rule kube-proxy (and kubelet) keep in KUBE-FIREWALL, IPv4 only. */
export const KUBE_FIREWALL_RULE_ARGS = [
  '-m', 'comment', '--comment', 'block incoming localnet connections',
  '-d', '127.0.0.0/8', '!', '-s', '127.0.0.0/8',
  '-m', 'conntrack', '!', '--ctstate', 'RELATED,ESTABLISHED,DNAT', '-j', 'DROP',
]

/** Chains kubelet owns (it keeps them in every proxy mode): `kube-proxy --cleanup` leaves them alone. */
export const KUBELET_CHAINS: ReadonlySet<string> = new Set(['KUBE-FIREWALL', 'KUBE-KUBELET-CANARY', 'KUBE-IPTABLES-HINT', 'KUBE-MARK-DROP'])

const CANARY_TABLES = ['mangle', 'nat', 'filter'] as const

const rule = (chain: string, args: readonly string[]) => ({ args, save: toSaveLine(chain, args) })

/** kubelet's own rules on a fresh node: the hint chain, KUBE-FIREWALL with its rule and jumps, its canary. */
export function setUpKubelet(w: IptablesWriter): void {
  w.ensureChain('mangle', 'KUBE-IPTABLES-HINT')
  w.ensureChain('filter', KUBE_FIREWALL)
  w.ensureRule('append', 'filter', KUBE_FIREWALL, rule(KUBE_FIREWALL, KUBE_FIREWALL_RULE_ARGS))
  for (const chain of ['OUTPUT', 'INPUT']) w.ensureRule('prepend', 'filter', chain, rule(chain, ['-j', KUBE_FIREWALL]))
  for (const t of CANARY_TABLES) w.ensureChain(t, 'KUBE-KUBELET-CANARY')
}

/** kube-proxy's canary (its iptables Monitor; iptables and IPVS modes), created when it starts. */
export function addKubeProxyCanaries(w: IptablesWriter): void {
  for (const t of CANARY_TABLES) w.ensureChain(t, 'KUBE-PROXY-CANARY')
}
