/**
 * `-j IDLETIMER --timeout SECONDS --label NAME [--alarm]`: restart the named timer; when no packet hit it
 * for the timeout, the kernel notifies user space (sysfs, netlink) — Android uses it to power radios down.
 * The kernel refuses a timeout of 0 or from 2147483 s on, and a label already in use with the other kind of
 * timer (`--alarm` or not). Non-terminating.
 */
import type { KernelState, TargetModule } from '../module-api.ts'
import { cutBytes, xtUint } from '../xtopt.ts'

export interface IdletimerOptions {
  timeout: number
  label: string
  alarm: boolean
}

/** The timers that rules committed before `before` created, by label: whether each is an alarm timer. */
function timersBefore(kernel: KernelState, before: number | undefined): Map<string, boolean> {
  const out = new Map<string, boolean>()
  for (const { rule } of kernel.rules()) {
    if (before !== undefined && (rule.id ?? 0) >= before) continue
    const t = rule.target
    if (t?.kind === 'module' && t.module === 'IDLETIMER') {
      const opts = t.options as IdletimerOptions
      if (!out.has(opts.label)) out.set(opts.label, opts.alarm)
    }
  }
  return out
}

export const idletimerTarget: TargetModule<IdletimerOptions> = {
  kind: 'target',
  name: 'IDLETIMER',
  xtopt: true,
  options: [
    { name: 'timeout', arg: 'required', mandatory: true }, { name: 'label', arg: 'required', mandatory: true },
    { name: 'alarm', arg: 'none' },
  ],
  create: () => ({ timeout: 0, label: '', alarm: false }),
  parse(o, option, arg) {
    if (option === 'timeout') o.timeout = xtUint('IDLETIMER', option, arg ?? '')
    else if (option === 'label') o.label = cutBytes(arg ?? '', 27)
    else o.alarm = true
  },
  kernelCheck(o, rule, _table, kernel) {
    if (o.timeout === 0 || o.timeout >= 2147483 || o.label === '') return 'EINVAL'
    const existing = timersBefore(kernel, rule.id).get(o.label)
    return existing !== undefined && existing !== o.alarm ? 'EINVAL' : undefined
  },
  save: (o) => `--timeout ${o.timeout} --label ${o.label}${o.alarm ? ' --alarm' : ''}`,
  list: (o) => `timeout:${o.timeout} label:${o.label}${o.alarm ? ' alarm' : ''}`,
  apply: (o) => ({ outcome: { verdict: 'CONTINUE' }, why: `idle timer "${o.label}" restarted: it fires after ${o.timeout} s without packets` }),
}
