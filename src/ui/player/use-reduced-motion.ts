const query = () => (typeof window !== 'undefined' && window.matchMedia ? window.matchMedia('(prefers-reduced-motion: reduce)') : null)

/** Whether the person asked for less motion: then things jump to their place instead of travelling. */
export function prefersReducedMotion(): boolean {
  return query()?.matches ?? false
}
