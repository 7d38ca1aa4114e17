import { describe, expect, it } from 'vitest'
import { main } from '../main.ts'
import { recordingIO } from '../io.ts'
import { Cluster, formatManifestError } from '../../src/engine/cluster/cluster.ts'
import { formatGetWide } from '../../src/engine/cluster/kubectl-get.ts'

const SCENARIO = 'scenarios/nginx-clusterip.yaml'
const BAD_PORT = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: 70000\n'

describe('cli: cluster', () => {
  it('applies the files to the default cluster and prints kubectl get nodes,pods,services,endpointslices -A -o wide', async () => {
    const io = recordingIO()
    expect(await main(['cluster', SCENARIO], io)).toBe(0)
    const expected = Cluster.createDefault()
    expected.apply(io.readFile(SCENARIO))
    expect(io.stdout).toBe(formatGetWide(expected.snapshot()))
    expect(io.stdout).toMatch(/pod\/nginx-deployment-\w+-\w{5} +1\/1 +Running .* kind-worker /)
    expect(io.stderr).toBe('')
  })

  it('--seed changes generated names; the same seed repeats them', async () => {
    const run = async (seed: string) => {
      const io = recordingIO()
      await main(['cluster', SCENARIO, '--seed', seed], io)
      return io.stdout
    }
    expect(await run('5')).toBe(await run('5'))
    expect(await run('6')).not.toBe(await run('5'))
  })

  it('--empty starts from a cluster with only what the manifests bring', async () => {
    const io = recordingIO({ 'node.yaml': 'apiVersion: v1\nkind: Node\nmetadata: {name: n1}\n' })
    expect(await main(['cluster', '--empty', 'node.yaml'], io)).toBe(0)
    expect(io.stdout.split('\n').filter((l) => l.startsWith('node/')).map((l) => l.split(/ +/)[0])).toEqual(['node/n1'])
    expect(io.stdout).not.toContain('pod/')
  })

  it('--json prints a kubectl get -o json List of nodes, pods, services and endpointslices', async () => {
    const io = recordingIO()
    expect(await main(['cluster', SCENARIO, '--json'], io)).toBe(0)
    const list = JSON.parse(io.stdout) as { apiVersion: string; kind: string; items: { kind: string }[] }
    expect([list.apiVersion, list.kind]).toEqual(['v1', 'List'])
    const kinds = list.items.map((i) => i.kind)
    expect(kinds.filter((k) => k === 'Node')).toHaveLength(3)
    expect(kinds.filter((k) => k === 'Pod')).toHaveLength(4)
    expect(kinds.filter((k) => k === 'Service')).toHaveLength(3)
    expect(kinds.filter((k) => k === 'EndpointSlice')).toHaveLength(3)
    expect(kinds.indexOf('Pod')).toBeGreaterThan(kinds.lastIndexOf('Node'))
    // Keys sorted as kubectl prints unstructured objects.
    expect(io.stdout.startsWith('{\n    "apiVersion": "v1",\n    "items": [\n        {\n            "apiVersion": "v1",\n            "kind": "Node",\n            "metadata": {\n                "creationTimestamp"')).toBe(true)
  })

  it('exits 1 on invalid input with the error text the app shows, and prints nothing on stdout', async () => {
    const io = recordingIO({ 'bad.yaml': BAD_PORT })
    expect(await main(['cluster', 'bad.yaml'], io)).toBe(1)
    expect(io.stdout).toBe('')
    const outcome = Cluster.createDefault().apply(BAD_PORT)
    if (outcome.ok) throw new Error('expected rejection')
    expect(io.stderr).toBe(`error: ${formatManifestError(outcome.errors[0])}\n`)
    expect(io.stderr).toBe('error: document 1, line 7, column 11: The Service "web" is invalid: spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive\n')
  })

  it('names the file when several are given', async () => {
    const io = recordingIO({ 'bad.yaml': BAD_PORT })
    expect(await main(['cluster', SCENARIO, 'bad.yaml'], io)).toBe(1)
    expect(io.stderr).toMatch(/^error: bad\.yaml: document 1, line 7, column 11: /)
  })

  it('warns about skipped kinds on stderr and still prints the cluster', async () => {
    const io = recordingIO({ 'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n' })
    expect(await main(['cluster', 'cm.yaml'], io)).toBe(0)
    expect(io.stderr).toBe('warning: cm.yaml: document 1 (line 1): skipped: kind ConfigMap (v1) is not simulated\n')
    expect(io.stdout).toContain('node/kind-control-plane')
  })

  it('reports a missing file, a bad flag and no file', async () => {
    const missing = recordingIO()
    expect(await main(['cluster', '/nonexistent/x.yaml'], missing)).toBe(1)
    expect(missing.stderr).toMatch(/^error: the path "\/nonexistent\/x\.yaml" cannot be read/)
    const badFlag = recordingIO()
    expect(await main(['cluster', SCENARIO, '--wide'], badFlag)).toBe(2)
    expect(badFlag.stderr).toContain('unknown flag --wide')
    const none = recordingIO()
    expect(await main(['cluster'], none)).toBe(2)
    expect(none.stderr).toContain('no manifest file given')
  })
})
