/** The standard verdicts ACCEPT, DROP and RETURN (no options). */
import type { TargetModule } from '../module-api.ts'

function verdict(name: 'ACCEPT' | 'DROP' | 'RETURN', why: string): TargetModule<Record<string, never>> {
  return {
    kind: 'target',
    name,
    options: [],
    create: () => ({}),
    parse: () => undefined,
    save: () => '',
    list: () => '',
    apply: () => ({ outcome: { verdict: name }, why }),
  }
}

export const acceptTarget = verdict('ACCEPT', 'accepted: this table is done with the packet for this hook')
export const dropTarget = verdict('DROP', 'dropped silently')
export const returnTarget = verdict('RETURN', 'return to the calling chain (or the policy of a built-in chain)')
