/**
 * Kernel check of the base-chain order our interpreter uses: chains of the same hook run by priority, and
 * at equal priority the one registered last runs first. Two tables are created one after the other in a
 * fresh namespace, a local packet is traced, and the order of the chains in the kernel's trace must be
 * hookChains' order.
 */
import { spawn, spawnSync } from 'node:child_process'
import { afterAll, describe, expect, it } from 'vitest'
import { hookChains } from '../../src/engine/nftables/eval.ts'
import { parseDump } from '../../src/engine/nftables/parse.ts'
import { kernelSuiteCanRun } from '../support/netns.ts'

const canRun = kernelSuiteCanRun({ suite: 'nftables hook-order kernel test', tools: ['nft', 'ip', 'bash'] })

const ns = `kpho-${process.pid}`
afterAll(() => {
  spawnSync('ip', ['netns', 'del', ns])
})

const FIRST = `add table ip first
add chain ip first a { type filter hook output priority 0 ; }
add chain ip first b { type filter hook output priority -5 ; }
add rule ip first a meta nftrace set 1
add rule ip first b meta nftrace set 1
`
const SECOND = `add table ip second
add chain ip second c { type filter hook output priority 0 ; }
add chain ip second d { type filter hook output priority -5 ; }
add rule ip second c meta nftrace set 1
add rule ip second d meta nftrace set 1
`

describe.skipIf(!canRun)('base chain order at a hook (kernel)', () => {
  it('is by priority, the most recently registered first at equal priority', async () => {
    spawnSync('ip', ['netns', 'add', ns])
    spawnSync('ip', ['netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up'])
    for (const script of [FIRST, SECOND]) {
      const r = spawnSync('ip', ['netns', 'exec', ns, 'nft', '-f', '-'], { input: script, encoding: 'utf8' })
      expect(r.stderr).toBe('')
    }
    const monitor = spawn('ip', ['netns', 'exec', ns, 'nft', 'monitor', 'trace'])
    let out = ''
    monitor.stdout.on('data', (d: Buffer) => { out += d.toString() })
    await new Promise((r) => setTimeout(r, 400))
    spawnSync('ip', ['netns', 'exec', ns, 'timeout', '1', 'bash', '-c', 'echo > /dev/tcp/127.0.0.1/9'])
    await new Promise((r) => setTimeout(r, 500))
    monitor.kill()
    await new Promise((r) => monitor.on('close', r))
    const firstId = /^trace id (\S+) /m.exec(out)![1]
    const kernelOrder = out.split('\n').filter((l) => l.startsWith(`trace id ${firstId} `) && l.includes(' packet: '))
      .map((l) => l.split(' ').slice(4, 6).join(' '))
    const ours = hookChains([parseDump(FIRST), parseDump(SECOND)], 'output').map((c) => `${c.table.name} ${c.chain.name}`)
    expect(kernelOrder).toEqual(['second d', 'first b', 'second c', 'first a'])
    expect(ours).toEqual(kernelOrder)
  })
})
