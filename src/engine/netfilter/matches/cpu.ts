/**
 * `-m cpu [!] --cpu N`: the CPU that processes the packet. Which CPU that is depends on the NIC's queues and
 * RPS, which the simulation does not model: it assumes CPU 0 handles every packet (flip with
 * `--assume cpu=true|false`).
 */
import type { MatchModule } from '../module-api.ts'
import { xtUint } from '../xtopt.ts'
import { assumedClause } from '../assumptions.ts'

export interface CpuOptions {
  cpu: number
  inverted: boolean
}

export const cpuMatch: MatchModule<CpuOptions> = {
  kind: 'match',
  name: 'cpu',
  xtopt: true,
  options: [{ name: 'cpu', arg: 'required', invertible: true, mandatory: true }],
  create: () => ({ cpu: 0, inverted: false }),
  parse(o, option, arg, inverted) {
    o.cpu = xtUint('cpu', option, arg ?? '')
    o.inverted = inverted
  },
  save: (o) => `${o.inverted ? '! ' : ''}--cpu ${o.cpu}`,
  list: (o) => `cpu ${o.inverted ? '! ' : ''}${o.cpu}`,
  evaluate(o, ctx) {
    return [assumedClause(ctx, {
      module: 'cpu', clause: `-m cpu ${this.save(o)}`, inverted: o.inverted,
      unknown: 'the simulation does not model which CPU processes a packet',
      fallback: { value: o.cpu === 0, why: `the packet is taken to run on CPU 0, which ${o.cpu === 0 ? 'is' : 'is not'} CPU ${o.cpu}` },
    })]
  },
}
