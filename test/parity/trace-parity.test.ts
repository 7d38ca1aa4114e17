/**
 * Trace parity: for a selection of the parity cases, a TRACE rule in the raw table makes the real kernel
 * report the last packet's way through the router (`xtables-monitor --trace`), and the engine's
 * kernelTrace lines must be the same — every PACKET line and every TRACE line, in order. Normalised are
 * only what cannot match: the per-packet trace id, MAC addresses, the IP id the kernel picks for packets
 * the router sends, and the lines of the suite's own `observe` table. Gated like every kernel suite.
 */
import { spawn } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Host } from '../../src/engine/host/host.ts'
import { runCommandLine } from '../../src/engine/netfilter/command-line.ts'
import { traverse } from '../../src/engine/netfilter/traversal.ts'
import { CASES } from './cases.ts'
import type { ParityCase } from './cases.ts'
import { kernelSuiteCanRun } from '../support/netns.ts'
import { KERNEL_LAB_TOOLS, KernelLab, ROUTER_IFACES } from './kernel-lab.ts'
import { toEnginePacket } from './engine-packets.ts'
import { normalizeTrace, withTrace } from './trace-lines.ts'

const runSuite = kernelSuiteCanRun({ suite: 'trace parity suite', tools: KERNEL_LAB_TOOLS })

/**
 * Cases whose trace the kernel reports in a way not yet understood, left out here (their counters are
 * still compared by the parity suite): when a REJECT's answer is itself traced (TRACE in raw OUTPUT), no
 * event is reported for the REJECT rule; and a packet re-entering through lo reports no events at all.
 */
function traceUnexplained(c: ParityCase): boolean {
  const lastFromRouter = c.sends[c.sends.length - 1].from === 'router'
  const toRouter = (a: string) => a === '10.10.1.1' || a === '10.10.2.1' || a.startsWith('127.')
  return c.rules.includes('-j REJECT') || (lastFromRouter && toRouter(c.sends[c.sends.length - 1].pkt.dst)) || c.rules.includes('127.0.0.1')
}

/** The cases traced: every kube-proxy case and the first few of each path. */
const TRACED = [
  ...CASES.filter((c) => c.name.startsWith('kube:')),
  ...CASES.filter((c) => c.name.startsWith('input:')).slice(0, 10),
  ...CASES.filter((c) => c.name.startsWith('forward:')).slice(0, 10),
  ...CASES.filter((c) => c.name.startsWith('output:')).slice(0, 10),
].filter((c) => !traceUnexplained(c))

function engineTrace(c: ParityCase): string[] {
  const host = new Host({ interfaces: ROUTER_IFACES, routes: [{ dst: 'default', via: '10.10.2.2' }], ipForward: c.ipForward ?? true })
  for (const cmd of c.prepare ?? []) runCommandLine(host.ruleset, cmd)
  const r = runCommandLine(host.ruleset, 'iptables-restore', withTrace(c.rules))
  if (r.rc !== 0) throw new Error(r.err)
  let last
  for (const s of c.sends) {
    const opts = s.from === 'router' ? { local: true } : { inIface: s.from === 'client' ? 'eth0' : 'eth1' }
    last = traverse(host, toEnginePacket(s.pkt), opts)
  }
  return normalizeTrace(last!.kernelTrace)
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms))
}

async function kernelTrace(lab: KernelLab, c: ParityCase): Promise<string[]> {
  lab.setForwarding(c.ipForward ?? true)
  lab.load(withTrace(c.rules), c.prepare)
  for (const s of c.sends.slice(0, -1)) {
    lab.send(s.from, [s.pkt])
    await sleep(15)
  }
  const mon = spawn('ip', ['netns', 'exec', lab.ns.router, 'xtables-monitor', '--trace'])
  let out = ''
  mon.stdout.on('data', (d: Buffer) => { out += d.toString() })
  const closed = new Promise((r) => mon.on('close', r))
  await sleep(200)
  const last = c.sends[c.sends.length - 1]
  lab.send(last.from, [last.pkt])
  await sleep(300)
  mon.kill('SIGINT')
  await closed
  return normalizeTrace(out.split('\n'))
}

describe.skipIf(!runSuite)('trace parity: the engine prints what xtables-monitor --trace prints', () => {
  const lab = new KernelLab(`t${process.pid}`)
  beforeAll(() => lab.setup(), 30_000)
  afterAll(() => lab.teardown())

  it('traces at least 20 cases', () => {
    expect(TRACED.length).toBeGreaterThanOrEqual(20)
  })

  for (const c of TRACED) {
    it(c.name, async () => {
      const kernel = await kernelTrace(lab, c)
      expect(kernel.length).toBeGreaterThan(0)
      expect(engineTrace(c)).toEqual(kernel)
    })
  }
})
