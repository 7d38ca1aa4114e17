/**
 * The console's logic without React: the prompt, which commands read pasted input, what is on the screen
 * after `clear`, and stepping through the history with the arrow keys as bash does.
 */
import type { ConsoleEntry } from '../../worker/node-protocol.ts'

/** A root shell in a kind node container (`docker exec -it kind-worker bash`). */
export function prompt(node: string): string {
  return `root@${node}:/# `
}

/** The command word after any leading `sudo`. */
export function commandWord(line: string): string {
  const words = line.trim().split(/\s+/)
  let i = 0
  while (words[i] === 'sudo') i++
  return words[i] ?? ''
}

/**
 * iptables-restore reads its rules from standard input: without a `<` redirection the console asks for
 * the text to paste (a terminal would wait for it on stdin).
 */
export function readsStdin(line: string): boolean {
  const cmd = commandWord(line)
  return (cmd === 'iptables-restore' || cmd === 'iptables-nft-restore') && !line.includes('<')
}

/** What is on the screen: everything after the last `clear`. */
export function visibleEntries(entries: readonly ConsoleEntry[]): ConsoleEntry[] {
  let from = 0
  entries.forEach((e, i) => { if (e.clear) from = i + 1 })
  return entries.slice(from)
}

export interface HistoryCursor {
  /** Index into the history being shown, or null while editing a new line. */
  index: number | null
  /** The new line being typed before the person went up into the history (bash keeps it). */
  draft: string
}

/**
 * One arrow key press: up shows the previous command, down the next one and, past the newest, the line
 * that was being typed. Returns the new cursor and the text for the input.
 */
export function stepHistory(history: readonly string[], cursor: HistoryCursor, current: string, direction: 'up' | 'down'): { cursor: HistoryCursor; text: string } {
  if (history.length === 0) return { cursor, text: current }
  if (direction === 'up') {
    if (cursor.index === null) return { cursor: { index: history.length - 1, draft: current }, text: history[history.length - 1] }
    const index = Math.max(0, cursor.index - 1)
    return { cursor: { ...cursor, index }, text: history[index] }
  }
  if (cursor.index === null) return { cursor, text: current }
  if (cursor.index >= history.length - 1) return { cursor: { index: null, draft: '' }, text: cursor.draft }
  return { cursor: { ...cursor, index: cursor.index + 1 }, text: history[cursor.index + 1] }
}

/** Lines of pasted input, for the transcript's note. */
export function lineCount(text: string): number {
  return text.split('\n').filter((l) => l !== '').length
}
