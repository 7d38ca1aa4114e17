import { useSyncExternalStore } from 'react'

const query = () => (typeof window !== 'undefined' && window.matchMedia ? window.matchMedia('(prefers-reduced-motion: reduce)') : null)

function subscribe(onChange: () => void): () => void {
  const q = query()
  q?.addEventListener('change', onChange)
  return () => q?.removeEventListener('change', onChange)
}

/** Whether the person asked for less motion: then things jump to their place instead of travelling. */
export function prefersReducedMotion(): boolean {
  return query()?.matches ?? false
}

export function useReducedMotion(): boolean {
  return useSyncExternalStore(subscribe, prefersReducedMotion, () => false)
}
