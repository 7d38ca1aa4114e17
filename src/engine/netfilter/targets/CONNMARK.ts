/**
 * `-j CONNMARK`: set the connection mark (`--set-xmark`, `--set-mark`, `--and/or/xor-mark`), copy the packet
 * mark into it (`--save-mark`) or back (`--restore-mark`), with `--nfmask`/`--ctmask`/`--mask`.
 */
import type { TargetModule } from '../module-api.ts'
import { ParameterProblem } from '../module-api.ts'
import { hex, parseMarkMask, parseU32Option } from '../values.ts'
import { applyXmark, markActionText } from './MARK.ts'

export interface ConnmarkTargetOptions {
  mode?: 'set' | 'save' | 'restore'
  ctmark: number
  ctmask: number
  nfmask: number
}


export const connmarkTarget: TargetModule<ConnmarkTargetOptions> = {
  kind: 'target',
  name: 'CONNMARK',
  options: [
    { name: 'set-mark', arg: 'required' }, { name: 'set-xmark', arg: 'required' }, { name: 'and-mark', arg: 'required' },
    { name: 'or-mark', arg: 'required' }, { name: 'xor-mark', arg: 'required' }, { name: 'save-mark', arg: 'none' },
    { name: 'restore-mark', arg: 'none' }, { name: 'nfmask', arg: 'required' }, { name: 'ctmask', arg: 'required' },
    { name: 'mask', arg: 'required' },
  ],
  create: () => ({ ctmark: 0, ctmask: 0xffffffff, nfmask: 0xffffffff }),
  parse(o, option, arg) {
    const u32 = (text: string | undefined) => parseU32Option(text, 'CONNMARK', option)
    const setMode = (mode: ConnmarkTargetOptions['mode']) => {
      if (o.mode) throw new ParameterProblem('CONNMARK target: Can\'t specify more than one mode')
      o.mode = mode
    }
    switch (option) {
      case 'set-xmark': { setMode('set'); const m = parseMarkMask(arg ?? '', 'CONNMARK', option); o.ctmark = m.value; o.ctmask = m.mask; return }
      case 'set-mark': { setMode('set'); const m = parseMarkMask(arg ?? '', 'CONNMARK', option); o.ctmark = m.value; o.ctmask = (m.value | m.mask) >>> 0; return }
      case 'and-mark': setMode('set'); o.ctmark = 0; o.ctmask = ~u32(arg) >>> 0; return
      case 'or-mark': setMode('set'); o.ctmark = u32(arg); o.ctmask = o.ctmark; return
      case 'xor-mark': setMode('set'); o.ctmark = u32(arg); o.ctmask = 0; return
      case 'save-mark': setMode('save'); return
      case 'restore-mark': setMode('restore'); return
      case 'nfmask': o.nfmask = u32(arg); return
      case 'ctmask': o.ctmask = u32(arg); return
      case 'mask': o.nfmask = o.ctmask = u32(arg)
    }
  },
  finalCheck(o) {
    if (!o.mode) throw new ParameterProblem('CONNMARK target: No operation specified')
  },
  save(o) {
    if (o.mode === 'set') return `--set-xmark ${hex(o.ctmark)}/${hex(o.ctmask)}`
    return `--${o.mode}-mark --nfmask ${hex(o.nfmask)} --ctmask ${hex(o.ctmask)}`
  },
  list(o) {
    if (o.mode === 'set') return markActionText('CONNMARK', o.ctmark, o.ctmask)
    if (o.nfmask === 0xffffffff && o.ctmask === 0xffffffff) return `CONNMARK ${o.mode}`
    if (o.nfmask === o.ctmask) return `CONNMARK ${o.mode} mask ${hex(o.nfmask)}`
    if (o.mode === 'restore') return `CONNMARK restore ctmask ${hex(o.ctmask)} nfmask ~${hex(o.nfmask)}`
    return `CONNMARK save nfmask ${hex(o.nfmask)} ctmask ~${hex(o.ctmask)}`
  },
  apply(o, ctx) {
    const entry = ctx.ct?.entry
    if (!entry) return { outcome: { verdict: 'CONTINUE' }, why: 'no conntrack entry: nothing to do' }
    if (o.mode === 'set') {
      const ctMark = applyXmark(entry.mark, o.ctmark, o.ctmask)
      return { outcome: { verdict: 'CONTINUE' }, ctMark, why: `connection mark ${hex(entry.mark)} -> ${hex(ctMark)}` }
    }
    if (o.mode === 'save') {
      const ctMark = ((entry.mark & ~o.ctmask) ^ (ctx.packet.mark & o.nfmask)) >>> 0
      return { outcome: { verdict: 'CONTINUE' }, ctMark, why: `packet mark saved: connection mark -> ${hex(ctMark)}` }
    }
    const mark = ((ctx.packet.mark & ~o.nfmask) ^ (entry.mark & o.ctmask)) >>> 0
    return { outcome: { verdict: 'CONTINUE' }, mark, why: `connection mark restored: packet mark -> ${hex(mark)}` }
  },
}
