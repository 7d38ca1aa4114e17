import { describe, expect, it } from 'vitest'
import type { ConsoleEntry } from '../../worker/node-protocol.ts'
import { commandWord, prompt, readsStdin, stepHistory, visibleEntries, type HistoryCursor } from './console-model.ts'

const entry = (index: number, line: string, clear = false): ConsoleEntry => ({ index, line, rc: 0, out: '', err: '', ...(clear ? { clear } : {}) })

describe('the node console', () => {
  it('prompts as a root shell on the node', () => {
    expect(prompt('kind-worker')).toBe('root@kind-worker:/# ')
  })

  it('finds the command after sudo, and asks for pasted input only for iptables-restore without a redirection', () => {
    expect(commandWord('  sudo sudo iptables -S')).toBe('iptables')
    expect(readsStdin('iptables-restore')).toBe(true)
    expect(readsStdin('sudo iptables-restore --noflush')).toBe(true)
    expect(readsStdin('iptables-nft-restore -n')).toBe(true)
    expect(readsStdin('iptables-restore < rules.v4')).toBe(false)
    expect(readsStdin('iptables-save')).toBe(false)
    expect(readsStdin('iptables -A INPUT -j ACCEPT')).toBe(false)
  })

  it('shows only what came after the last clear', () => {
    const entries = [entry(1, 'a'), entry(2, 'clear', true), entry(3, 'b'), entry(4, 'c')]
    expect(visibleEntries(entries).map((e) => e.line)).toEqual(['b', 'c'])
    expect(visibleEntries([entry(1, 'a')]).map((e) => e.line)).toEqual(['a'])
    expect(visibleEntries([entry(1, 'clear', true)])).toEqual([])
  })

  it('steps through the history with up and down, and gives back the half-typed line past the newest', () => {
    const history = ['iptables -S', 'ip route', 'dmesg']
    let cursor: HistoryCursor = { index: null, draft: '' }
    let text = 'ipt'
    const press = (direction: 'up' | 'down') => ({ cursor, text } = stepHistory(history, cursor, text, direction))
    press('up'); expect(text).toBe('dmesg')
    press('up'); expect(text).toBe('ip route')
    press('up'); expect(text).toBe('iptables -S')
    press('up'); expect(text).toBe('iptables -S')
    press('down'); expect(text).toBe('ip route')
    press('down'); expect(text).toBe('dmesg')
    press('down'); expect(text).toBe('ipt')
    expect(cursor.index).toBeNull()
    press('down'); expect(text).toBe('ipt')
  })

  it('leaves the line alone when there is no history', () => {
    expect(stepHistory([], { index: null, draft: '' }, 'x', 'up').text).toBe('x')
  })
})
