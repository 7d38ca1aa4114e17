/** `-m mac --mac-source XX:XX:XX:XX:XX:XX`: the Ethernet source address of an arriving packet. */
import type { MatchModule } from '../module-api.ts'
import { ParameterProblem } from '../module-api.ts'
import type { Hook } from '../types.ts'

export interface MacOptions {
  mac?: string
  inverted: boolean
}

/** The source MAC in a logged link-layer header (`dst(6):src(6):type(2)`), if present. */
export function sourceMac(macHeader: string | undefined): string | undefined {
  const bytes = macHeader?.split(':')
  return bytes && bytes.length >= 12 ? bytes.slice(6, 12).join(':').toLowerCase() : undefined
}

export const macMatch: MatchModule<MacOptions> = {
  kind: 'match',
  name: 'mac',
  xtopt: true,
  options: [{ name: 'mac-source', arg: 'required', invertible: true }],
  create: () => ({ inverted: false }),
  parse(o, _option, arg, inverted) {
    const text = arg ?? ''
    if (!/^[0-9a-fA-F]{1,2}(:[0-9a-fA-F]{1,2}){5}$/.test(text)) throw new ParameterProblem('Invalid MAC address specified.')
    o.mac = text.split(':').map((b) => b.toLowerCase().padStart(2, '0')).join(':')
    o.inverted = inverted
  },
  finalCheck(o) {
    if (!o.mac) throw new ParameterProblem('mac: option "--mac-source" must be specified\n')
  },
  save: (o) => `${o.inverted ? '! ' : ''}--mac-source ${o.mac}`,
  list: (o) => `MAC ${o.inverted ? '! ' : ''}${o.mac}`,
  hooks: (): readonly Hook[] => ['PREROUTING', 'INPUT', 'FORWARD'],
  evaluate(o, ctx) {
    const clause = `-m mac ${this.save(o)}`
    const mac = sourceMac(ctx.packet.macHeader)
    if (mac === undefined) return [{ clause, matched: o.inverted, why: 'the packet carries no Ethernet source address' }]
    const hit = mac === o.mac
    return [{ clause, matched: hit !== o.inverted, why: `source MAC ${mac} ${hit ? 'is' : 'is not'} ${o.mac}${o.inverted ? ' (negated)' : ''}` }]
  },
}
