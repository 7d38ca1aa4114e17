// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { initialCompareState, useCompareStore } from '../../state/compare.ts'
import { connectEngine, disconnectEngine, engineSettled } from '../../state/engine-sync.ts'
import { initialState, useAppStore } from '../../state/store.ts'
import { createInProcessEngineClient } from '../../worker/in-process-client.ts'
import { CompareView } from './CompareView.tsx'

beforeEach(async () => {
  localStorage.clear()
  useAppStore.setState(initialState())
  useCompareStore.setState({ ...initialCompareState(), open: true })
  connectEngine(createInProcessEngineClient())
  await engineSettled()
})

afterEach(() => {
  cleanup()
  disconnectEngine()
})

describe('the compare view', () => {
  it('shows both modes\' journeys with their rule counts, and Step forward moves the marked hop in both panes', async () => {
    render(<CompareView />)
    fireEvent.change(screen.getByLabelText('Right mode'), { target: { value: 'nftables' } })
    await act(async () => { fireEvent.click(screen.getByRole('button', { name: 'Send in both modes' })) })
    const left = await screen.findByRole('region', { name: 'iptables mode' })
    const right = await screen.findByRole('region', { name: 'nftables mode' })
    const state = useCompareStore.getState()
    for (const [pane, i] of [[left, 0], [right, 1]] as const) {
      const journey = state.panes[i].journey!
      const rules = journey.hops.filter((h) => h.leg === 'request' && h.kind === 'rule').length
      expect(within(pane).getByTestId('rules-evaluated').textContent).toBe(String(rules))
      expect(within(pane).getByTestId('pane-reached').textContent).toBe(`reaches Pod ${journey.reachedPod}`)
      expect(within(pane).getAllByTestId('compare-hop')).toHaveLength(journey.hops.length)
    }
    // The nft rules are named by their table, as `nft monitor trace` does.
    expect(within(right).getAllByText(/^ip kube-proxy\/services/).length).toBeGreaterThan(0)

    fireEvent.click(screen.getByRole('button', { name: 'Step forward' }))
    for (const pane of [left, right]) {
      const current = pane.querySelector('li[aria-current="step"]')!
      expect(current.textContent).toMatch(/^2/)
    }
    expect(screen.getByTestId('compare-step-counter').textContent).toMatch(/^Step 2 of \d+$/)
  })

  it('says so when the cluster changed after the packets were sent', async () => {
    render(<CompareView />)
    await act(async () => { fireEvent.click(screen.getByRole('button', { name: 'Send in both modes' })) })
    await screen.findByRole('region', { name: 'iptables mode' })
    act(() => useAppStore.setState({ scenario: { ...useAppStore.getState().scenario } }))
    await waitFor(() => expect(screen.getByRole('status').textContent).toMatch(/cluster has changed/))
  })
})
