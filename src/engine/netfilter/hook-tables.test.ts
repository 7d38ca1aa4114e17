import { describe, expect, it } from 'vitest'
import { iptablesPriority, NFT_HOOK } from '../nftables/hooks.ts'
import { HOOK_TABLES } from './hook-tables.ts'
import { BUILTIN_CHAINS, type Hook, type TableName } from './types.ts'

describe('the tables at each netfilter hook', () => {
  const hooks = Object.keys(HOOK_TABLES) as Hook[]

  it('are the tables that have a built-in chain for that hook', () => {
    for (const hook of hooks) {
      const withChain = (Object.keys(BUILTIN_CHAINS) as TableName[]).filter((t) => BUILTIN_CHAINS[t].includes(hook))
      expect([...HOOK_TABLES[hook]].sort(), hook).toEqual(withChain.sort())
    }
  })

  it('run in iptables-nft priority order (raw -300, mangle -150, nat -100 or 100, filter 0, security 150)', () => {
    for (const hook of hooks) {
      const priorities = HOOK_TABLES[hook].map((t) => iptablesPriority(t, NFT_HOOK[hook]))
      expect(priorities, hook).toEqual([...priorities].sort((a, b) => a - b))
    }
    expect(HOOK_TABLES.INPUT).toEqual(['mangle', 'filter', 'nat', 'security'])
  })
})
