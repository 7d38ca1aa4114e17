/**
 * `-m ipvs`: whether the packet belongs to an IPVS connection (`--ipvs`) and its virtual service
 * (`--vproto`, `--vaddr`, `--vport`, `--vdir`, `--vmethod`, `--vportctl`). The kernel here has no IPVS
 * (xt_ipvs is absent): iptables warns when it loads the extension and the kernel refuses every rule with
 * ENOENT, as measured. Parsing and its errors are libxt_ipvs's.
 */
import type { MatchModule } from '../module-api.ts'
import { ParameterProblem } from '../module-api.ts'
import { formatIPv4, maskToPrefix } from '../../net/ipv4.ts'
import { joinParts } from '../values.ts'
import { paramAct, xtHostMask, xtPort, xtProtocol } from '../xtopt.ts'

interface Inv<T> { value: T; inverted: boolean }

export interface IpvsOptions {
  ipvs?: { inverted: boolean }
  vproto?: Inv<number>
  vaddr?: Inv<{ address: number; mask: number }>
  vport?: Inv<number>
  vdir?: 'ORIGINAL' | 'REPLY'
  vmethod?: Inv<'GATE' | 'IPIP' | 'MASQ'>
  vportctl?: Inv<number>
}

function pieces(o: IpvsOptions, prefix: string): string {
  const inv = (x: { inverted: boolean }) => (x.inverted ? '! ' : '')
  const a = o.vaddr?.value
  return joinParts([
    o.ipvs && `${inv(o.ipvs)}${prefix}ipvs`, o.vproto && `${inv(o.vproto)}${prefix}vproto ${o.vproto.value}`,
    o.vaddr && a && `${inv(o.vaddr)}${prefix}vaddr ${formatIPv4(a.address)}${maskToPrefix(a.mask) === 32 ? '' : `/${maskToPrefix(a.mask)}`}`,
    o.vport && `${inv(o.vport)}${prefix}vport ${o.vport.value}`, o.vdir && `${prefix}vdir ${o.vdir}`,
    o.vmethod && `${inv(o.vmethod)}${prefix}vmethod ${o.vmethod.value}`, o.vportctl && `${inv(o.vportctl)}${prefix}vportctl ${o.vportctl.value}`,
  ])
}

export const ipvsMatch: MatchModule<IpvsOptions> = {
  kind: 'match',
  name: 'ipvs',
  xtopt: true,
  unsupported: true,
  options: [
    { name: 'ipvs', arg: 'none', invertible: true }, { name: 'vproto', arg: 'required', invertible: true },
    { name: 'vaddr', arg: 'required', invertible: true }, { name: 'vport', arg: 'required', invertible: true },
    { name: 'vdir', arg: 'required' }, { name: 'vmethod', arg: 'required', invertible: true }, { name: 'vportctl', arg: 'required', invertible: true },
  ],
  create: () => ({}),
  parse(o, option, arg, inverted) {
    const text = arg ?? ''
    switch (option) {
      case 'ipvs': o.ipvs = { inverted }; return
      case 'vproto': o.vproto = { value: xtProtocol(text), inverted }; return
      case 'vaddr': o.vaddr = { value: xtHostMask('ipvs', option, text), inverted }; return
      case 'vport': o.vport = { value: xtPort(text), inverted }; return
      case 'vportctl': o.vportctl = { value: xtPort(text), inverted }; return
      case 'vdir':
        if (text !== 'ORIGINAL' && text !== 'REPLY') throw paramAct.badValue('ipvs', '--vdir', text)
        o.vdir = text
        return
      case 'vmethod': {
        const m = text.toUpperCase()
        if (m !== 'GATE' && m !== 'IPIP' && m !== 'MASQ') throw paramAct.badValue('ipvs', '--vmethod', text)
        o.vmethod = { value: m, inverted }
      }
    }
  },
  finalCheck(o, env) {
    if (env.seen.length === 0) throw new ParameterProblem('IPVS: At least one option is required')
    if (o.ipvs?.inverted && env.seen.length > 1) throw new ParameterProblem('! --ipvs cannot be together with other options')
  },
  save: (o) => pieces(o, '--'),
  list: (o) => `ipvs match ${pieces(o, '')}`,
  evaluate(o) {
    return [{ clause: `-m ipvs ${pieces(o, '--')}`, matched: false, why: 'this kernel has no IPVS' }]
  },
}
