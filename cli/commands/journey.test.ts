import { describe, expect, it } from 'vitest'
import { main } from '../main.ts'
import { recordingIO } from '../io.ts'
import { Simulation } from '../../src/engine/simulation/simulation.ts'

const SCENARIO = 'scenarios/nginx-clusterip.yaml'
const NODEPORT = `apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  type: NodePort
  selector: {app: nginx}
  ports: [{port: 80, targetPort: 80, nodePort: 30080}]
`

async function cli(args: string[], files: Record<string, string> = {}) {
  const io = recordingIO(files)
  const code = await main(['journey', ...args], io)
  return { code, out: io.stdout, err: io.stderr }
}

/** The scenario's nginx Pods, as the same seed names them. */
function nginxPods(seed = 1) {
  const sim = Simulation.create({ seed })
  sim.apply(recordingIO().readFile(SCENARIO))
  return sim.snapshot().pods.filter((p) => p.metadata.labels?.app === 'nginx')
}

describe('cli: journey', () => {
  it('prints the hops of one journey: node, table, chain, rule number, rule text, verdict, packet changes, moves', async () => {
    const pods = nginxPods()
    const r = await cli([SCENARIO, '--from', pods[0].metadata.name, '--to', 'nginx-service:80'])
    expect(r.code).toBe(0)
    expect(r.err).toBe('')
    const lines = r.out.split('\n')
    expect(lines[0]).toMatch(/^journey: tcp 10\.244\.1\.2:\d+ → 10\.96\.\d+\.\d+:80 \(Service default\/nginx-service port 80, cluster IP\)$/)
    expect(lines).toContain('request:')
    expect(lines).toContain('reply:')
    expect(r.out).toMatch(/^ +\d+ {2}⇒ Pod default\/nginx-deployment-\S+ → kind-worker via veth[0-9a-f]{8}$/m)
    expect(r.out).toMatch(/^ +\d+ {2}kind-worker nat PREROUTING #1: -A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES → jump KUBE-SERVICES$/m)
    expect(r.out).toMatch(/^ +\d+ {2}kind-worker nat KUBE-SEP-\w+ #2: .* -j DNAT --to-destination 10\.244\.\d+\.2:80 → DNAT/m)
    expect(r.out).toMatch(/^ {8}packet: tcp 10\.244\.1\.2:\d+ → 10\.244\.\d+\.2:80 SYN.*\(dst changed\)$/m)
    expect(lines.at(-2)).toMatch(/^result: tcp .* reached Pod default\/nginx-deployment-\S+ on kind-worker2?; the client receives SYN-ACK from 10\.96\.\d+\.\d+:80$/)
  })

  it('--json: {reached, verdict, hops} with node, table, chain, rule and text on every hop; the same seed gives the same output', async () => {
    const pods = nginxPods()
    const args = [SCENARIO, 'np.yaml', '--from', '172.18.0.1', '--to', '172.18.0.2:30080', '--json']
    const r = await cli(args, { 'np.yaml': NODEPORT })
    expect(r.code).toBe(0)
    const j = JSON.parse(r.out)
    expect(j.verdict).toBe('delivered')
    expect(pods.map((p) => p.metadata.name)).toContain(j.reached)
    for (const h of j.hops) {
      for (const k of ['node', 'table', 'chain', 'rule', 'text']) expect(h, JSON.stringify(h).slice(0, 200)).toHaveProperty(k)
    }
    const moves = j.hops.filter((h: { kind: string }) => h.kind === 'move')
    expect(moves.every((h: { rule: null; table: null }) => h.rule === null && h.table === null)).toBe(true)
    expect(j.hops.some((h: { kind: string; rule: null }) => h.kind === 'policy' && h.rule === null)).toBe(true)
    expect(j.hops.find((h: { chain: string; rule: number; text: string }) => h.chain === 'KUBE-NODEPORTS' && h.rule !== null && h.text.includes('30080'))).toBeDefined()
    expect((await cli(args, { 'np.yaml': NODEPORT })).out).toBe(r.out)
  })

  it('--count N: where N connections landed; --json gives {landed, dropped, rejected}; repeatable with --seed', async () => {
    const args = [SCENARIO, '--from', 'kind-control-plane', '--to', 'nginx-service:80', '--count', '200', '--json', '--seed', '4']
    const r = await cli(args)
    expect(r.code).toBe(0)
    const j = JSON.parse(r.out)
    expect(Object.keys(j).sort()).toEqual(['dropped', 'landed', 'rejected'])
    expect(Object.keys(j.landed).sort()).toEqual(nginxPods(4).map((p) => p.metadata.name).sort())
    expect(Object.values(j.landed as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(200)
    expect((await cli(args)).out).toBe(r.out)
    const text = await cli(args.filter((a) => a !== '--json'))
    expect(text.out.split('\n')[0]).toBe('200 connections tcp kind-control-plane → nginx-service:80')
    expect(text.out).toMatch(/^ {2}nginx-deployment-\S+ +\d+ +\d+\.\d% {2}expected +50\.0%$/m)
    expect(text.out.split('\n')[1]).toMatch(/^expected shares from kind-control-plane nat KUBE-SVC-V2OKYYMBY3REGZOG \(the statistic cascade\)$/)
  })

  it('a Service with no endpoints: rejected, and the text says where', async () => {
    const none = 'apiVersion: v1\nkind: Service\nmetadata: {name: empty}\nspec:\n  selector: {app: none}\n  ports: [{port: 80, targetPort: 80}]\n'
    const r = await cli([SCENARIO, 'none.yaml', '--from', 'kind-worker', '--to', 'empty:80', '--json'], { 'none.yaml': none })
    const j = JSON.parse(r.out)
    expect([j.reached, j.verdict, j.rejectKind]).toEqual([null, 'rejected', 'icmp-port-unreachable'])
    const t = await cli([SCENARIO, 'none.yaml', '--from', 'kind-worker', '--to', 'empty:80'], { 'none.yaml': none })
    expect(t.out).toMatch(/^stopped at: kind-worker filter KUBE-SERVICES rule 1: -A KUBE-SERVICES .*"default\/empty has no endpoints".* -j REJECT --reject-with icmp-port-unreachable$/m)
  })

  it('unknown source or destination: exit 1 with a clear message; bad flags: exit 2', async () => {
    expect(await cli([SCENARIO, '--from', 'nobody', '--to', 'nginx-service:80'])).toEqual({ code: 1, out: '', err: 'error: unknown source "nobody": no Pod (with an IP) or Node by that name\n' })
    expect(await cli([SCENARIO, '--from', 'kind-worker', '--to', 'nothing:80'])).toEqual({ code: 1, out: '', err: 'error: unknown destination "nothing": no Service by that name (or give an IP)\n' })
    expect((await cli([SCENARIO, '--from', 'kind-worker', '--to', 'nginx-service'])).code).toBe(2)
    expect((await cli([SCENARIO, '--from', 'kind-worker', '--to', 'nginx-service:80', '--proto', 'sctp'])).code).toBe(2)
    expect((await cli(['--from', 'kind-worker', '--to', 'nginx-service:80'])).err).toContain('no manifest file given')
    const missing = await cli(['missing.yaml', '--from', 'kind-worker', '--to', 'nginx-service:80'])
    expect(missing.code).toBe(1)
    expect(missing.err).toMatch(/^error: the path "missing.yaml" cannot be read/)
  })
})
