/**
 * Upstream's own expectations for kube-proxy's iptables mode (kubernetes/kubernetes
 * pkg/proxy/iptables/proxier_test.go), stated as fixtures in ./upstream-scenarios/: for each scenario, the
 * payload must equal upstream's `expected` dump under upstream's comparison (sortIPTablesRules), the chains
 * upstream inspects must hold exactly the rules it lists, and upstream's packet-flow cases must come out the
 * same when traced (upstream's tracer, reimplemented) through the rules the node ends up with.
 */
import { describe, expect, it } from 'vitest'
import { checkRuleJumps, compareLikeUpstream, parseDump } from './test-support/upstream-sort.ts'
import { loadScenarios, runCase } from './test-support/scenario.ts'
import { runFlow } from './test-support/tracer.ts'

const scenarios = loadScenarios()

/** upstream countRules: the rules of one table in a dump. */
function countRules(dump: string, table: string): number {
  return parseDump(dump).find((t) => t.name === table)?.chains.reduce((n, c) => n + c.rules.length, 0) ?? 0
}

describe('upstream kube-proxy scenarios (proxier_test.go)', () => {
  it('has at least 15 upstream tests reproduced', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(15)
  })

  for (const scenario of scenarios) {
    describe(scenario.test, () => {
      scenario.cases.forEach((c, caseIndex) => {
        it(c.name, async () => {
          // Besides upstream's sorted comparison: our own exact output (payload in emission order and the node's
          // iptables-save), kept as a golden file so any change of order or text shows up in review.
          const golden: string[] = []
          runCase(scenario, c, (step, i, { record, proxy }) => {
            golden.push(`### step ${i + 1}: ${record.kind} sync, payload`, record.payload, `### step ${i + 1}: iptables-save`, proxy.iptablesSave())
            const where = `${scenario.file} case "${c.name}" step ${i + 1}`
            if (step.restoreFails) {
              expect(record.error, `${where}: the restore should have failed`).toBeDefined()
              return
            }
            expect(record.error, where).toBeUndefined()
            if (step.expected !== undefined) {
              const { expected, actual } = compareLikeUpstream(step.expected, record.payload)
              expect(actual, `${where}: payload (sorted as upstream sorts it)`).toBe(expected)
              if (step.consistency) expect(checkRuleJumps(step.expected), where).toBeUndefined()
            }
            for (const ch of step.chains ?? []) {
              const table = parseDump(record.payload).find((t) => t.name === ch.table)
              const rules = table?.chains.find((x) => x.name === ch.chain)?.rules.map((r) => r.raw + '\n').join('') ?? ''
              expect(rules, `${where}: ${ch.table} ${ch.chain}`).toBe(ch.rules.replace(/^\n/, ''))
            }
            for (const s of step.payloadContains ?? []) expect(record.payload, where).toContain(s)
            for (const s of step.payloadLacks ?? []) expect(record.payload, where).not.toContain(s)
            if (step.endpointCount) {
              const dnat = record.payload.split('\n').filter((l) => l.startsWith('-A KUBE-SEP-') && l.includes('-j DNAT'))
              const e = step.endpointCount
              expect(dnat.find((l) => l.includes(e.match)) ?? '', where).toBe(e.line ?? '')
              expect(dnat.length, `${where}: DNAT rules`).toBe(e.endpoints)
              if (e.comments !== undefined) expect(dnat.filter((l) => l.includes('--comment')).length, where).toBe(e.comments)
            }
            if (step.natRulesTotal !== undefined) {
              // upstream: the nat "rules total" metric equals the rule count of the expected dump (or a
              // running total the test keeps across partial syncs).
              const total = step.natRulesTotal === 'expected' ? countRules(step.expected ?? '', 'nat') : step.natRulesTotal
              const filterRules = countRules(record.payload, 'filter')
              expect(record.totalRules - filterRules, `${where}: nat rules total`).toBe(total)
            }
            for (const base of step.flows ?? []) {
              const flow = { ...base, ...step.flowOverrides?.[base.name] }
              const got = runFlow(proxy.nodeTables(), flow)
              expect({ output: got.output, masq: got.masq }, `${where}: flow "${flow.name}"\n${got.matches.join('\n')}`)
                .toEqual({ output: flow.output, masq: flow.masq ?? false })
            }
          })
          await expect(golden.join('\n')).toMatchFileSnapshot(`./upstream-scenarios/__golden__/${scenario.file.replace(/\.yaml$/, '')}.${caseIndex + 1}.txt`)
        })
      })
    })
  }
})
