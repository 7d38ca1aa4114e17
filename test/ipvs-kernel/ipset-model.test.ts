/**
 * The ipset model against the kernel: the same seeded sequence of creates, adds, deletes and flushes goes to
 * our `ipset` command and, through `ipset restore`, to the kernel in a fresh network namespace; `ipset list`
 * and `ipset save` must then be identical — member order (jhash buckets, slot reuse after deletes), "Size in
 * memory" (bucket growth and shrinking, comment strings), headers and counts.
 *
 * Needs root (network namespaces). In CI (process.env.CI) it must run; elsewhere it is skipped when not root.
 */
import { describe, expect, it } from 'vitest'
import { NetnsPool, kernelSuiteCanRun, netnsExec } from '../support/netns.ts'
import { ipsetScript as script } from './ipset-script.ts'
import { runIpset } from '../../src/engine/ipset/command.ts'
import { IpsetStore } from '../../src/engine/ipset/store.ts'

const canRun = kernelSuiteCanRun({ suite: 'ipset kernel check', tools: ['ipset', 'ip'] })

const namespaces = new NetnsPool('ipsetk')

/** ipset in the namespace the current test made last. */
function inNamespace(args: string[], input?: string): ReturnType<typeof netnsExec> {
  return netnsExec(namespaces.names[namespaces.names.length - 1], 'ipset', args, input)
}

describe.skipIf(!canRun)('ipset model = kernel', () => {
  for (const seed of [1, 2, 3]) {
    it(`seed ${seed}: the same 2400-step add/del script lists and saves identically`, () => {
      namespaces.add(`ipsetk-${process.pid}-${seed}`)
      const lines = script(seed)
      const loaded = inNamespace(['restore'], lines.join('\n') + '\n')
      expect(loaded.status, loaded.stderr).toBe(0)
      const store = new IpsetStore()
      const ours = runIpset(store, ['restore'], lines.join('\n') + '\n')
      expect(ours.rc, ours.err).toBe(0)
      expect(runIpset(store, ['list']).out).toBe(inNamespace(['list']).stdout)
      expect(runIpset(store, ['save']).out).toBe(inNamespace(['save']).stdout)
      expect(runIpset(store, ['list', '-s']).out).toBe(inNamespace(['list', '-s']).stdout)
      // A flush frees every bucket; a destroy frees the slot for the next create.
      for (const cmd of [['flush', 'H-IPPORT'], ['destroy', 'H-IP'], ['create', 'H-NEW', 'hash:ip', 'initval', '0x42']]) {
        expect(inNamespace(cmd).status).toBe(0)
        expect(runIpset(store, cmd).rc).toBe(0)
      }
      expect(runIpset(store, ['list', '-t']).out).toBe(inNamespace(['list', '-t']).stdout)
    })
  }
})
