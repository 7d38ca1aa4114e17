/**
 * `npm run -s cli -- compile FILE... --node NAME [--empty | --raw] [--seed N] [--payload] [--upstream-fake] [--mode M]`:
 * applies the manifests to a fresh default cluster (or an empty one with --empty), runs that Node's kube-proxy
 * once — a full sync after kubelet's setup, as on a freshly started node — and prints what the mode programmed
 * (iptables mode: the Node's `iptables-save`). With --payload it prints what kube-proxy sent to the kernel.
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
 * Bad manifests, unreadable files or an unknown node: a message on stderr, exit status 1. When the simulated
 * node refuses what kube-proxy wrote (a match it does not model, such as IPVS mode's `-m ipvs`), the output
 * is printed all the same, after a warning on stderr.
 */
import type { CliIO } from '../io.ts'
import { Cluster } from '../../src/engine/cluster/cluster.ts'
import { applyManifestText, readManifestFile } from '../manifests.ts'
import { RawManifestError, snapshotFromManifests } from '../../src/engine/kube-proxy/raw-snapshot.ts'
import type { ClusterSnapshot } from '../../src/engine/cluster/types.ts'
import { PROXY_MODES } from '../../src/engine/kube-proxy/proxy-modes.ts'
import type { ProxyMode } from '../../src/engine/kube-proxy/proxy-modes.ts'
import { NodeKubeProxy } from '../../src/engine/kube-proxy/node-kube-proxy.ts'
import type { ProxierEnvironment } from '../../src/engine/kube-proxy/backend.ts'
import { freshNode } from '../../src/engine/host/host.ts'

/** Upstream's NewFakeProxier: the mark written as "0x4000", no --random-fully. */
const UPSTREAM_FAKE: ProxierEnvironment = { randomFully: false, masqueradeMark: '0x4000' }

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
  // A freshly started node: kubelet's set-up, then kube-proxy's first (full) sync in the configured mode.
  const name = node.metadata.name
  const proxy = new NodeKubeProxy(freshNode(name), name, snapshot.kubeProxyConfig, options.upstreamFake ? { environment: UPSTREAM_FAKE } : {})
  proxy.loadSnapshot(snapshot)
  const record = proxy.sync(0)
  // What kube-proxy wrote is printed either way; a node that could not load it is worth saying so.
  if (record.error) io.err(`warning: the simulated node refused what kube-proxy wrote: ${record.error}\n`)
  io.out(options.payload ? record.payload : proxy.render({ now }))
  return 0
}
