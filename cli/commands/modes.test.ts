/** `compile --mode` and `journey --mode` through the CLI dispatcher. */
import { describe, expect, it } from 'vitest'
import { main } from '../main.ts'
import { recordingIO } from '../io.ts'
import { Cluster } from '../../src/engine/cluster/cluster.ts'
import { compileIpvs } from '../../src/engine/kube-proxy/modes/ipvs/compile.ts'
import { applyIpvsSync, newIpvsNodeState, renderIpvsNode } from '../../src/engine/kube-proxy/modes/ipvs/node-state.ts'
import { NftablesKubeProxy } from '../../src/engine/kube-proxy/modes/nftables/proxier.ts'

const SCENARIO = 'scenarios/nginx-clusterip.yaml'

function cluster(io: { readFile(p: string): string }) {
  const c = Cluster.createDefault()
  c.apply(io.readFile(SCENARIO))
  return c
}

describe('cli: compile --mode', () => {
  it('ipvs: iptables-save (filter, nat), then ipset list, then ipvsadm -Ln, for the node', async () => {
    const io = recordingIO()
    expect(await main(['compile', SCENARIO, '--node', 'kind-worker', '--mode', 'ipvs'], io)).toBe(0)
    expect(io.stderr).toBe('')
    const c = cluster(io)
    const snap = c.snapshot()
    const config = { ...snap.kubeProxyConfig, mode: 'ipvs' as const }
    const state = newIpvsNodeState()
    applyIpvsSync(state, compileIpvs({ ...snap, kubeProxyConfig: config }, 'kind-worker', config))
    expect(io.stdout).toBe(renderIpvsNode(state, { now: new Date(c.now()) }))
    const save = io.stdout.indexOf('*filter')
    const sets = io.stdout.indexOf('Name: KUBE-CLUSTER-IP')
    const ipvs = io.stdout.indexOf('IP Virtual Server version 1.2.1 (size=4096)')
    expect(save).toBeGreaterThanOrEqual(0)
    expect(sets).toBeGreaterThan(save)
    expect(ipvs).toBeGreaterThan(sets)
    const ip = snap.services.find((s) => s.metadata.name === 'nginx-service')!.spec.clusterIP!
    expect(io.stdout.slice(ipvs)).toContain(`TCP  ${ip}:80 rr`)
  })

  it('nftables: nft list ruleset of the node', async () => {
    const io = recordingIO()
    expect(await main(['compile', SCENARIO, '--node=kind-worker', '--mode=nftables'], io)).toBe(0)
    const snap = cluster(io).snapshot()
    const nft = new NftablesKubeProxy('kind-worker', { ...snap.kubeProxyConfig, mode: 'nftables' })
    nft.loadSnapshot({ ...snap, kubeProxyConfig: { ...snap.kubeProxyConfig, mode: 'nftables' } })
    nft.sync()
    expect(io.stdout).toBe(nft.listRuleset())
    expect(io.stdout).toMatch(/^table ip kube-proxy \{\n/)
    expect(io.stdout).not.toContain('*nat')
  })

  it('iptables (the default) is unchanged, and a bad mode is a usage error', async () => {
    const a = recordingIO()
    const b = recordingIO()
    expect(await main(['compile', SCENARIO, '--node', 'kind-worker'], a)).toBe(0)
    expect(await main(['compile', SCENARIO, '--node', 'kind-worker', '--mode', 'iptables'], b)).toBe(0)
    expect(b.stdout).toBe(a.stdout)
    const bad = recordingIO()
    expect(await main(['compile', SCENARIO, '--node', 'kind-worker', '--mode', 'userspace'], bad)).toBe(2)
    expect(bad.stderr).toMatch(/^error: --mode must be iptables, ipvs or nftables, got "userspace"\n/)
  })
})

describe('cli: journey --mode', () => {
  it('nftables: the transcript shows kube-proxy\'s nftables chains and the packet reaches an nginx Pod', async () => {
    const io = recordingIO()
    expect(await main(['journey', SCENARIO, '--from', 'kind-worker', '--to', 'nginx-service:80', '--mode', 'nftables', '--json'], io)).toBe(0)
    const out = JSON.parse(io.stdout) as { reached: string | null; verdict: string; hops: { chain: string | null; text: string }[] }
    expect(out.verdict).toBe('delivered')
    expect(out.reached).toMatch(/^nginx-deployment-/)
    expect(out.hops.some((h) => h.chain === 'nat-output')).toBe(true)
    expect(out.hops.some((h) => /KUBE-SVC-/.test(h.text))).toBe(false)
  })

  it('ipvs: IPVS schedules the connection at LOCAL_OUT for a Node\'s own packet', async () => {
    const io = recordingIO()
    expect(await main(['journey', SCENARIO, '--from', 'kind-worker', '--to', 'nginx-service:80', '--mode', 'ipvs'], io)).toBe(0)
    expect(io.stdout).toMatch(/kind-worker nat ip_vs_local_request4 #1: IPVS: TCP [\d.]+:80 \(rr\) schedules /)
    const bad = recordingIO()
    expect(await main(['journey', SCENARIO, '--from', 'kind-worker', '--to', 'nginx-service:80', '--mode', 'x'], bad)).toBe(2)
  })
})
