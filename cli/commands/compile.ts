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
import { readFlags, wantsHelp } from '../args.ts'
import { parseSeed } from '../values.ts'

/** Upstream's NewFakeProxier: the mark written as "0x4000", no --random-fully. */
const UPSTREAM_FAKE: ProxierEnvironment = { randomFully: false, masqueradeMark: '0x4000' }

const USAGE = 'usage: npm run -s cli -- compile FILE... --node NAME [--empty | --raw] [--seed N] [--payload] [--upstream-fake] [--mode iptables|ipvs|nftables]\n'

export const HELP = `usage: kpv compile FILE... --node NAME [--empty | --raw] [--seed N] [--payload] [--upstream-fake] [--mode M]

Apply the manifests to a fresh kind-like cluster, run that Node's kube-proxy once (a full sync, as on a
freshly started node) and print the Node's iptables-save.

  --node NAME       the Node whose rules to print (required)
  --empty           start from an empty cluster: only the objects given
  --raw             read the objects exactly as given (Nodes, Services, EndpointSlices,
                    KubeProxyConfiguration; no API validation, no controllers), as upstream's tests state them
  --seed N          the seed for generated names and addresses (default 1)
  --payload         print the iptables-restore input kube-proxy wrote instead (nftables: the nft transaction)
  --upstream-fake   write as upstream's NewFakeProxier does (mark 0x4000, no --random-fully)
  --mode M          iptables, ipvs or nftables, overriding the configuration's mode; IPVS mode prints
                    iptables-save, ipset list and ipvsadm -Ln, nftables mode nft list ruleset

Bad manifests, unreadable files or an unknown node: a message on stderr, exit status 1.
`

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

const FLAGS = {
  empty: { type: 'boolean' }, raw: { type: 'boolean' }, payload: { type: 'boolean' }, 'upstream-fake': { type: 'boolean' },
  node: { type: 'string' }, seed: { type: 'string' }, mode: { type: 'string' },
} as const

const modeError = (v: string | undefined) => `--mode must be iptables, ipvs or nftables, got ${v === undefined ? 'nothing' : JSON.stringify(v)}`

function parseOptions(args: string[]): Options | string {
  const options: Options = { files: [], empty: false, raw: false, payload: false, upstreamFake: false }
  const { tokens, problem } = readFlags(args, FLAGS)
  for (const t of tokens) {
    if (t.kind === 'positional') { options.files.push(t.value); continue }
    const v = t.value!
    switch (t.name) {
      case 'empty': options.empty = true; break
      case 'raw': options.raw = true; break
      case 'payload': options.payload = true; break
      case 'upstream-fake': options.upstreamFake = true; break
      case 'node':
        if (!v) return '--node needs a node name'
        options.node = v
        break
      case 'seed': {
        const seed = parseSeed(v)
        if (typeof seed === 'string') return seed
        options.seed = seed
        break
      }
      case 'mode':
        if (!PROXY_MODES.includes(v as ProxyMode)) return modeError(v)
        options.mode = v as ProxyMode
        break
    }
  }
  if (problem?.kind === 'unknown') return `unknown flag ${problem.word}`
  if (problem?.kind === 'missing') return problem.name === 'node' ? '--node needs a node name' : problem.name === 'mode' ? modeError(undefined) : '--seed needs an integer, got nothing'
  if (options.files.length === 0) return 'no manifest file given'
  if (!options.node) return '--node NAME is required'
  if (options.raw && (options.empty || options.seed !== undefined)) return '--raw reads the objects as given: it takes no --empty or --seed'
  return options
}

export async function run(args: string[], io: CliIO): Promise<number> {
  if (wantsHelp(args)) { io.out(HELP); return 0 }
  const options = parseOptions(args)
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
