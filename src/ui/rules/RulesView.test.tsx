// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { select } from '../../state/actions.ts'
import { connectEngine, disconnectEngine, engineSettled } from '../../state/engine-sync.ts'
import { initialNodesView, showTable, useNodesView } from '../../state/nodes-view.ts'
import { initialState, useAppStore } from '../../state/store.ts'
import { createInProcessEngineClient } from '../../worker/in-process-client.ts'
import { RulesView } from './RulesView.tsx'

beforeEach(async () => {
  localStorage.clear()
  useAppStore.setState(initialState())
  useNodesView.setState(initialNodesView())
  connectEngine(createInProcessEngineClient())
  await engineSettled()
})

afterEach(() => {
  cleanup()
  disconnectEngine()
})

const chainList = () => screen.getByRole('navigation', { name: 'Chains' })

describe('RulesView', () => {
  it('opens the filter table on INPUT with its policy, and names the kube-proxy release it reproduces', async () => {
    render(<RulesView node="kind-worker" />)
    expect(await screen.findByTestId('chain-header')).toHaveProperty('textContent', expect.stringMatching(/^Chain INPUT \(policy ACCEPT 0 packets, 0 bytes\)/))
    expect(screen.getByTestId('layout-release').textContent).toMatch(/^v1\.\d+$/)
  })

  it('follows a jump from a rule to its chain, keeping the trail', async () => {
    act(() => showTable('nat'))
    render(<RulesView node="kind-worker" />)
    await screen.findByTestId('chain-header')
    fireEvent.click(within(chainList()).getByRole('button', { name: /^KUBE-SERVICES/ }))
    await waitFor(() => expect(screen.getByTestId('chain-detail').getAttribute('data-chain')).toBe('KUBE-SERVICES'))
    const jump = screen.getAllByTestId('rule-row').find((r) => r.textContent?.includes('default/nginx-service'))!
    const target = within(jump).getByRole('button').textContent!
    fireEvent.click(within(jump).getByRole('button'))
    await waitFor(() => expect(screen.getByTestId('chain-detail').getAttribute('data-chain')).toBe(target))
    expect(screen.getByRole('navigation', { name: 'Jumps followed' }).textContent).toBe(`KUBE-SERVICES→${target}`)
    expect(useNodesView.getState().trail).toEqual(['KUBE-SERVICES', target])
  })

  it('marks the selected Service\'s chains in the chain list', async () => {
    act(() => showTable('nat'))
    render(<RulesView node="kind-worker2" />)
    await screen.findByTestId('chain-header')
    expect(chainList().querySelectorAll('[data-highlighted="true"]')).toHaveLength(0)
    act(() => select({ kind: 'Service', namespace: 'default', name: 'nginx-service' }))
    await waitFor(() => expect(chainList().querySelectorAll('[data-highlighted="true"]')).toHaveLength(3))
    const names = [...chainList().querySelectorAll('[data-highlighted="true"]')].map((el) => el.getAttribute('data-chain'))
    expect(names.filter((n) => n?.startsWith('KUBE-SEP-'))).toHaveLength(2)
    expect(screen.getByTestId('highlight-note').textContent).toBe('service/nginx-service: 3 chains in this table')
  })
})
