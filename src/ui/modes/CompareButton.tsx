import { openCompare } from '../../state/compare-actions.ts'
import { useCompareStore } from '../../state/compare.ts'
import { Button } from '../app/Button.tsx'

/** Opens the compare view (the same packet under two kube-proxy modes, and the scaling chart). */
export function CompareButton() {
  const open = useCompareStore((s) => s.open)
  return (
    <Button className="whitespace-nowrap" onClick={openCompare} aria-pressed={open} title="The same packet under two kube-proxy modes, step by step; and rules per packet against the number of Services">
      Compare modes
    </Button>
  )
}

/** The compare view over the canvas and bottom panel while it is open. */
export function useCompareOpen(): boolean {
  return useCompareStore((s) => s.open)
}
