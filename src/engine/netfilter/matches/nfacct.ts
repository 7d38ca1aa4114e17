/**
 * `-m nfacct --nfacct-name NAME`: counts into a named accounting object and always matches. kube-proxy
 * adds it for its metrics. libxt_nfacct prints the name with xtables_save_string after a trailing space,
 * hence the two spaces in `--nfacct-name  NAME` and `nfacct-name  NAME` (as real nodes show).
 * Simplification: the kernel refuses the rule (ENOENT) when the object does not exist; kube-proxy creates
 * its objects first, so the simulation treats every name as existing.
 */
import type { MatchModule } from '../module-api.ts'
import { ParameterProblem, xtopt } from '../module-api.ts'
import { saveString } from '../values.ts'

export interface NfacctOptions {
  name?: string
}

export const nfacctMatch: MatchModule<NfacctOptions> = {
  kind: 'match',
  name: 'nfacct',
  options: [{ name: 'nfacct-name', arg: 'required' }],
  create: () => ({}),
  parse(o, _option, arg, inverted) {
    if (inverted) throw xtopt.cannotInvert('nfacct', 'nfacct-name')
    if ((arg ?? '').length > 31) throw new ParameterProblem(`nfacct: "--nfacct-name" argument too long (max 31 chars).\n`)
    o.name = arg ?? ''
  },
  finalCheck(o) {
    if (o.name === undefined) throw new ParameterProblem('nfacct: option "--nfacct-name" must be specified\n')
  },
  save: (o) => `--nfacct-name  ${saveString(o.name ?? '')}`,
  list: (o) => `nfacct-name  ${saveString(o.name ?? '')}`,
  evaluate(o) {
    return [{ clause: `-m nfacct --nfacct-name  ${saveString(o.name ?? '')}`, matched: true, why: `counted in accounting object ${o.name}` }]
  },
}
