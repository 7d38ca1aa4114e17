/**
 * `kube-proxy --cleanup` of the iptables rules kube-proxy writes (iptables and IPVS modes; CleanupLeftovers):
 * the rules in built-in chains that jump to kube-proxy's chains are deleted, then kube-proxy's chains are
 * flushed and deleted. kubelet's chains stay.
 */
import { runIptables, runIptablesSave } from '../../netfilter/iptables-command.ts'
import type { Ruleset } from '../../netfilter/ruleset.ts'
import { KUBELET_CHAINS } from './kubelet.ts'

/** Returns the number of chains deleted. */
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
