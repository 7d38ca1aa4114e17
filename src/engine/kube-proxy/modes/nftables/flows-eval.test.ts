/**
 * Our nftables interpreter against upstream's expectations: every packet flow of the upstream fixtures is
 * sent through the hooks (prerouting; forward or input depending on where the packet is going after DNAT;
 * postrouting when forwarded) of the table our kube-proxy compiled, with a seeded generator for `numgen`.
 * Repeated, the flow must reach exactly upstream's endpoints (upstream's tracer visits them all at once),
 * be masqueraded exactly when upstream says so, and be dropped or rejected where upstream says.
 */
import { describe, expect, it } from 'vitest'
import { evaluateHook } from '../../../nftables/eval.ts'
import type { NftHostContext, NftPacket } from '../../../nftables/eval.ts'
import type { NftTable } from '../../../nftables/model.ts'
import { createRng } from '../../../random.ts'
import { loadScenarios, runCase } from './test-support/scenario.ts'
import type { PacketFlowTest } from './test-support/tracer.ts'

const MASQ_BIT = 0x4000

function sendOnce(table: NftTable, flow: PacketFlowTest, nodeIPs: readonly string[], ctx: NftHostContext): { output: string; masq: boolean } {
  let p: NftPacket = {
    iif: 'eth0', saddr: flow.sourceIP, daddr: flow.destIP, ttl: 64, id: 1, length: 60,
    protocol: (flow.protocol ?? 'TCP').toLowerCase() as NftPacket['protocol'], sport: 40000, dport: flow.destPort,
    mark: 0, ct: 'new',
  }
  const pre = evaluateHook([table], 'prerouting', p, ctx, '00000000')
  if (pre.verdict === 'drop') return { output: pre.rejected ? 'REJECT' : 'DROP', masq: false }
  p = pre.packet
  const dnat = pre.nat.find((n) => n.type === 'dnat')
  const local = nodeIPs.includes(p.daddr)
  const filter = evaluateHook([table], local ? 'input' : 'forward', { ...p, oif: local ? undefined : 'eth1' }, ctx, '00000000')
  if (filter.verdict === 'drop') return { output: filter.rejected ? 'REJECT' : 'DROP', masq: false }
  p = filter.packet
  let masq = (p.mark & MASQ_BIT) !== 0
  if (!local) {
    const post = evaluateHook([table], 'postrouting', p, ctx, '00000000')
    masq = post.nat.some((n) => n.type === 'masquerade')
  }
  return { output: dnat && dnat.type === 'dnat' ? `${dnat.addr}:${dnat.port}` : '', masq }
}

describe('nftables interpreter reproduces upstream packet flows', () => {
  for (const scenario of loadScenarios()) {
    scenario.cases.forEach((c) => {
      const flows = c.steps.some((s) => s.flows?.length)
      if (!flows) return
      it(`${scenario.test}: ${c.name}`, () => {
        runCase(scenario, c, (step, i, { result }) => {
          for (const base of step.flows ?? []) {
            const flow = { ...base, ...step.flowOverrides?.[base.name] }
            const rng = createRng(1234)
            const random = () => rng.next()
            const ctx: NftHostContext = { isLocal: (ip) => scenario.nodeIPs.includes(ip), random, now: 0, dynamicSets: new Map() }
            const outputs = new Set<string>()
            const masqs = new Set<boolean>()
            for (let n = 0; n < 64; n++) {
              const r = sendOnce(result.table, flow, scenario.nodeIPs, ctx)
              outputs.add(r.output)
              masqs.add(r.masq)
            }
            const where = `${scenario.file} "${c.name}" step ${i + 1} flow "${flow.name}"`
            const expected = flow.output === '' ? [''] : flow.output.split(', ')
            expect([...outputs].sort(), where).toEqual([...expected].sort())
            expect([...masqs], where).toEqual([flow.masq ?? false])
          }
        })
      })
    })
  }
})
