/**
 * `-m connlabel [!] --label NAME|BIT [--set]`: a connection label bit (0-127; the kernel refuses a higher
 * one with ERANGE). Names come from /etc/xtables/connlabel.conf, which this node (like the machine the
 * fixtures were recorded on) does not have: libxt_connlabel warns each time it tries to open it — when a
 * label is not a number, and whenever a rule is printed.
 */
import type { MatchModule } from '../module-api.ts'
import { ParameterProblem } from '../module-api.ts'
import { strtoumax } from '../xtopt.ts'

const CONF_WARNING = 'Warning: cannot open /etc/xtables/connlabel.conf: No such file or directory\n'

export interface ConnlabelOptions {
  bit: number
  inverted: boolean
  set: boolean
}

/** connlabel_value_parse: strtoul over the whole text, then cast to int (a negative result is no number). */
function labelValue(text: string): number | undefined {
  const r = strtoumax(text, 0)
  if (text === '' || !r || r.end !== text.length) return undefined
  const asInt = Number(BigInt.asIntN(32, r.value))
  return asInt < 0 ? undefined : asInt
}

export const connlabelMatch: MatchModule<ConnlabelOptions> = {
  kind: 'match',
  name: 'connlabel',
  xtopt: true,
  options: [{ name: 'label', arg: 'required', invertible: true, mandatory: true }, { name: 'set', arg: 'none' }],
  create: () => ({ bit: 0, inverted: false, set: false }),
  parse(o, option, arg, inverted) {
    if (option === 'set') {
      o.set = true
      return
    }
    const bit = labelValue(arg ?? '')
    if (bit === undefined) throw new ParameterProblem(`label '${arg}' not found or invalid value`, CONF_WARNING)
    o.bit = bit
    o.inverted = inverted
  },
  kernelCheck: (o) => (o.bit > 127 ? 'ERANGE' : undefined),
  printWarning: () => CONF_WARNING,
  save: (o) => `${o.inverted ? '! ' : ''}--label "${o.bit}"${o.set ? ' --set' : ''}`,
  list: (o) => `connlabel ${o.inverted ? '! ' : ''}${o.bit}${o.set ? ' set' : ''}`,
  evaluate(o, ctx) {
    const clause = `-m connlabel ${this.save(o)}`
    const entry = ctx.ct?.entry
    if (!entry) return [{ clause, matched: false, why: 'the packet has no conntrack entry' }]
    const labels = (ctx.state.get(`connlabel:${entry.id}`) as Set<number> | undefined) ?? new Set<number>()
    const had = labels.has(o.bit)
    // --set sets the bit and the match then holds (xt_connlabel: set, then test).
    if (o.set && !had) {
      labels.add(o.bit)
      ctx.state.set(`connlabel:${entry.id}`, labels)
    }
    const hit = o.set ? true : had
    return [{ clause, matched: hit !== o.inverted, why: `${o.set ? `label ${o.bit} set on the connection` : `the connection ${had ? 'has' : 'does not have'} label ${o.bit}`}${o.inverted ? ' (negated)' : ''}` }]
  },
}
