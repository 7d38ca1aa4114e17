/**
 * `-m cluster --cluster-total-nodes N --cluster-local-node I | --cluster-local-nodemask M
 * --cluster-hash-seed S`: load sharing between cluster nodes that all see the same packets. A connection
 * belongs to node `(jhash(original source address, seed) * N) >> 32`; the rule matches when that node is in
 * the local mask (xt_cluster). Packets without a conntrack entry do not match.
 */
import type { MatchModule } from '../module-api.ts'
import { ParameterProblem } from '../module-api.ts'
import { xtUint } from '../xtopt.ts'
import { jhash2 } from '../../ipset/jhash.ts'
import { parseStrictIPv4 } from '../../net/ipv4.ts'

export interface ClusterOptions {
  total: number
  nodeMask: number
  seed: number
  inverted: boolean
}

const hex8 = (n: number) => `0x${(n >>> 0).toString(16).padStart(8, '0')}`

function bswap32(n: number): number {
  return (((n & 0xff) << 24) | ((n & 0xff00) << 8) | ((n >>> 8) & 0xff00) | (n >>> 24)) >>> 0
}

/** The node (0-based) a connection from `src` belongs to. */
export function clusterNode(src: number, seed: number, total: number): number {
  // jhash_1word of the address as it lies in memory (network order) read as a little-endian word.
  const h = jhash2([bswap32(src)], seed)
  return Number((BigInt(h) * BigInt(total)) >> 32n)
}

export const clusterMatch: MatchModule<ClusterOptions> = {
  kind: 'match',
  name: 'cluster',
  xtopt: true,
  options: [
    { name: 'cluster-total-nodes', arg: 'required', mandatory: true },
    { name: 'cluster-local-node', arg: 'required', invertible: true, excl: ['cluster-local-nodemask'] },
    { name: 'cluster-local-nodemask', arg: 'required', invertible: true, excl: ['cluster-local-node'] },
    { name: 'cluster-hash-seed', arg: 'required', mandatory: true },
  ],
  create: () => ({ total: 0, nodeMask: 0, seed: 0, inverted: false }),
  parse(o, option, arg, inverted) {
    const text = arg ?? ''
    switch (option) {
      case 'cluster-total-nodes': o.total = xtUint('cluster', option, text, 32, 1, 32); return
      case 'cluster-local-node': o.nodeMask = (1 << (xtUint('cluster', option, text, 32, 1, 32) - 1)) >>> 0; o.inverted = inverted; return
      case 'cluster-local-nodemask': o.nodeMask = xtUint('cluster', option, text, 32, 1); o.inverted = inverted; return
      case 'cluster-hash-seed': o.seed = xtUint('cluster', option, text)
    }
  },
  finalCheck(o, env) {
    const node = env.seen.includes('cluster-local-node')
    if (!node && !env.seen.includes('cluster-local-nodemask')) {
      throw new ParameterProblem("cluster match: `--cluster-local-node' or`--cluster-local-nodemask' is missing")
    }
    // These need every option, so xtables' "must be specified" comes first when one is missing.
    if (!env.seen.includes('cluster-total-nodes') || !env.seen.includes('cluster-hash-seed')) return
    if (node && o.nodeMask > 2 ** (o.total - 1)) throw new ParameterProblem("cluster match: `--cluster-local-node' must be <= `--cluster-total-nodes'")
    if (!node && o.nodeMask >= 2 ** o.total) throw new ParameterProblem("cluster match: `--cluster-local-nodemask' too big for `--cluster-total-nodes'")
  },
  save: (o) => `${o.inverted ? '! ' : ''}--cluster-local-nodemask ${hex8(o.nodeMask)} --cluster-total-nodes ${o.total} --cluster-hash-seed ${hex8(o.seed)}`,
  list: (o) => `cluster ${o.inverted ? '!' : ''}node_mask=${hex8(o.nodeMask)} total_nodes=${o.total} hash_seed=${hex8(o.seed)}`,
  evaluate(o, ctx) {
    const clause = `-m cluster ${this.save(o)}`
    const entry = ctx.ct?.entry
    if (!entry) return [{ clause, matched: false, why: 'the packet has no conntrack entry' }]
    const src = parseStrictIPv4(entry.original.src) ?? 0
    const node = clusterNode(src, o.seed, o.total)
    const hit = ((o.nodeMask >>> node) & 1) === 1
    return [{ clause, matched: hit !== o.inverted, why: `the connection from ${entry.original.src} hashes to node ${node + 1} of ${o.total}, ${hit ? 'one' : 'not one'} of this node's${o.inverted ? ' (negated)' : ''}` }]
  },
}
