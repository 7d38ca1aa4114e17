/**
 * What the kube-proxy backends share: kubelet's iptables setup on a fresh node, `kube-proxy --cleanup` of the
 * iptables rules kube-proxy writes (iptables and IPVS modes), nft's answer for a table that does not exist,
 * and a replay log that lets a backend without its own clone() be copied.
 */
import type { ConsoleResult } from '../../host/console.ts'
import { runIptables, runIptablesSave } from '../../netfilter/iptables-command.ts'
import type { Ruleset } from '../../netfilter/ruleset.ts'
import { KUBE_FIREWALL_RULE_ARGS } from '../iptables/compile.ts'

/** Chains kubelet owns (it keeps them in every proxy mode): cleanup leaves them alone. */
export const KUBELET_CHAINS: ReadonlySet<string> = new Set(['KUBE-FIREWALL', 'KUBE-KUBELET-CANARY', 'KUBE-IPTABLES-HINT', 'KUBE-MARK-DROP'])

/** kubelet's own rules on a fresh node (before kube-proxy starts): the hint chain, KUBE-FIREWALL and its canary. */
export function setUpKubelet(ruleset: Ruleset): void {
  const ipt = (...args: string[]) => runIptables(ruleset, ['-w', ...args])
  ipt('-t', 'mangle', '-N', 'KUBE-IPTABLES-HINT')
  ipt('-t', 'filter', '-N', 'KUBE-FIREWALL')
  if (ipt('-t', 'filter', '-C', 'KUBE-FIREWALL', ...KUBE_FIREWALL_RULE_ARGS).rc !== 0) ipt('-t', 'filter', '-A', 'KUBE-FIREWALL', ...KUBE_FIREWALL_RULE_ARGS)
  for (const chain of ['OUTPUT', 'INPUT']) {
    if (ipt('-t', 'filter', '-C', chain, '-j', 'KUBE-FIREWALL').rc !== 0) ipt('-t', 'filter', '-I', chain, '1', '-j', 'KUBE-FIREWALL')
  }
  for (const t of ['mangle', 'nat', 'filter']) ipt('-t', t, '-N', 'KUBE-KUBELET-CANARY')
}

/** kube-proxy's canary (its iptables Monitor; iptables and IPVS modes). */
export function addProxyCanary(ruleset: Ruleset): void {
  for (const t of ['mangle', 'nat', 'filter']) runIptables(ruleset, ['-w', '-t', t, '-N', 'KUBE-PROXY-CANARY'])
}

/**
 * `kube-proxy --cleanup` for iptables (CleanupLeftovers): the rules in built-in chains that jump to
 * kube-proxy's chains are deleted, then kube-proxy's chains are flushed and deleted. kubelet's chains stay.
 * Returns the number of chains deleted.
 */
export function cleanupIptables(ruleset: Ruleset): number {
  const save = runIptablesSave(ruleset, []).out
  let table = ''
  const chains = new Map<string, string[]>()
  const jumps: { table: string; line: string }[] = []
  const owned = (c: string) => c.startsWith('KUBE-') && !KUBELET_CHAINS.has(c)
  for (const line of save.split('\n')) {
    if (line.startsWith('*')) { table = line.slice(1); chains.set(table, []); continue }
    const decl = /^:(\S+)/.exec(line)
    if (decl && owned(decl[1])) chains.get(table)!.push(decl[1])
    const rule = /^-A (\S+) .*-j (\S+)/.exec(line)
    if (rule && !rule[1].startsWith('KUBE-') && owned(rule[2])) jumps.push({ table, line })
  }
  for (const j of jumps) runIptables(ruleset, ['-w', '-t', j.table, '-D', ...splitSaveRule(j.line.slice(3))])
  let deleted = 0
  for (const [t, list] of chains) {
    for (const c of list) runIptables(ruleset, ['-w', '-t', t, '-F', c])
    for (const c of list) if (runIptables(ruleset, ['-w', '-t', t, '-X', c]).rc === 0) deleted++
  }
  return deleted
}

/** The words of an iptables-save rule (quoted comments kept whole). */
function splitSaveRule(text: string): string[] {
  const out: string[] = []
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g
  let m: RegExpExecArray | null
  while ((m = re.exec(text))) out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2])
  return out
}

/** What nft says for `nft list table FAMILY NAME` when there is no such table (measured, nftables 1.0.6). */
export function missingNftTable(args: readonly string[]): ConsoleResult {
  const [family, name] = args.length >= 2 ? args : ['ip', args[0] ?? '']
  const prefix = `list table ${family} `
  return { rc: 1, out: '', err: `Error: No such file or directory\n${prefix}${name}\n${' '.repeat(prefix.length)}${'^'.repeat(name.length)}\n` }
}

/** Count of rules (`-A` lines) in an iptables-restore payload. */
export function payloadRuleCount(payload: string): number {
  let n = 0
  for (const line of payload.split('\n')) if (line.startsWith('-A ')) n++
  return n
}
