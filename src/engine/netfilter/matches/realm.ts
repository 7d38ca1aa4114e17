/**
 * `-m realm [!] --realm value[/mask] | name`: the routing realm of the route the packet took (the route's
 * `realm`, dst->tclassid). Names come from /etc/iproute2/rt_realms. The kernel allows it after routing:
 * INPUT, FORWARD, OUTPUT and POSTROUTING (EINVAL in PREROUTING). The simulated routes carry no realm, so
 * every packet's realm is 0.
 */
import type { MatchModule } from '../module-api.ts'
import type { Hook } from '../types.ts'
import { RT_REALMS, parseValMask, valMaskText } from '../lmap.ts'

export interface RealmOptions {
  value: number
  mask: number
  inverted: boolean
}

export const realmMatch: MatchModule<RealmOptions> = {
  kind: 'match',
  name: 'realm',
  xtopt: true,
  options: [{ name: 'realm', arg: 'required', invertible: true, mandatory: true }],
  create: () => ({ value: 0, mask: 0xffffffff, inverted: false }),
  parse(o, option, arg, inverted) {
    Object.assign(o, parseValMask('realm', option, arg ?? '', RT_REALMS), { inverted })
  },
  save: (o) => `${o.inverted ? '! ' : ''}--realm ${valMaskText(o.value, o.mask, RT_REALMS)}`,
  list: (o, numeric) => `${o.inverted ? '! ' : ''}realm ${valMaskText(o.value, o.mask, numeric ? undefined : RT_REALMS)}`,
  hooks: (): readonly Hook[] => ['INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  evaluate(o) {
    const realm = 0
    const hit = ((realm & o.mask) >>> 0) === o.value
    return [{ clause: `-m realm ${this.save(o)}`, matched: hit !== o.inverted, why: `the route's realm is ${realm} (the simulated routes carry no realm)${o.inverted ? ' (negated)' : ''}` }]
  },
}
