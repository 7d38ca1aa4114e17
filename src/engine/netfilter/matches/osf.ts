/**
 * `-m osf [!] --genre NAME [--ttl 0|1|2] [--log 0|1|2]` (needs `-p tcp`): passive OS fingerprinting of TCP
 * SYNs against the fingerprints loaded into the kernel (nfnl_osf). None are loaded on a simulated node, so
 * no genre is ever recognised: the match holds only negated.
 */
import type { MatchModule } from '../module-api.ts'
import { joinParts } from '../values.ts'
import { cutBytes, xtUint } from '../xtopt.ts'

export interface OsfOptions {
  genre: string
  inverted: boolean
  ttl?: number
  log?: number
}

export const osfMatch: MatchModule<OsfOptions> = {
  kind: 'match',
  name: 'osf',
  xtopt: true,
  proto: 6,
  options: [{ name: 'genre', arg: 'required', invertible: true, mandatory: true }, { name: 'ttl', arg: 'required' }, { name: 'log', arg: 'required' }],
  create: () => ({ genre: '', inverted: false }),
  parse(o, option, arg, inverted) {
    if (option === 'genre') {
      o.genre = cutBytes(arg ?? '', 31)
      o.inverted = inverted
    } else if (option === 'ttl') o.ttl = xtUint('osf', option, arg ?? '', 32, 0, 2)
    else o.log = xtUint('osf', option, arg ?? '', 32, 0, 2)
  },
  save: (o) => joinParts([`${o.inverted ? '! ' : ''}--genre ${o.genre}`, o.ttl !== undefined && `--ttl ${o.ttl}`, o.log !== undefined && `--log ${o.log}`]),
  list: (o) => `OS fingerprint match ${o.inverted ? '! ' : ''}${o.genre}`,
  evaluate(o) {
    return [{ clause: `-m osf ${this.save(o)}`, matched: o.inverted, why: `no OS fingerprints are loaded on this node (nfnl_osf): the sender's genre is unknown${o.inverted ? ' (negated)' : ''}` }]
  },
}
