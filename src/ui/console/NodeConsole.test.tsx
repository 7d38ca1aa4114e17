// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { engineSettled, connectEngine, disconnectEngine } from '../../state/engine-sync.ts'
import { initialState, useAppStore } from '../../state/store.ts'
import { createInProcessEngineClient } from '../../worker/in-process-client.ts'
import { NodeConsole } from './NodeConsole.tsx'

beforeEach(async () => {
  localStorage.clear()
  useAppStore.setState(initialState())
  useAppStore.temporal.getState().clear()
  connectEngine(createInProcessEngineClient())
  await engineSettled()
})

afterEach(() => {
  cleanup()
  disconnectEngine()
})

async function type(input: HTMLElement, line: string): Promise<void> {
  fireEvent.change(input, { target: { value: line } })
  await act(async () => {
    fireEvent.keyDown(input, { key: 'Enter' })
    await engineSettled()
  })
}

describe('NodeConsole', () => {
  it('runs a typed command as a scenario step and shows its output, stderr apart', async () => {
    render(<NodeConsole node="kind-worker" />)
    const input = screen.getByRole('textbox', { name: 'Command on kind-worker' })
    await type(input, 'sudo iptables -A INPUT -s 192.168.1.1 -j DROP')
    await type(input, 'iptables -S INPUT')
    await type(input, 'iptables -X NOPE')
    const entries = await screen.findAllByTestId('console-entry')
    expect(entries).toHaveLength(3)
    expect(within(entries[1]).getByTestId('console-stdout').textContent).toContain('-A INPUT -s 192.168.1.1/32 -j DROP')
    expect(within(entries[2]).getByTestId('console-stderr').textContent).toMatch(/NOPE|No chain/)
    expect(useAppStore.getState().scenario.operations.filter((op) => op.type === 'console')).toHaveLength(3)
    expect((input as HTMLInputElement).value).toBe('')
  })

  it('asks for the pasted input of iptables-restore and runs it with that text', async () => {
    render(<NodeConsole node="kind-worker2" />)
    const input = screen.getByRole('textbox', { name: 'Command on kind-worker2' })
    fireEvent.change(input, { target: { value: 'iptables-restore --noflush' } })
    fireEvent.keyDown(input, { key: 'Enter' })
    const paste = screen.getByRole('textbox', { name: /Paste the rules iptables-restore reads/ })
    fireEvent.change(paste, { target: { value: '*filter\n-A INPUT -p tcp --dport 8080 -j REJECT\nCOMMIT\n' } })
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Run' }))
      await engineSettled()
    })
    const op = useAppStore.getState().scenario.operations.at(-1)
    expect(op).toEqual({ type: 'console', node: 'kind-worker2', line: 'iptables-restore --noflush', stdin: '*filter\n-A INPUT -p tcp --dport 8080 -j REJECT\nCOMMIT\n' })
    expect(await screen.findByText('standard input: 3 lines pasted')).toBeTruthy()
  })
})
