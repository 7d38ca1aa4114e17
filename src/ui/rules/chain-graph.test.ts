import { describe, expect, it } from 'vitest'
import { chainKind, layoutChainGraph } from './chain-graph.ts'

describe('the chain graph layout', () => {
  it('puts each chain one column right of the nearest chain that jumps to it, unreached chains last', () => {
    const chains = [
      { name: 'PREROUTING', policy: 'ACCEPT' }, { name: 'OUTPUT', policy: 'ACCEPT' },
      { name: 'KUBE-MARK-MASQ' }, { name: 'KUBE-PROXY-CANARY' }, { name: 'KUBE-SEP-A' }, { name: 'KUBE-SEP-B' },
      { name: 'KUBE-SERVICES' }, { name: 'KUBE-SVC-X' },
    ]
    const edges: [string, string][] = [
      ['PREROUTING', 'KUBE-SERVICES'], ['OUTPUT', 'KUBE-SERVICES'], ['KUBE-SERVICES', 'KUBE-SVC-X'],
      ['KUBE-SVC-X', 'KUBE-MARK-MASQ'], ['KUBE-SVC-X', 'KUBE-SEP-A'], ['KUBE-SVC-X', 'KUBE-SEP-B'], ['KUBE-SEP-A', 'KUBE-MARK-MASQ'],
    ]
    const layout = layoutChainGraph(chains, edges)
    const at = (name: string) => layout.nodes.find((n) => n.name === name)
    expect(at('PREROUTING')).toEqual({ name: 'PREROUTING', column: 0, row: 0 })
    expect(at('OUTPUT')).toEqual({ name: 'OUTPUT', column: 0, row: 1 })
    expect(at('KUBE-SERVICES')!.column).toBe(1)
    expect(at('KUBE-SVC-X')!.column).toBe(2)
    expect(layout.nodes.filter((n) => n.column === 3).map((n) => n.name)).toEqual(['KUBE-MARK-MASQ', 'KUBE-SEP-A', 'KUBE-SEP-B'])
    expect(at('KUBE-PROXY-CANARY')!.column).toBe(4)
    expect(layout.columns).toBe(5)
    expect(layout.rows).toBe(3)
    expect(layout.edges).toHaveLength(7)
  })

  it('drops edges to chains that are not shown (filtered out)', () => {
    const layout = layoutChainGraph([{ name: 'INPUT', policy: 'DROP' }], [['INPUT', 'GONE']])
    expect(layout.edges).toEqual([])
    expect(layout.columns).toBe(1)
  })

  it('tells service, endpoint, other kube-proxy and user chains apart', () => {
    expect(chainKind('INPUT', true)).toBe('builtin')
    expect(['KUBE-SVC-A', 'KUBE-SVL-A', 'KUBE-EXT-A', 'KUBE-FW-A'].map((n) => chainKind(n, false))).toEqual(['service', 'service', 'service', 'service'])
    expect(chainKind('KUBE-SEP-A', false)).toBe('endpoint')
    expect(chainKind('KUBE-SERVICES', false)).toBe('kube')
    expect(chainKind('MY-CHAIN', false)).toBe('user')
  })
})
