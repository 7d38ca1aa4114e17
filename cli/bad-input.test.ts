/** Hostile and broken input through every command: a one-line message with its place, never a crash or a hang. */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { main } from './main.ts'
import { recordingIO } from './io.ts'
import { MAX_PODS } from '../src/engine/cluster/pod-limit.ts'
import { MAX_SEND_COUNT } from '../src/engine/journeys/send-limit.ts'

async function cli(args: string[], files: Record<string, string> = {}) {
  const io = recordingIO(files)
  const code = await main(args, io)
  return { code, out: io.stdout, err: io.stderr }
}

const SERVICE = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  labels: LABELS\nspec:\n  ports: [{port: 80}]\n'
const laughs = (levels: number) => {
  let text = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n'
  for (let l = 1; l <= levels; l++) text += `  a${l}: &a${l} [${Array(9).fill(`*a${l - 1}`).join(', ')}]\n`
  return text
}
const BAD_YAML: Record<string, [string, RegExp]> = {
  'an alias bomb': [laughs(9), /^error: document 1, line \d+, column \d+: document contains excessive aliasing\n$/],
  'an undefined alias': [SERVICE.replace('LABELS', '*nope'), /^error: document 1, line 5, column 11: unknown anchor 'nope' referenced\n$/],
  'an alias inside its own anchor': [SERVICE.replace('LABELS', '&x {a: *x}'), /^error: document 1, line 5, column 18: anchor 'x' value contains itself\n$/],
  'a 20,000-deep flow sequence': [`a: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`, /^error: document 1, line 1, column \d+: exceeded max depth of 256\n$/],
}
const COMMANDS: Record<string, string[]> = {
  cluster: ['cluster', 'bad.yaml'],
  compile: ['compile', 'bad.yaml', '--node', 'kind-worker'],
  'compile --raw': ['compile', '--raw', 'bad.yaml', '--node', 'n'],
  journey: ['journey', 'bad.yaml', '--from', 'kind-worker', '--to', 'nginx-service:80'],
}

describe('bad YAML: exit 1, one line naming the document, line and column', () => {
  for (const [what, [text, expected]] of Object.entries(BAD_YAML)) {
    it(what, async () => {
      for (const [name, args] of Object.entries(COMMANDS)) {
        expect(await cli(args, { 'bad.yaml': text }), name).toEqual({ code: 1, out: '', err: expect.stringMatching(expected) })
      }
    })
  }

  it('ordinary YAML with hundreds of aliases is read, as kubectl reads it', async () => {
    const services = Array.from({ length: 150 }, (_, i) => `- apiVersion: v1\n  kind: Service\n  metadata: {name: s${i}, labels: *l}\n  spec: {selector: *l, ports: [{port: 80}]}\n`).join('')
    const text = `apiVersion: v1\nkind: List\nmetadata: {labels: &l {app: nginx}}\nitems:\n${services}`
    const r = await cli(['cluster', 'many.yaml'], { 'many.yaml': text })
    expect(r.code).toBe(0)
    expect(r.out).toContain('service/s149 ')
  })
})

describe('bad sizes: a clear refusal instead of a hang', () => {
  const deployment = (replicas: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: big}\nspec:\n  replicas: ${replicas}\n  selector: {matchLabels: {app: big}}\n  template:\n    metadata: {labels: {app: big}}\n    spec: {containers: [{name: c, image: nginx}]}\n`

  it("replicas beyond int32: the API server's decoding error", async () => {
    expect(await cli(['cluster', 'd.yaml'], { 'd.yaml': deployment('4294967296') })).toEqual({
      code: 1, out: '',
      err: 'error: document 1, line 5, column 13: Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal number 4294967296 into Go struct field DeploymentSpec.spec.replicas of type int32\n',
    })
  })

  it(`a million replicas: more Pods than the simulation holds (${MAX_PODS})`, async () => {
    const r = await cli(['journey', 'd.yaml', '--from', 'kind-worker', '--to', '10.0.0.1:80'], { 'd.yaml': deployment('1000000') })
    expect(r).toEqual({ code: 1, out: '', err: `error: document 1, line 5, column 13: deployments.apps "big" is forbidden: the simulation holds at most ${MAX_PODS} Pods and this would ask for 1000002\n` })
  })

  it(`journey --count above ${MAX_SEND_COUNT}: a usage error`, async () => {
    const r = await cli(['journey', 'scenarios/nginx-clusterip.yaml', '--from', 'kind-worker', '--to', 'nginx-service:80', '--count', '65535'])
    expect([r.code, r.err.split('\n')[0]]).toEqual([2, `error: --count must be between 1 and ${MAX_SEND_COUNT}, got 65535`])
  })
})

describe('trace-rules and shell: unreadable files and odd arguments', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kpv-bad-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  const trace = (rules: string) => cli(['trace-rules', '--rules', rules, '--iface', 'eth0=10.0.0.1/24', '--packet', 'icmp 10.0.0.2 -> 10.0.0.1', '--in', 'eth0'])

  it('a missing or directory --rules file is one line naming it', async () => {
    expect(await trace(join(dir, 'missing.save'))).toEqual({ code: 2, out: '', err: expect.stringMatching(/^trace-rules: the path ".*missing\.save" cannot be read: ENOENT: [^\n]*\n$/) })
    expect(await trace(dir)).toEqual({ code: 2, out: '', err: expect.stringMatching(/^trace-rules: the path ".*" cannot be read: EISDIR: [^\n]*\n$/) })
  })

  it('a 10,000-deep chain of jumps is refused as the kernel refuses it (EMLINK), not a stack overflow', async () => {
    const chains = Array.from({ length: 10_000 }, (_, i) => `C${i}`)
    const rules = ['*filter', ':INPUT ACCEPT [0:0]', ...chains.map((c) => `:${c} - [0:0]`), '-A INPUT -j C0', ...chains.slice(0, -1).map((c, i) => `-A ${c} -j C${i + 1}`), 'COMMIT', ''].join('\n')
    const io = recordingIO({ 'deep.save': rules })
    expect(await main(['trace-rules', '--rules', 'deep.save', '--iface', 'eth0=10.0.0.1/24', '--packet', 'icmp 10.0.0.2 -> 10.0.0.1', '--in', 'eth0'], io)).toBe(2)
    expect(io.stderr.split('\n').slice(0, 3)).toEqual([
      'trace-rules: deep.save: iptables-restore failed (exit 4)', 'iptables-restore v1.8.9 (nf_tables): ', 'line 10018: RULE_APPEND failed (Too many links): rule in chain C14',
    ])
  })

  it('ip route get with a number no address holds answers as iproute2 does', async () => {
    const r = await cli(['shell', '--script', 's.sh', '--json'], { 's.sh': 'ip route get 9007199254740993.8.8.8\n' })
    expect(JSON.parse(r.out)).toEqual({ cmd: 'ip route get 9007199254740993.8.8.8', rc: 1, out: '', err: 'Error: any valid prefix is expected rather than "9007199254740993.8.8.8".\n' })
  })
})
