/**
 * `-j CONNMARK` (revision 2): set the connection mark (`--set-xmark`, `--set-mark`, `--and/or/xor-mark`),
 * copy the packet mark into it (`--save-mark`) or back (`--restore-mark`), with `--nfmask`/`--ctmask`/
 * `--mask` and `--left-shift-mark`/`--right-shift-mark` (the kernel refuses a shift over 31: EINVAL).
 */
import type { TargetModule } from '../module-api.ts'
import { ParameterProblem } from '../module-api.ts'
import { hex } from '../values.ts'
import { xtMarkMask, xtUint } from '../xtopt.ts'
import { markActionText } from './MARK.ts'

export interface ConnmarkTargetOptions {
  mode?: 'set' | 'save' | 'restore'
  ctmark: number
  ctmask: number
  nfmask: number
  shift: number
  shiftLeft: boolean
}

const OPS = ['set-xmark', 'set-mark', 'and-mark', 'or-mark', 'xor-mark', 'save-mark', 'restore-mark']

export const connmarkTarget: TargetModule<ConnmarkTargetOptions> = {
  kind: 'target',
  name: 'CONNMARK',
  xtopt: true,
  // libxt_CONNMARK's v2 table, with its enum ids (set-mark 0, save 1, restore 2, and 3, or 4, xor 5, set-xmark 6, …).
  options: [
    { name: 'set-xmark', arg: 'required', id: 6, excl: OPS }, { name: 'set-mark', arg: 'required', id: 0, excl: OPS },
    { name: 'and-mark', arg: 'required', id: 3, excl: OPS }, { name: 'or-mark', arg: 'required', id: 4, excl: OPS },
    { name: 'xor-mark', arg: 'required', id: 5, excl: OPS }, { name: 'save-mark', arg: 'none', id: 1, excl: OPS },
    { name: 'restore-mark', arg: 'none', id: 2, excl: OPS }, { name: 'left-shift-mark', arg: 'required', id: 10 },
    { name: 'right-shift-mark', arg: 'required', id: 11 }, { name: 'ctmask', arg: 'required', id: 7, excl: ['mask'] },
    { name: 'nfmask', arg: 'required', id: 8, excl: ['mask'] }, { name: 'mask', arg: 'required', id: 9, excl: ['ctmask', 'nfmask'] },
  ],
  create: () => ({ ctmark: 0, ctmask: 0xffffffff, nfmask: 0xffffffff, shift: 0, shiftLeft: true }),
  parse(o, option, arg) {
    const u32 = () => xtUint('CONNMARK', option, arg ?? '')
    switch (option) {
      case 'set-xmark': { const m = xtMarkMask('CONNMARK', option, arg ?? ''); Object.assign(o, { mode: 'set', ctmark: m.value, ctmask: m.mask }); return }
      case 'set-mark': { const m = xtMarkMask('CONNMARK', option, arg ?? ''); Object.assign(o, { mode: 'set', ctmark: m.value, ctmask: (m.value | m.mask) >>> 0 }); return }
      case 'and-mark': Object.assign(o, { mode: 'set', ctmark: 0, ctmask: ~u32() >>> 0 }); return
      case 'or-mark': { const v = u32(); Object.assign(o, { mode: 'set', ctmark: v, ctmask: v }); return }
      case 'xor-mark': Object.assign(o, { mode: 'set', ctmark: u32(), ctmask: 0 }); return
      case 'save-mark': o.mode = 'save'; return
      case 'restore-mark': o.mode = 'restore'; return
      case 'left-shift-mark': case 'right-shift-mark':
        o.shift = xtUint('CONNMARK', option, arg ?? '', 8, 0, 32)
        o.shiftLeft = option === 'left-shift-mark'
        return
      case 'ctmask': o.ctmask = u32(); return
      case 'nfmask': o.nfmask = u32(); return
      case 'mask': { const v = u32(); o.ctmask = v; o.nfmask = v }
    }
  },
  finalCheck(o) {
    if (!o.mode) throw new ParameterProblem('CONNMARK target: No operation specified')
  },
  kernelCheck: (o) => (o.shift > 31 ? 'EINVAL' : undefined),
  save(o) {
    const base = o.mode === 'set' ? `--set-xmark ${hex(o.ctmark)}/${hex(o.ctmask)}` : `--${o.mode}-mark --nfmask ${hex(o.nfmask)} --ctmask ${hex(o.ctmask)}`
    return o.shift ? `${base} --${o.shiftLeft ? 'left' : 'right'}-shift-mark ${o.shift}` : base
  },
  list(o) {
    let text: string
    if (o.mode === 'set') text = markActionText('CONNMARK', o.ctmark, o.ctmask)
    else if (o.nfmask === 0xffffffff && o.ctmask === 0xffffffff) text = `CONNMARK ${o.mode}`
    else if (o.nfmask === o.ctmask) text = `CONNMARK ${o.mode} mask ${hex(o.nfmask)}`
    else if (o.mode === 'restore') text = `CONNMARK restore ctmask ${hex(o.ctmask)} nfmask ~${hex(o.nfmask)}`
    else text = `CONNMARK save nfmask ${hex(o.nfmask)} ctmask ~${hex(o.ctmask)}`
    return o.shift ? `${text} ${o.shiftLeft ? 'left' : 'right'}-shift-mark ${o.shift}` : text
  },
  apply(o, ctx) {
    const entry = ctx.ct?.entry
    if (!entry) return { outcome: { verdict: 'CONTINUE' }, why: 'no conntrack entry: nothing to do' }
    const shift = (v: number) => (o.shiftLeft ? (v << o.shift) >>> 0 : v >>> o.shift)
    // xt_CONNMARK's connmark_tg_shift (revision 2).
    if (o.mode === 'set') {
      const ctMark = shift(((entry.mark & ~o.ctmask) ^ o.ctmark) >>> 0)
      return { outcome: { verdict: 'CONTINUE' }, ctMark, why: `connection mark ${hex(entry.mark)} -> ${hex(ctMark)}` }
    }
    if (o.mode === 'save') {
      const ctMark = ((entry.mark & ~o.ctmask) ^ shift((ctx.packet.mark & o.nfmask) >>> 0)) >>> 0
      return { outcome: { verdict: 'CONTINUE' }, ctMark, why: `packet mark saved: connection mark ${hex(entry.mark)} -> ${hex(ctMark)}` }
    }
    const mark = ((ctx.packet.mark & ~o.nfmask) ^ shift((entry.mark & o.ctmask) >>> 0)) >>> 0
    return { outcome: { verdict: 'CONTINUE' }, mark, why: `connection mark restored: packet mark ${hex(ctx.packet.mark)} -> ${hex(mark)}` }
  },
}
