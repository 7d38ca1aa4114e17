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

/** A target name the kernel does not take: the rule is refused at commit with `errno`. */
function refused(name: string, errno: 'ENOENT' | 'EINVAL', why: string): TargetModule<Record<string, never>> {
  return {
    kind: 'target',
    name,
    options: [],
    create: () => ({}),
    parse: () => undefined,
    kernelCheck: () => errno,
    save: () => '',
    list: () => '',
    apply: () => ({ outcome: { verdict: 'CONTINUE' }, why }),
  }
}

/**
 * `-j QUEUE`, the old standard verdict that queued to user space (NFQUEUE replaced it): iptables-nft
 * sends it as a target the kernel does not have, so the rule is refused with ENOENT.
 */
export const queueTarget = refused('QUEUE', 'ENOENT', 'QUEUE: the kernel has no such target')

/** `-j standard`, the extension behind the verdicts, named itself: it carries no verdict, EINVAL. */
export const standardTarget = refused('standard', 'EINVAL', 'the standard target without a verdict')
