// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest'
import { followChain, initialNodesView, openChain, setRulesOffset, showChainOn, showTable, useNodesView } from './nodes-view.ts'

const view = () => useNodesView.getState()

beforeEach(() => useNodesView.setState(initialNodesView()))

describe('the Nodes panel view state', () => {
  it('records the jumps followed from a chain as a trail, and going back to one cuts the trail there', () => {
    openChain('PREROUTING')
    followChain('KUBE-SERVICES')
    followChain('KUBE-SVC-X')
    followChain('KUBE-SEP-A')
    expect(view().trail).toEqual(['PREROUTING', 'KUBE-SERVICES', 'KUBE-SVC-X', 'KUBE-SEP-A'])
    followChain('KUBE-SERVICES')
    expect(view().trail).toEqual(['PREROUTING', 'KUBE-SERVICES'])
    expect(view().chain).toBe('KUBE-SERVICES')
  })

  it('starts from the page of a long chain\'s first rules whenever another chain or table opens', () => {
    openChain('KUBE-SERVICES')
    setRulesOffset(200)
    expect(view().offset).toBe(200)
    followChain('KUBE-SVC-X')
    expect(view().offset).toBe(0)
    setRulesOffset(-100)
    expect(view().offset).toBe(0)
    showTable('filter')
    expect(view()).toMatchObject({ table: 'filter', chain: null, trail: [] })
  })

  it('opens a Node\'s chain from elsewhere (a sync diff) in the rules view', () => {
    useNodesView.setState({ filter: 'dns' })
    showChainOn('kind-worker2', 'nat', 'KUBE-SEP-A')
    expect(view()).toMatchObject({ bottom: 'nodes', node: 'kind-worker2', tab: 'rules', table: 'nat', chain: 'KUBE-SEP-A', filter: '' })
  })
})
