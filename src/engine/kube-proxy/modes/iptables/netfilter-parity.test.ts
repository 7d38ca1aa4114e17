/**
 * kube-proxy programming the simulator's own netfilter engine (Ruleset + iptables / iptables-restore /
 * iptables-save) exactly as it programs a real node: for every upstream scenario and every sync, the
 * engine's `iptables-save` must print the same text as our rendering of the node (which the kernel
 * acceptance test checks against the real kernel), and a restore that fails on the kernel must fail here.
 */
import { describe, expect, it } from 'vitest'
import { runIptables, runIptablesSave } from '../../../netfilter/iptables-command.ts'
import { Ruleset } from '../../../netfilter/ruleset.ts'
import { loadScenarios, runCase } from './test-support/scenario.ts'

// Every case runs: the engine has the sctp and nfacct matches kube-proxy's rules use, so a case that stops
// matching is a regression to see, never a case to skip.
describe('kube-proxy on the netfilter engine: iptables-save parity with our node rendering', () => {
  for (const scenario of loadScenarios()) {
    for (const c of scenario.cases) {
      it(`${scenario.test}: ${c.name}`, () => {
        // Our own model of the node, step by step (the one the kernel acceptance test checks)...
        const ours: string[] = []
        runCase(scenario, c, (_step, _i, { proxy }) => { ours.push(proxy.iptablesSave()) })
        // ...and the same syncs programmed into the netfilter engine.
        const ruleset = Ruleset.create()
        runCase(scenario, c, (step, i, { record, proxy }) => {
          const where = `${scenario.file} "${c.name}" step ${i + 1}`
          expect(record.error !== undefined, `${where}: ${record.error ?? 'restore succeeded'}`).toBe(!!step.restoreFails)
          const theirs = runIptablesSave(ruleset, []).out.split('\n').filter((l) => !l.startsWith('#')).join('\n')
          expect(theirs, where).toBe(ours[i])
          expect(proxy.iptablesSave(), `${where}: kube-proxy's view is the ruleset`).toBe(theirs)
        }, {
          proxyOptions: { ruleset },
          inject: (table, rule) => { runIptables(ruleset, ['-t', table, ...rule.split(' ')]) },
        })
      })
    }
  }
})
