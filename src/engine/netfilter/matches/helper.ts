/**
 * `-m helper [!] --helper NAME`: the connection is one a conntrack helper expected — xt_helper looks at the
 * helper of the connection's *master* (an FTP data connection's control connection), so the control
 * connection itself does not match. The simulation runs no helper that creates expectations, so no
 * connection has a master: the match holds only when negated (as xt_helper returns its inversion flag).
 */
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
    const own = entry?.helper ? ` (its own helper, ${entry.helper}, is not what -m helper looks at)` : ''
    const why = entry ? `the connection was not expected by a helper: it has no master${own}` : 'the packet has no conntrack entry'
    return [{ clause, matched: o.inverted, why: `${why}${o.inverted ? ' (negated)' : ''}` }]
  },
}
