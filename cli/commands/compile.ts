/**
 * `npm run -s cli -- compile FILE... --node NAME [--empty | --raw] [--seed N] [--payload] [--upstream-fake] [--mode M]`:
 * applies the manifests to a fresh default cluster (or an empty one with --empty), runs that Node's kube-proxy
 * (iptables mode) once — a full sync after kubelet's setup, as on a freshly started node — and prints the
 * Node's `iptables-save`. With --payload it prints the iptables-restore input kube-proxy wrote instead.
 *
 * --raw reads the objects exactly as given instead (Nodes, Services, EndpointSlices, KubeProxyConfiguration;
 * no API validation, no controllers), the way upstream's unit tests state their scenarios;
 * --upstream-fake writes as upstream's NewFakeProxier does (mark "0x4000", no --random-fully), so --payload
 * output compares with the `expected` dumps of proxier_test.go.
 *
 * --mode iptables|ipvs|nftables overrides the configuration's mode. In IPVS mode the output is the Node's
 * `iptables-save` (filter and nat), `ipset list` and `ipvsadm -Ln`, one after another (--payload: the
 * iptables-restore input); in nftables mode `nft list ruleset` (--payload: the transaction sent to nft).
 *
 * Bad manifests, unreadable files or an unknown node: a message on stderr, exit status 1.
 */
import type { CliIO } from '../io.ts'
import { Cluster } from '../../src/engine/cluster/cluster.ts'
import { applyManifestText, readManifestFile } from '../manifests.ts'
import { KubeProxy } from '../../src/engine/kube-proxy/proxier.ts'
import { RawManifestError, snapshotFromManifests } from '../../src/engine/kube-proxy/raw-snapshot.ts'
import type { ClusterSnapshot } from '../../src/engine/cluster/types.ts'
import { PROXY_MODES } from '../../src/engine/kube-proxy/backend.ts'
import type { ProxyMode } from '../../src/engine/kube-proxy/backend.ts'
import { compileIpvs } from '../../src/engine/kube-proxy/ipvs/compile.ts'
import { applyIpvsSync, newIpvsNodeState, renderIpvsNode } from '../../src/engine/kube-proxy/ipvs/node-state.ts'
import { NftablesKubeProxy } from '../../src/engine/kube-proxy/nftables/proxier.ts'

const USAGE = 'usage: npm run -s cli -- compile FILE... --node NAME [--empty | --raw] [--seed N] [--payload] [--upstream-fake] [--mode iptables|ipvs|nftables]\n'

interface Options {
  files: string[]
  node?: string
  empty: boolean
  raw: boolean
  payload: boolean
  upstreamFake: boolean
  seed?: number
  mode?: ProxyMode
}

function parseArgs(args: string[]): Options | string {
  const options: Options = { files: [], empty: false, raw: false, payload: false, upstreamFake: false }
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]
    const value = (flag: string) => (arg === flag ? args[++i] : arg.slice(flag.length + 1))
    if (arg === '--empty') options.empty = true
    else if (arg === '--raw') options.raw = true
    else if (arg === '--payload') options.payload = true
    else if (arg === '--upstream-fake') options.upstreamFake = true
    else if (arg === '--node' || arg.startsWith('--node=')) {
      const v = value('--node')
      if (!v) return '--node needs a node name'
      options.node = v
    } else if (arg === '--seed' || arg.startsWith('--seed=')) {
      const v = value('--seed')
      if (v === undefined || !/^-?\d+$/.test(v)) return `--seed needs an integer, got ${v === undefined ? 'nothing' : JSON.stringify(v)}`
      options.seed = Number(v)
    } else if (arg === '--mode' || arg.startsWith('--mode=')) {
      const v = value('--mode')
      if (!PROXY_MODES.includes(v as ProxyMode)) return `--mode must be iptables, ipvs or nftables, got ${v === undefined ? 'nothing' : JSON.stringify(v)}`
      options.mode = v as ProxyMode
    } else if (arg.startsWith('-') && arg !== '-') return `unknown flag ${arg}`
    else options.files.push(arg)
  }
  if (options.files.length === 0) return 'no manifest file given'
  if (!options.node) return '--node NAME is required'
  if (options.raw && (options.empty || options.seed !== undefined)) return '--raw reads the objects as given: it takes no --empty or --seed'
  return options
}

export async function run(args: string[], io: CliIO): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) { io.out(USAGE); return 0 }
  const options = parseArgs(args)
  if (typeof options === 'string') { io.err(`error: ${options}\n${USAGE}`); return 2 }

  const texts: string[] = []
  for (const file of options.files) {
    const text = readManifestFile(file, io)
    if (text === undefined) return 1
    texts.push(text)
  }

  let snapshot: ClusterSnapshot
  let now: Date
  if (options.raw) {
    try {
      snapshot = snapshotFromManifests(texts.join('\n---\n'))
    } catch (e) {
      if (!(e instanceof RawManifestError)) throw e
      io.err(`error: ${e.message}${options.files.length > 1 ? ' (counting documents over all files)' : ''}\n`)
      return 1
    }
    now = new Date(Date.UTC(2026, 0, 1))
  } else {
    const cluster = options.empty ? Cluster.createEmpty({ seed: options.seed }) : Cluster.createDefault({ seed: options.seed })
    for (const [i, text] of texts.entries()) {
      if (!applyManifestText(cluster, options.files[i], text, options.files.length, io)) return 1
    }
    snapshot = cluster.snapshot()
    now = new Date(cluster.now())
  }

  const node = snapshot.nodes.find((n) => n.metadata.name === options.node)
  if (!node) {
    const names = snapshot.nodes.map((n) => n.metadata.name)
    io.err(`error: nodes "${options.node}" not found${names.length ? ` (nodes: ${names.join(', ')})` : ' (the cluster has no nodes)'}\n`)
    return 1
  }
  if (options.mode) snapshot = { ...snapshot, kubeProxyConfig: { ...snapshot.kubeProxyConfig, mode: options.mode } }
  const mode = snapshot.kubeProxyConfig.mode
  if (mode === 'ipvs') {
    const result = compileIpvs(snapshot, node.metadata.name, snapshot.kubeProxyConfig, options.upstreamFake ? { randomFully: false, masqueradeMark: '0x4000' } : {})
    const state = newIpvsNodeState()
    applyIpvsSync(state, result)
    io.out(options.payload ? result.payload : renderIpvsNode(state, { now }))
    return 0
  }
  if (mode === 'nftables') {
    const nft = new NftablesKubeProxy(node.metadata.name, snapshot.kubeProxyConfig, options.upstreamFake ? { masqueradeMark: '0x4000' } : {})
    nft.loadSnapshot(snapshot)
    const record = nft.sync()
    io.out(options.payload ? record.transaction : nft.listRuleset())
    return 0
  }
  const environment = options.upstreamFake ? { randomFully: false, masqueradeMark: '0x4000' } : {}
  const proxy = new KubeProxy(node.metadata.name, snapshot.kubeProxyConfig, { environment })
  proxy.loadSnapshot(snapshot)
  const record = proxy.sync()
  if (record.error) {
    io.err(`error: iptables-restore failed: ${record.error}\n`)
    return 1
  }
  io.out(options.payload ? record.payload : proxy.iptablesSave({ now }))
  return 0
}
