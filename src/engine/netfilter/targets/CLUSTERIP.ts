/**
 * `-j CLUSTERIP --new --hashmode MODE --clustermac MAC --total-nodes N --local-node I [--hash-init SEED]`:
 * share one address among a cluster of nodes. The kernel here has no ipt_CLUSTERIP (removed from Linux
 * 6.3), so iptables-nft warns when the extension loads and the rule is refused with ENOENT.
 */
import type { TargetModule } from '../module-api.ts'
import { ParameterProblem } from '../module-api.ts'
import { xtEtherMac, xtUint } from '../xtopt.ts'

export interface ClusteripOptions {
  isNew: boolean
  hashmode: string
  mac: number[]
  total: number
  local: number
  hashInit: number
}

const MODES = ['sourceip', 'sourceip-sourceport', 'sourceip-sourceport-destport']

export const clusteripTarget: TargetModule<ClusteripOptions> = {
  kind: 'target',
  name: 'CLUSTERIP',
  xtopt: true,
  unsupported: true,
  options: [
    { name: 'new', arg: 'none' }, { name: 'hashmode', arg: 'required' }, { name: 'clustermac', arg: 'required' },
    { name: 'total-nodes', arg: 'required' }, { name: 'local-node', arg: 'required' }, { name: 'hash-init', arg: 'required' },
  ],
  create: () => ({ isNew: false, hashmode: '', mac: [0, 0, 0, 0, 0, 0], total: 0, local: 0, hashInit: 0 }),
  parse(o, option, arg) {
    const text = arg ?? ''
    switch (option) {
      case 'new': o.isNew = true; return
      case 'hashmode':
        if (!MODES.includes(text)) throw new ParameterProblem(`Unknown hashmode "${text}"`)
        o.hashmode = text
        return
      case 'clustermac':
        o.mac = xtEtherMac(text)
        if (!(o.mac[0] & 1)) throw new ParameterProblem('MAC has to be a multicast ethernet address')
        return
      case 'total-nodes': o.total = xtUint('CLUSTERIP', option, text, 16, 0, 16); return
      case 'local-node': o.local = xtUint('CLUSTERIP', option, text, 16, 0, 16); return
      case 'hash-init': o.hashInit = xtUint('CLUSTERIP', option, text)
    }
  },
  finalCheck(_o, env) {
    const s = new Set(env.seen)
    if (s.size === 0 || (s.has('clustermac') && s.has('total-nodes') && s.has('local-node'))) return
    throw new ParameterProblem('CLUSTERIP target: Invalid parameter combination')
  },
  save(o) {
    if (!o.isNew) return ''
    const mac = o.mac.map((b) => b.toString(16).padStart(2, '0')).join(':')
    return `--new --hashmode ${o.hashmode} --clustermac ${mac} --total-nodes ${o.total} --local-node ${o.local} --hash-init ${o.hashInit}`
  },
  list(o) {
    if (!o.isNew) return 'CLUSTERIP'
    const mac = o.mac.map((b) => b.toString(16).padStart(2, '0')).join(':')
    return `CLUSTERIP hashmode=${o.hashmode} clustermac=${mac} total_nodes=${o.total} local_node=${o.local} hash_init=${o.hashInit}`
  },
  apply: () => ({ outcome: { verdict: 'CONTINUE' }, why: 'no CLUSTERIP: the kernel has no ipt_CLUSTERIP' }),
}
