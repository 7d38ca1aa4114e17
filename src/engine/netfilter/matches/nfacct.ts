/**
 * `-m nfacct --nfacct-name NAME`: counts into a named accounting object and always matches. kube-proxy
 * adds it for its metrics. libxt_nfacct prints the name with xtables_save_string after a trailing space,
 * hence the two spaces in `--nfacct-name  NAME` and `nfacct-name  NAME` (as real nodes show).
 *
 * The kernel refuses a rule naming an object that does not exist (ENOENT). Objects are made over
 * nfnetlink (`nfacct add`); on a simulated node only the ones kube-proxy creates when it starts exist —
 * every simulated node runs kube-proxy — so any other name is refused, as on a fresh machine.
 */
import type { MatchModule } from '../module-api.ts'
import { saveString } from '../values.ts'
import { cutBytes } from '../xtopt.ts'

/** The accounting objects kube-proxy creates at start (pkg/proxy/metrics). */
export const KUBE_PROXY_NFACCT_OBJECTS: ReadonlySet<string> = new Set(['ct_state_invalid_dropped_pkts', 'localhost_nps_accepted_pkts'])

export interface NfacctOptions {
  name?: string
}

export const nfacctMatch: MatchModule<NfacctOptions> = {
  kind: 'match',
  name: 'nfacct',
  xtopt: true,
  options: [{ name: 'nfacct-name', arg: 'required', mandatory: true }],
  create: () => ({}),
  parse(o, _option, arg) {
    // NFACCT_NAME_MAX is 32 bytes with the terminating NUL: a longer name is cut.
    o.name = cutBytes(arg ?? '', 31)
  },
  kernelCheck: (o) => (KUBE_PROXY_NFACCT_OBJECTS.has(o.name ?? '') ? undefined : 'ENOENT'),
  save: (o) => `--nfacct-name  ${saveString(o.name ?? '')}`,
  list: (o) => `nfacct-name  ${saveString(o.name ?? '')}`,
  evaluate(o) {
    return [{ clause: `-m nfacct --nfacct-name  ${saveString(o.name ?? '')}`, matched: true, why: `counted in accounting object ${o.name}` }]
  },
}
