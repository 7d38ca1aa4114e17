/**
 * Commands for the editor from outside it (the error list under it): a tiny channel, so the lazily loaded
 * CodeMirror view stays the only owner of its state.
 */
export interface JumpTarget { line: number; column: number }

type Listener = (target: JumpTarget) => void
const listeners = new Set<Listener>()

export function onJumpRequest(listener: Listener): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

/** Moves the editor's cursor to a line and column (1-based) and scrolls it into view. */
export function jumpTo(target: JumpTarget): void {
  for (const listener of listeners) listener(target)
}
