/**
 * `-j LED --led-trigger-id NAME [--led-delay MS|inf] [--led-always-blink]`: blink the LED trigger
 * `netfilter-NAME` on each packet. The kernel here has no xt_LED, so iptables-nft warns when the
 * extension loads and the rule is refused with ENOENT.
 */
import type { TargetModule } from '../module-api.ts'
import { ParameterProblem } from '../module-api.ts'
import { cutBytes, xtStrtoui } from '../xtopt.ts'

export interface LedOptions {
  id: string
  /** Milliseconds, or -1 for `inf`. */
  delay: number
  alwaysBlink: boolean
}

export const ledTarget: TargetModule<LedOptions> = {
  kind: 'target',
  name: 'LED',
  xtopt: true,
  unsupported: true,
  options: [
    { name: 'led-trigger-id', arg: 'required', mandatory: true }, { name: 'led-delay', arg: 'required' },
    { name: 'led-always-blink', arg: 'none' },
  ],
  create: () => ({ id: '', delay: 0, alwaysBlink: false }),
  parse(o, option, arg) {
    const text = arg ?? ''
    if (option === 'led-trigger-id') o.id = cutBytes(`netfilter-${text}`, 26)
    else if (option === 'led-always-blink') o.alwaysBlink = true
    else if (text.toLowerCase().startsWith('inf')) o.delay = -1
    else {
      const n = xtStrtoui(text)
      if (n === undefined) throw new ParameterProblem('Delay value must be within range 0..4294967295')
      o.delay = n
    }
  },
  save(o) {
    const parts = [`--led-trigger-id "${o.id.replace(/^netfilter-/, '')}"`]
    if (o.delay !== 0) parts.push(`--led-delay ${o.delay < 0 ? 'inf' : o.delay}`)
    if (o.alwaysBlink) parts.push('--led-always-blink')
    return parts.join(' ')
  },
  list(o) {
    const parts = [`led-trigger-id:"${o.id.replace(/^netfilter-/, '')}"`]
    if (o.delay !== 0) parts.push(o.delay < 0 ? 'led-delay:inf' : `led-delay:${o.delay}ms`)
    if (o.alwaysBlink) parts.push('led-always-blink')
    return parts.join(' ')
  },
  apply: () => ({ outcome: { verdict: 'CONTINUE' }, why: 'no LED: the kernel has no xt_LED' }),
}
