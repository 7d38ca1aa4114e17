/**
 * `-m policy --dir in|out --pol none|ipsec [--strict] [--reqid N] [--spi N] [--proto ah|esp|ipcomp]
 * [--mode transport|tunnel] [--tunnel-src A] [--tunnel-dst A] [--next ...]`: the IPsec policy a packet was
 * decapsulated by (in) or will be encapsulated by (out). `--dir in` runs before routing and at input,
 * `--dir out` after it (the kernel refuses the other hooks).
 *
 * The simulated nodes have no IPsec states or policies: no packet has a security path, so `--pol none`
 * matches and `--pol ipsec` does not.
 */
import type { MatchModule } from '../module-api.ts'
import { ParameterProblem } from '../module-api.ts'
import type { Hook } from '../types.ts'
import { formatIPv4, maskToPrefix } from '../../net/ipv4.ts'
import { protocolName } from '../protocols.ts'
import { xtHostMask, xtProtocol, xtUint } from '../xtopt.ts'

const MAX_ELEM = 4

interface Inv<T> { value: T; inverted: boolean }
interface Elem {
  reqid?: Inv<number>
  spi?: Inv<number>
  proto?: Inv<number>
  mode?: Inv<'transport' | 'tunnel'>
  tunnelSrc?: Inv<{ address: number; mask: number }>
  tunnelDst?: Inv<{ address: number; mask: number }>
}

export interface PolicyOptions {
  dir?: 'in' | 'out'
  none: boolean
  strict: boolean
  elems: Elem[]
}

const addr = (a: { address: number; mask: number }) => {
  const p = maskToPrefix(a.mask)
  return `${formatIPv4(a.address)}${p === 32 ? '' : `/${p >= 0 ? p : formatIPv4(a.mask)}`}`
}

function elemText(e: Elem, prefix: string, numeric: boolean): string[] {
  const inv = (x: Inv<unknown>) => (x.inverted ? '! ' : '')
  const parts: string[] = []
  if (e.reqid) parts.push(`${inv(e.reqid)}${prefix}reqid ${e.reqid.value}`)
  if (e.spi) parts.push(`${inv(e.spi)}${prefix}spi 0x${e.spi.value.toString(16)}`)
  if (e.proto) parts.push(`${inv(e.proto)}${prefix}proto ${numeric || !protocolName(e.proto.value) ? e.proto.value : protocolName(e.proto.value)}`)
  if (e.mode) parts.push(`${inv(e.mode)}${prefix}mode ${e.mode.value}`)
  if (e.tunnelDst) parts.push(`${inv(e.tunnelDst)}${prefix}tunnel-dst ${addr(e.tunnelDst.value)}`)
  if (e.tunnelSrc) parts.push(`${inv(e.tunnelSrc)}${prefix}tunnel-src ${addr(e.tunnelSrc.value)}`)
  return parts
}

function head(o: PolicyOptions, prefix: string): string[] {
  return [`${prefix}dir ${o.dir ?? 'in'}`, `${prefix}pol ${o.none ? 'none' : 'ipsec'}`, ...(o.strict ? [`${prefix}strict`] : [])]
}

export const policyMatch: MatchModule<PolicyOptions> = {
  kind: 'match',
  name: 'policy',
  xtopt: true,
  options: [
    { name: 'dir', arg: 'required' }, { name: 'pol', arg: 'required' }, { name: 'strict', arg: 'none' },
    { name: 'reqid', arg: 'required', invertible: true, multi: true }, { name: 'spi', arg: 'required', invertible: true, multi: true },
    { name: 'tunnel-src', arg: 'required', invertible: true, multi: true }, { name: 'tunnel-dst', arg: 'required', invertible: true, multi: true },
    { name: 'proto', arg: 'required', invertible: true, multi: true }, { name: 'mode', arg: 'required', invertible: true, multi: true },
    { name: 'next', arg: 'none', multi: true, also: ['strict'] },
  ],
  create: () => ({ none: false, strict: false, elems: [{}] }),
  parse(o, option, arg, inverted) {
    const text = arg ?? ''
    const e = o.elems[o.elems.length - 1]
    const once = (key: keyof Elem, name: string) => {
      if (e[key]) throw new ParameterProblem(`policy match: double --${name} option`)
    }
    switch (option) {
      case 'dir':
        if (text !== 'in' && text !== 'out') throw new ParameterProblem(`policy_match: invalid dir "${text}"`)
        o.dir = text
        return
      case 'pol':
        if (text !== 'none' && text !== 'ipsec') throw new ParameterProblem(`policy match: invalid policy "${text}"`)
        o.none = text === 'none'
        return
      case 'strict': o.strict = true; return
      case 'reqid': once('reqid', 'reqid'); e.reqid = { value: xtUint('policy', option, text), inverted }; return
      case 'spi': once('spi', 'spi'); e.spi = { value: xtUint('policy', option, text), inverted }; return
      case 'tunnel-src': once('tunnelSrc', 'tunnel-src'); e.tunnelSrc = { value: xtHostMask('policy', option, text), inverted }; return
      case 'tunnel-dst': once('tunnelDst', 'tunnel-dst'); e.tunnelDst = { value: xtHostMask('policy', option, text), inverted }; return
      case 'proto': {
        once('proto', 'proto')
        const p = xtProtocol(text)
        if (p !== 50 && p !== 51 && p !== 108) throw new ParameterProblem('policy match: protocol must be ah/esp/ipcomp')
        e.proto = { value: p, inverted }
        return
      }
      case 'mode':
        once('mode', 'mode')
        if (text !== 'transport' && text !== 'tunnel') throw new ParameterProblem(`policy match: invalid mode "${text}"`)
        e.mode = { value: text, inverted }
        return
      case 'next':
        if (o.elems.length >= MAX_ELEM) throw new ParameterProblem('policy match: maximum policy depth reached')
        o.elems.push({})
    }
  },
  finalCheck(o) {
    if (!o.dir) throw new ParameterProblem('policy match: neither --dir in nor --dir out specified')
    if (o.none) {
      if (o.strict) throw new ParameterProblem('policy match: policy none but --strict given')
      if (o.elems.length > 1 || Object.keys(o.elems[0]).length > 0) throw new ParameterProblem('policy match: policy none but policy given')
    }
    if (o.none) o.elems = []
    o.elems.forEach((e, i) => {
      if (o.strict && Object.keys(e).length === 0) {
        throw new ParameterProblem(`policy match: empty policy element ${i}. --strict is in effect, but at least one of reqid, spi, tunnel-src, tunnel-dst, proto or mode is required.`)
      }
      if ((e.tunnelSrc || e.tunnelDst) && ((e.mode?.value === 'tunnel') === (e.mode?.inverted ?? false))) {
        throw new ParameterProblem('policy match: --tunnel-src/--tunnel-dst is only valid in tunnel mode')
      }
    })
    // A rule without elements other than empty ones stands for "any ipsec policy".
    if (!o.strict && o.elems.length === 1 && Object.keys(o.elems[0]).length === 0) o.elems = []
  },
  hooks: (o): readonly Hook[] => (o.dir === 'out' ? ['FORWARD', 'OUTPUT', 'POSTROUTING'] : ['PREROUTING', 'INPUT', 'FORWARD']),
  save: (o) => [...head(o, '--'), ...o.elems.flatMap((e, i) => [...elemText(e, '--', false), ...(i + 1 < o.elems.length ? ['--next'] : [])])].join(' '),
  list: (o, numeric) => ['policy match', ...head(o, ''), ...o.elems.flatMap((e, i) => [...(o.elems.length > 1 ? [`[${i}]`] : []), ...elemText(e, '', numeric)])].join(' '),
  evaluate(o) {
    return [{
      clause: `-m policy ${this.save(o)}`, matched: o.none,
      why: `this node has no IPsec: the packet ${o.dir === 'out' ? 'will not be encapsulated' : 'was not decapsulated'} by any policy`,
    }]
  },
}
