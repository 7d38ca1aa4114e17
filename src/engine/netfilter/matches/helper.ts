/** `-m helper [!] --helper NAME`: the conntrack helper attached to the connection (ftp, sip, …; NAME-PORT too). */
import type { MatchModule } from '../module-api.ts'
import { saveString } from '../values.ts'
import { cutBytes } from '../xtopt.ts'

export interface HelperOptions {
  name: string
  inverted: boolean
}

export const helperMatch: MatchModule<HelperOptions> = {
  kind: 'match',
  name: 'helper',
  xtopt: true,
  options: [{ name: 'helper', arg: 'required', invertible: true, mandatory: true }],
  create: () => ({ name: '', inverted: false }),
  parse(o, _option, arg, inverted) {
    o.name = cutBytes(arg ?? '', 29)
    o.inverted = inverted
  },
  save: (o) => `${o.inverted ? '! ' : ''}--helper ${o.name === '' ? '""' : saveString(o.name)}`,
  list: (o) => `helper match ${o.inverted ? '! ' : ''}"${o.name}"`,
  evaluate(o, ctx) {
    const clause = `-m helper ${this.save(o)}`
    const entry = ctx.ct?.entry
    const helper = entry?.helper
    // xt_helper: no connection, or one without a helper, matches only when inverted.
    if (!entry || helper === undefined) return [{ clause, matched: o.inverted, why: `${entry ? 'the connection has no helper' : 'the packet has no conntrack entry'}${o.inverted ? ' (negated)' : ''}` }]
    const hit = o.name === '' ? true : helper === o.name
    return [{ clause, matched: hit !== o.inverted, why: `the connection's helper is ${helper}${o.inverted ? ' (negated)' : ''}` }]
  },
}
