/**
 * Kernel acceptance: every rule set our kube-proxy compiles must load into the real kernel, and the kernel
 * must hand it back exactly as we print it. For each case a fresh network namespace gets kubelet's setup
 * (KUBE-FIREWALL, canaries, KUBE-IPTABLES-HINT), kube-proxy's canaries and jump rules, then every sync's
 * payload through `iptables-restore --test` and `iptables-restore -w --noflush` (partial syncs included, and
 * a restore that must fail must fail in the kernel too); after each sync `iptables-save` (headers dropped)
 * must equal our rendering of the node.
 *
 * Needs root (network namespaces). In CI (process.env.CI) it must run; elsewhere it is skipped when not root.
 */
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { NetnsPool, kernelSuiteCanRun, netnsExec, netnsMust } from '../support/netns.ts'
import { Cluster } from '../../src/engine/cluster/cluster.ts'
import { KubeProxy } from '../../src/engine/kube-proxy/modes/iptables/proxier.ts'
import { jumpRules, NFACCT_CT_INVALID_DROPPED, NFACCT_LOCALHOST_NODEPORTS } from '../../src/engine/kube-proxy/modes/iptables/compile.ts'
import { KUBE_FIREWALL_RULE_ARGS } from '../../src/engine/kube-proxy/node-iptables/kubelet.ts'
import { loadScenarios, runCase } from '../../src/engine/kube-proxy/modes/iptables/test-support/scenario.ts'

const canRun = kernelSuiteCanRun({ suite: 'kube-proxy kernel acceptance', tools: ['iptables-restore', 'ip'] })

const namespaces = new NetnsPool('kpx')
const sh = netnsExec
const must = netnsMust

/** nfacct objects as kube-proxy creates them at start (over nfnetlink; there is no nfacct tool here). */
const NFACCT_SCRIPT = `
import socket, struct, sys
for name in sys.argv[1:]:
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 12)
    s.bind((0, 0))
    nm = name.encode() + b'\\0'
    attr = struct.pack('HH', 4 + len(nm), 1) + nm
    attr += b'\\0' * ((4 - len(attr) % 4) % 4)
    payload = struct.pack('BBH', 0, 0, 0) + attr
    s.send(struct.pack('IHHII', 16 + len(payload), (7 << 8) | 0, 1 | 4 | 0x400, 1, 0) + payload)
    err = struct.unpack('i', s.recv(4096)[16:20])[0]
    if err not in (0, -17): sys.exit('nfacct add %s failed: %d' % (name, err))
`
const havePython = spawnSync('python3', ['-c', 'print(1)']).status === 0

/** A fresh namespace set up as kubelet + a starting kube-proxy leave a node. Returns its name. */
function freshNode(): string {
  const ns = namespaces.fresh()
  if (havePython) must(ns, 'python3', ['-c', NFACCT_SCRIPT, NFACCT_CT_INVALID_DROPPED, NFACCT_LOCALHOST_NODEPORTS])
  // kubelet (pkg/kubelet/kubelet_network_linux.go)
  must(ns, 'iptables', ['-w', '-t', 'mangle', '-N', 'KUBE-IPTABLES-HINT'])
  must(ns, 'iptables', ['-w', '-t', 'filter', '-N', 'KUBE-FIREWALL'])
  must(ns, 'iptables', ['-w', '-t', 'filter', '-A', 'KUBE-FIREWALL', ...KUBE_FIREWALL_RULE_ARGS])
  must(ns, 'iptables', ['-w', '-t', 'filter', '-I', 'OUTPUT', '-j', 'KUBE-FIREWALL'])
  must(ns, 'iptables', ['-w', '-t', 'filter', '-I', 'INPUT', '-j', 'KUBE-FIREWALL'])
  for (const t of ['mangle', 'nat', 'filter']) must(ns, 'iptables', ['-w', '-t', t, '-N', 'KUBE-KUBELET-CANARY'])
  // kube-proxy's iptables.Monitor
  for (const t of ['mangle', 'nat', 'filter']) must(ns, 'iptables', ['-w', '-t', t, '-N', 'KUBE-PROXY-CANARY'])
  return ns
}

/** A full sync's EnsureChain + EnsureRule(Prepend) calls, as kube-proxy makes them. */
function ensureJumps(ns: string): void {
  for (const j of jumpRules()) {
    if (sh(ns, 'iptables', ['-w', '-t', j.table, '-n', '-L', j.target]).status !== 0) must(ns, 'iptables', ['-w', '-t', j.table, '-N', j.target])
    if (sh(ns, 'iptables', ['-w', '-t', j.table, '-C', j.chain, ...j.args]).status !== 0) {
      must(ns, 'iptables', ['-w', '-t', j.table, '-I', j.chain, '1', ...j.args])
    }
  }
}

/** Loads one payload; returns false when iptables-restore refuses it. */
function restore(ns: string, payload: string): boolean {
  const test = sh(ns, 'iptables-restore', ['-w', '--noflush', '--test'], payload)
  const real = sh(ns, 'iptables-restore', ['-w', '--noflush'], payload)
  // --test only parses and checks each rule; "chain still referenced" shows up at commit time only.
  if (real.status === 0 && test.status !== 0) throw new Error(`iptables-restore --test refused a payload the kernel accepts: ${test.stderr}`)
  return real.status === 0
}

function kernelSave(ns: string): string {
  return must(ns, 'iptables-save', []).split('\n').filter((l) => !l.startsWith('#')).join('\n')
}

const environment = { nfacct: havePython }

describe.skipIf(!canRun)('compiled kube-proxy rules in the real kernel', () => {
  it('default kind-like cluster with the nginx scenario: loads, and iptables-save matches ours line for line', () => {
    const nginx = readFileSync(join(import.meta.dirname, '..', '..', 'scenarios', 'nginx-clusterip.yaml'), 'utf8')
    const cluster = Cluster.createDefault()
    const outcome = cluster.apply(nginx)
    expect(outcome.ok).toBe(true)
    const snapshot = cluster.snapshot()
    expect(snapshot.nodes.length).toBeGreaterThan(0)
    for (const node of snapshot.nodes) {
      const proxy = new KubeProxy(node.metadata.name, snapshot.kubeProxyConfig, { environment })
      proxy.loadSnapshot(snapshot)
      const record = proxy.sync()
      expect(record.error).toBeUndefined()
      const ns = freshNode()
      ensureJumps(ns)
      expect(restore(ns, record.payload), `${node.metadata.name}: iptables-restore`).toBe(true)
      expect(kernelSave(ns), node.metadata.name).toBe(proxy.iptablesSave())
    }
  })

  for (const scenario of loadScenarios()) {
    for (const c of scenario.cases) {
      it(`${scenario.test}: ${c.name}`, () => {
        const ns = freshNode()
        runCase({ ...scenario, environment: { ...scenario.environment, ...environment } }, c, (step, i, { record, proxy }) => {
          const where = `${scenario.file} "${c.name}" step ${i + 1}`
          if (step.inject) must(ns, 'iptables', ['-w', '-t', step.inject.table, ...step.inject.rule.split(' ')])
          if (record.kind === 'full') ensureJumps(ns)
          const loaded = restore(ns, record.payload)
          expect(loaded, `${where}: iptables-restore ${step.restoreFails ? 'should fail' : 'should succeed'}`).toBe(!step.restoreFails)
          expect(kernelSave(ns), where).toBe(proxy.iptablesSave())
        })
      })
    }
  }
})
