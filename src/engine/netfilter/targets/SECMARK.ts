/**
 * `-j SECMARK --selctx CONTEXT` (mangle and security tables): label the packet with an SELinux security
 * context. The kernel here has no LSM that resolves contexts, so every such rule is refused with ENOENT
 * (EINVAL in any other table), as on the machine the fixtures were recorded on.
 */
import type { TargetModule } from '../module-api.ts'
import { cutBytes } from '../xtopt.ts'

export interface SecmarkOptions {
  selctx: string
}

export const secmarkTarget: TargetModule<SecmarkOptions> = {
  kind: 'target',
  name: 'SECMARK',
  xtopt: true,
  options: [{ name: 'selctx', arg: 'required', mandatory: true }],
  create: () => ({ selctx: '' }),
  parse(o, _option, arg) {
    o.selctx = cutBytes(arg ?? '', 255)
  },
  kernelCheck: (_o, _rule, table) => (table === 'mangle' || table === 'security' ? 'ENOENT' : 'EINVAL'),
  save: (o) => `--selctx ${o.selctx}`,
  list: (o) => `SECMARK selctx ${o.selctx}`,
  apply: () => ({ outcome: { verdict: 'CONTINUE' }, why: 'no security context can be resolved on this node' }),
}
