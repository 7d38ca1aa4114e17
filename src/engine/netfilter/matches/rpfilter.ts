/**
 * `-m rpfilter [--loose] [--validmark] [--accept-local] [--invert]` (raw and mangle PREROUTING): reverse
 * path filtering. The route back to the packet's source must be a unicast route through the interface the
 * packet came in on (any interface with `--loose`; a local source only with `--accept-local`). Broadcast
 * and multicast destinations, packets on lo, and DHCP-style 0.0.0.0 sources pass (xt_rpfilter).
 */
import type { MatchModule } from '../module-api.ts'
import type { Hook } from '../types.ts'
import { joinParts } from '../values.ts'
import { parseStrictIPv4 } from '../../net/ipv4.ts'

export interface RpfilterOptions {
  loose: boolean
  validmark: boolean
  acceptLocal: boolean
  invert: boolean
}

const flags = (o: RpfilterOptions, prefix: string) => [o.loose && `${prefix}loose`, o.validmark && `${prefix}validmark`, o.acceptLocal && `${prefix}accept-local`, o.invert && `${prefix}invert`]

export const rpfilterMatch: MatchModule<RpfilterOptions> = {
  kind: 'match',
  name: 'rpfilter',
  xtopt: true,
  options: [{ name: 'loose', arg: 'none' }, { name: 'validmark', arg: 'none' }, { name: 'accept-local', arg: 'none' }, { name: 'invert', arg: 'none' }],
  create: () => ({ loose: false, validmark: false, acceptLocal: false, invert: false }),
  parse(o, option) {
    if (option === 'loose') o.loose = true
    else if (option === 'validmark') o.validmark = true
    else if (option === 'accept-local') o.acceptLocal = true
    else o.invert = true
  },
  kernelCheck: (_o, _rule, table) => (table === 'raw' || table === 'mangle' ? undefined : 'EINVAL'),
  hooks: (): readonly Hook[] => ['PREROUTING'],
  save: (o) => joinParts(flags(o, '--')),
  list: (o) => joinParts(['rpfilter', ...flags(o, '')]),
  evaluate(o, ctx) {
    const saved = this.save(o)
    const clause = `-m rpfilter${saved ? ` ${saved}` : ''}`
    const p = ctx.packet
    const done = (pass: boolean, why: string) => [{ clause, matched: pass !== o.invert, why: `${why}${o.invert ? ' (--invert)' : ''}` }]
    const dstType = ctx.node.addrType(p.dst)
    if (dstType === 'BROADCAST' || dstType === 'MULTICAST' || p.dst === '255.255.255.255') return done(true, `${p.dst} is a ${dstType.toLowerCase()} destination: not checked`)
    if (p.inIface === 'lo') return done(true, 'arrived on lo: not checked')
    if (parseStrictIPv4(p.src) === 0) return done(true, 'source 0.0.0.0: not checked')
    if (ctx.node.addrType(p.src) === 'LOCAL') {
      if (!o.acceptLocal) return done(false, `the source ${p.src} is an address of this host (a local route, not unicast)`)
      const onIface = p.inIface !== undefined && ctx.node.addrType(p.src, p.inIface) === 'LOCAL'
      return done(onIface || o.loose, `the source ${p.src} is local${onIface ? ` on ${p.inIface}` : ''} and --accept-local is given${!onIface && !o.loose ? `, but not on ${p.inIface}` : ''}`)
    }
    const back = ctx.route?.(p.src)
    if (!back) return done(false, `no route back to ${p.src}`)
    if (back.local) return done(false, `the route back to ${p.src} is local`)
    const same = back.dev === p.inIface
    return done(same || o.loose, `the route back to ${p.src} leaves by ${back.dev}${same ? ', the interface the packet came in on' : `, not ${p.inIface}${o.loose ? ' (--loose: any interface will do)' : ''}`}`)
  },
}
