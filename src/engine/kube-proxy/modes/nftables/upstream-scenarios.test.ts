/**
 * Upstream's own expectations for kube-proxy's nftables mode (kubernetes/kubernetes
 * pkg/proxy/nftables/proxier_test.go @ 81810de635aa13aa0a32992f6def3aa9d6025ebc), stated as fixtures in
 * ./upstream-scenarios/: after each sync, the table must equal upstream's `expected` dump under upstream's
 * comparison (both sides through sortNFTablesTransaction, ours being knftables.Fake.Dump() of our table),
 * transactions must have upstream's number of operations, and upstream's packet flows must come out the
 * same through upstream's tracer (reimplemented). Our exact `nft list table ip kube-proxy` and the
 * transaction we send are kept as golden files (and checked against the kernel in test/nftables-kernel).
 */
import { describe, expect, it } from 'vitest'
import { dumpTable } from '../../../nftables/dump.ts'
import { listTable } from '../../../nftables/list-format.ts'
import { findSet } from '../../../nftables/model.ts'
import { formatTransaction } from '../../../nftables/transaction.ts'
import { compareLikeUpstream } from './test-support/upstream-sort.ts'
import { expand, loadScenarios, runCase } from './test-support/scenario.ts'
import { runFlow } from './test-support/tracer.ts'

const scenarios = loadScenarios()

describe('upstream kube-proxy nftables scenarios (proxier_test.go)', () => {
  it('has at least 8 upstream tests reproduced', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(8)
  })

  for (const scenario of scenarios) {
    describe(scenario.test, () => {
      scenario.cases.forEach((c, caseIndex) => {
        it(c.name, async () => {
          const golden: string[] = []
          runCase(scenario, c, (step, i, { result }) => {
            const where = `${scenario.file} case "${c.name}" step ${i + 1}`
            if (result.cleanup.length) golden.push(`### step ${i + 1}: stale chains deleted first`, formatTransaction(result.cleanup, 'ip', 'kube-proxy'))
            golden.push(
              `### step ${i + 1}: ${result.kind} sync, transaction`, result.transactionText,
              `### step ${i + 1}: nft list table ip kube-proxy`, listTable(result.table),
            )
            if (step.expected !== undefined) {
              const { expected, actual } = compareLikeUpstream(expand(step.expected), dumpTable(result.table))
              expect(actual, `${where}: dump (sorted as upstream sorts it)`).toBe(expected)
            }
            if (step.operations !== undefined) {
              expect(result.transaction.length, `${where}: transaction operations`).toBe(step.operations)
            }
            if (step.staleChains !== undefined) {
              expect([...result.state.staleChains.keys()].sort(), `${where}: stale chains`).toEqual([...step.staleChains].sort())
            }
            if (step.noLocalEndpoints !== undefined) {
              expect(result.noLocalEndpoints, `${where}: sync_proxy_rules_no_local_endpoints_total`).toEqual(step.noLocalEndpoints)
            }
            for (const f of step.findElement ?? []) {
              const found = findSet(result.table, f.map)?.elements.some((e) => e.key.join(' . ') === f.key.join(' . ')) ?? false
              expect(found, `${where}: ${f.map} element ${f.key.join(' . ')}`).toBe(f.exists)
            }
            for (const base of step.flows ?? []) {
              const flow = { ...base, ...step.flowOverrides?.[base.name] }
              const got = runFlow(result.table, flow, scenario.nodeIPs)
              expect(got.errors, `${where}: flow "${flow.name}" tracer errors`).toEqual([])
              expect({ output: got.output, masq: got.masq }, `${where}: flow "${flow.name}"\n${got.matches.join('\n')}`)
                .toEqual({ output: flow.output, masq: flow.masq ?? false })
            }
          })
          await expect(golden.join('\n')).toMatchFileSnapshot(
            `./upstream-scenarios/__golden__/${scenario.file.replace(/\.yaml$/, '')}.${caseIndex + 1}.txt`)
        })
      })
    })
  }
})
