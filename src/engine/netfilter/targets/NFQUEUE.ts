/**
 * `-j NFQUEUE [--queue-num N | --queue-balance A:B] [--queue-bypass] [--queue-cpu-fanout]`: hand the
 * packet to a user-space program reading queue N (Suricata, a proxy). A simulated node runs no such
 * program, and the kernel then does what it does without a listener: the packet is dropped — unless
 * `--queue-bypass`, when it goes on as if accepted (on to the next table).
 */
import type { TargetModule } from '../module-api.ts'
import { ParameterProblem } from '../module-api.ts'
import { xtRange, xtUint } from '../xtopt.ts'

export interface NfqueueOptions {
  queue: number
  total: number
  bypass: boolean
  cpuFanout: boolean
}

function queues(o: NfqueueOptions): string {
  return o.total > 1 ? `${o.queue}:${o.queue + o.total - 1}` : String(o.queue)
}

export const nfqueueTarget: TargetModule<NfqueueOptions> = {
  kind: 'target',
  name: 'NFQUEUE',
  xtopt: true,
  options: [
    { name: 'queue-num', arg: 'required', excl: ['queue-balance'] }, { name: 'queue-balance', arg: 'required', excl: ['queue-num'] },
    { name: 'queue-bypass', arg: 'none' }, { name: 'queue-cpu-fanout', arg: 'none', also: ['queue-balance'] },
  ],
  create: () => ({ queue: 0, total: 1, bypass: false, cpuFanout: false }),
  parse(o, option, arg) {
    const text = arg ?? ''
    switch (option) {
      case 'queue-num': o.queue = xtUint('NFQUEUE', option, text, 16); return
      case 'queue-balance': {
        const r = xtRange('NFQUEUE', option, text, 16).map(Number)
        if (r.length !== 2) throw new ParameterProblem(`Bad range "${text}"`)
        if (r[0] >= r[1]) throw new ParameterProblem(`${r[0]} should be less than ${r[1]}`)
        o.queue = r[0]
        // queues_total is a 16-bit field: 0:65535 wraps to 0, which the kernel refuses.
        o.total = (r[1] - r[0] + 1) & 0xffff
        return
      }
      case 'queue-bypass': o.bypass = true; return
      case 'queue-cpu-fanout': o.cpuFanout = true
    }
  },
  kernelCheck: (o) => (o.total === 0 || o.queue + o.total - 1 > 0xffff ? 'EINVAL' : undefined),
  save(o) {
    const parts = [o.total > 1 ? `--queue-balance ${queues(o)}` : `--queue-num ${o.queue}`]
    if (o.bypass) parts.push('--queue-bypass')
    if (o.cpuFanout) parts.push('--queue-cpu-fanout')
    return parts.join(' ')
  },
  list(o) {
    const parts = [o.total > 1 ? `NFQUEUE balance ${queues(o)}` : `NFQUEUE num ${o.queue}`]
    if (o.bypass) parts.push('bypass')
    if (o.cpuFanout) parts.push('cpu-fanout')
    return parts.join(' ')
  },
  apply(o) {
    const which = o.total > 1
      ? `one of queues ${queues(o)} (${o.cpuFanout ? 'by the CPU handling it' : 'by a hash of the addresses with a seed chosen at boot'})`
      : `queue ${o.queue}`
    if (o.bypass) return { outcome: { verdict: 'ACCEPT' }, why: `no program listens on ${which}: --queue-bypass lets the packet go on as if accepted` }
    return { outcome: { verdict: 'DROP' }, why: `no program listens on ${which}: the kernel drops the packet (no --queue-bypass)` }
  },
}
