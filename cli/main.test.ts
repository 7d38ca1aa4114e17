import { execFileSync, spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { bugReport, main } from './main.ts'
import { recordingIO } from './io.ts'

const COMMANDS = ['cluster', 'compile', 'journey', 'shell', 'trace-rules']
const VERSION = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version

async function cli(args: string[]) {
  const io = recordingIO()
  const code = await main(args, io)
  return { code, out: io.stdout, err: io.stderr }
}

describe('kpv: help and version', () => {
  it('--version prints the version in package.json', async () => {
    expect(await cli(['--version'])).toEqual({ code: 0, out: `kube-proxy-visualizer ${VERSION}\n`, err: '' })
  })

  it('every command has --help, -h and `kpv help COMMAND`: a usage line, what it does, its flags', async () => {
    for (const name of COMMANDS) {
      const help = await cli([name, '--help'])
      expect(help.code, name).toBe(0)
      expect(help.out, name).toMatch(new RegExp(`^usage: kpv ${name} `))
      expect(help.out.split('\n').filter((l) => /^ {2}-/.test(l)).length, name).toBeGreaterThan(1)
      expect(await cli([name, '-h']), name).toEqual(help)
      expect(await cli(['help', name]), name).toEqual(help)
    }
    expect(await cli(['help', 'nope'])).toMatchObject({ code: 2, out: '', err: expect.stringMatching(/^unknown command "nope"/) })
  })

  it('kpv --help lists the commands and says how to get more', async () => {
    const r = await cli(['--help'])
    expect(r.code).toBe(0)
    for (const name of COMMANDS) expect(r.out).toContain(`  ${name} `)
    expect(r.out).toContain('kpv help COMMAND')
  })

  it('an unexpected exception is one line asking for a bug report, with the command line', () => {
    const line = bugReport(new TypeError('x.map is not a function\n    at somewhere'), ['cluster', 'a.yaml'])
    expect(line).toBe(`kpv: internal error: TypeError: x.map is not a function (a bug in kube-proxy-visualizer ${VERSION}; please report it with the command line: kpv cluster a.yaml)\n`)
  })
})

describe('the kpv program (bin/kpv.js)', () => {
  const work = mkdtempSync(join(tmpdir(), 'kpv-bin-'))
  afterAll(() => rmSync(work, { recursive: true, force: true }))
  const run = (bin: string, args: string[], env: Record<string, string> = {}) =>
    spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, ...env } })

  it('runs the sources in a checkout: a command, its exit status, a bad flag', () => {
    const ok = run('bin/kpv.js', ['journey', 'scenarios/nginx-clusterip.yaml', '--from', 'kind-worker', '--to', 'nginx-service:80', '--json'])
    expect(ok.status).toBe(0)
    expect(JSON.parse(ok.stdout)).toMatchObject({ verdict: 'delivered' })
    const bad = run('bin/kpv.js', ['cluster', 'scenarios/nginx-clusterip.yaml', '--wide'])
    expect([bad.status, bad.stdout, bad.stderr.split('\n')[0]]).toEqual([2, '', 'error: unknown flag --wide'])
  })

  it('runs the bundle where there are no sources (the packed package), with the same output', () => {
    const pkg = join(work, 'pkg')
    mkdirSync(join(pkg, 'bin'), { recursive: true })
    copyFileSync('package.json', join(pkg, 'package.json'))
    copyFileSync('bin/kpv.js', join(pkg, 'bin', 'kpv.js'))
    execFileSync(process.execPath, ['--import', 'tsx', 'cli/bundle.ts', join(pkg, 'dist-cli', 'kpv.mjs')])
    expect(run(join(pkg, 'bin', 'kpv.js'), ['--version']).stdout).toBe(`kube-proxy-visualizer ${VERSION}\n`)
    const args = ['compile', 'scenarios/nginx-clusterip.yaml', '--node', 'kind-worker', '--mode', 'nftables']
    const bundled = run(join(pkg, 'bin', 'kpv.js'), args)
    expect(bundled.status).toBe(0)
    expect(bundled.stdout).toBe(run('bin/kpv.js', args).stdout)
  }, 60_000)

  it('ends quietly when its reader goes away (kpv ... | head)', () => {
    // Far more output than a pipe holds, so the writes after head exits fail with EPIPE.
    const big = join(work, 'big.yaml')
    writeFileSync(big, 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: big}\nspec:\n  replicas: 300\n  selector: {matchLabels: {app: big}}\n  template:\n    metadata: {labels: {app: big}}\n    spec: {containers: [{name: c, image: nginx}]}\n')
    const r = spawnSync('bash', ['-c', `${process.execPath} bin/kpv.js cluster ${big} --json | head -c 10; echo " $\{PIPESTATUS[0]}"`], { encoding: 'utf8' })
    expect(r.stdout).toBe('{\n    "api 0\n')
    expect(r.stderr).toBe('')
  })
})
