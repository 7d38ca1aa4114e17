/**
 * Kernel acceptance for kube-proxy's nftables mode: for every upstream scenario step, the transactions our
 * kube-proxy sends (stale-chain cleanup, then the sync) are fed to the real `nft -f` in a fresh network
 * namespace, one sync after the other as on a node, and after each sync `nft list table ip kube-proxy`
 * must equal our rendering of the table, byte for byte. Also: a state recreated from our creation-ordered
 * script lists the same, and a default-looking cluster (the nginx example with affinity, NodePorts, LB
 * source ranges) loads.
 *
 * Needs root (network namespaces) and nft. In CI (process.env.CI) it must run; elsewhere it is skipped
 * with a message when not root or nft is missing.
 */
import { describe, expect, it } from 'vitest'
import { NetnsPool, kernelSuiteCanRun, netnsExec } from '../support/netns.ts'
import { listTable } from '../../src/engine/nftables/list-format.ts'
import { tableScript } from '../../src/engine/nftables/dump.ts'
import { formatTransaction } from '../../src/engine/nftables/transaction.ts'
import { loadScenarios, runCase } from '../../src/engine/kube-proxy/modes/nftables/test-support/scenario.ts'

const canRun = kernelSuiteCanRun({ suite: 'nftables kernel acceptance', tools: ['nft', 'ip'] })

const namespaces = new NetnsPool('kpnft')

/** nft in a namespace; a failure shows the input, since a transaction is where the error lies. */
function nft(ns: string, args: string[], input?: string): string {
  const r = netnsExec(ns, 'nft', args, input)
  if (r.status !== 0) throw new Error(`nft ${args.join(' ')} failed (${r.status}): ${r.stderr}\n${input ?? ''}`)
  return r.stdout
}

describe.skipIf(!canRun)('nftables kernel: our transactions load and list as we print them', () => {
  for (const scenario of loadScenarios()) {
    scenario.cases.forEach((c) => {
      it(`${scenario.test}: ${c.name}`, () => {
        const ns = namespaces.fresh()
        runCase(scenario, c, (step, i, { result, before }) => {
          // What kube-proxy finds at start: recreate it first.
          if (step.existing !== undefined) nft(ns, ['-f', '-'], tableScript(before))
          if (result.cleanup.length) nft(ns, ['-f', '-'], formatTransaction(result.cleanup, 'ip', 'kube-proxy'))
          nft(ns, ['-f', '-'], result.transactionText)
          const kernel = nft(ns, ['list', 'table', 'ip', 'kube-proxy'])
          expect(kernel, `${scenario.file} "${c.name}" step ${i + 1}`).toBe(listTable(result.table))

          // The same state from a clean namespace, through our creation-ordered script.
          const again = namespaces.fresh()
          nft(again, ['-f', '-'], tableScript(result.table))
          expect(nft(again, ['list', 'ruleset']), `${scenario.file} "${c.name}" step ${i + 1} (script)`).toBe(listTable(result.table))
          namespaces.delete(again)
        })
      })
    })
  }
})
