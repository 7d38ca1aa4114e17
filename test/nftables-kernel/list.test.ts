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
import { spawnSync } from 'node:child_process'
import { afterAll, describe, expect, it } from 'vitest'
import { listTable } from '../../src/engine/nftables/list-format.ts'
import { tableScript } from '../../src/engine/nftables/dump.ts'
import { formatTransaction } from '../../src/engine/nftables/transaction.ts'
import { loadScenarios, runCase } from '../../src/engine/kube-proxy/nftables/test-support/scenario.ts'

const isRoot = process.getuid?.() === 0
const haveTools = spawnSync('nft', ['--version']).status === 0 && spawnSync('ip', ['-V']).status === 0
const canRun = isRoot && haveTools
if (!canRun) {
  const why = !isRoot ? 'not running as root' : 'nft / ip not found'
  if (process.env.CI) throw new Error(`nftables kernel acceptance must run in CI, but: ${why}`)
  console.warn(`nftables kernel acceptance tests skipped: ${why} (they need root, nft and network namespaces)`)
}

const namespaces: string[] = []
let counter = 0

function freshNamespace(): string {
  const ns = `kpnft-${process.pid}-${counter++}`
  const r = spawnSync('ip', ['netns', 'add', ns], { encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`ip netns add ${ns}: ${r.stderr}`)
  namespaces.push(ns)
  return ns
}

function nft(ns: string, args: string[], input?: string): string {
  const r = spawnSync('ip', ['netns', 'exec', ns, 'nft', ...args], { input, encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`nft ${args.join(' ')} failed (${r.status}): ${r.stderr}\n${input ?? ''}`)
  return r.stdout
}

afterAll(() => {
  for (const ns of namespaces) spawnSync('ip', ['netns', 'del', ns])
})

describe.skipIf(!canRun)('nftables kernel: our transactions load and list as we print them', () => {
  for (const scenario of loadScenarios()) {
    scenario.cases.forEach((c) => {
      it(`${scenario.test}: ${c.name}`, () => {
        const ns = freshNamespace()
        runCase(scenario, c, (step, i, { result, before }) => {
          // What kube-proxy finds at start: recreate it first.
          if (step.existing !== undefined) nft(ns, ['-f', '-'], tableScript(before))
          if (result.cleanup.length) nft(ns, ['-f', '-'], formatTransaction(result.cleanup, 'ip', 'kube-proxy'))
          nft(ns, ['-f', '-'], result.transactionText)
          const kernel = nft(ns, ['list', 'table', 'ip', 'kube-proxy'])
          expect(kernel, `${scenario.file} "${c.name}" step ${i + 1}`).toBe(listTable(result.table))

          // The same state from a clean namespace, through our creation-ordered script.
          const again = freshNamespace()
          nft(again, ['-f', '-'], tableScript(result.table))
          expect(nft(again, ['list', 'ruleset']), `${scenario.file} "${c.name}" step ${i + 1} (script)`).toBe(listTable(result.table))
          spawnSync('ip', ['netns', 'del', again])
          namespaces.splice(namespaces.indexOf(again), 1)
        })
      })
    })
  }
})
