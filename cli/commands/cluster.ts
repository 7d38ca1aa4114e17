/**
 * `npm run -s cli -- cluster FILE... [--empty] [--json] [--seed N]`: applies the manifests (in order, each
 * file all-or-nothing) to a fresh default kind-like cluster (or an empty one) and prints what
 * `kubectl get nodes,pods,services,endpointslices -A -o wide` would, or with --json a `kubectl get -o json`
 * style List of those objects. Invalid input: the errors on stderr (`error: ...`), exit status 1.
 */
import type { CliIO } from '../io.ts'
import { Cluster } from '../../src/engine/cluster/cluster.ts'
import { applyManifestFiles } from '../manifests.ts'
import { formatGetWide } from '../../src/engine/cluster/kubectl-get.ts'
import { readFlags, wantsHelp } from '../args.ts'
import { parseSeed } from '../values.ts'

const USAGE = 'usage: npm run -s cli -- cluster FILE... [--empty] [--json] [--seed N]\n'

export const HELP = `usage: kpv cluster FILE... [--empty] [--json] [--seed N]

Apply the manifests (in order, each file all-or-nothing, as kubectl apply -f) to a fresh kind-like cluster
and print what kubectl get nodes,pods,services,endpointslices -A -o wide would.

  --empty     start from an empty cluster (no Nodes, no Pods) instead of the default one
  --json      print a kubectl get -o json List of the Nodes, Pods, Services and EndpointSlices
  --seed N    the seed for generated names and addresses (default 1)

Invalid manifests: the API server's errors on stderr with their document, line and column; exit status 1.
`

interface Options {
  files: string[]
  empty: boolean
  json: boolean
  seed?: number
}

const FLAGS = { empty: { type: 'boolean' }, json: { type: 'boolean' }, seed: { type: 'string' } } as const

function parseOptions(args: string[]): Options | string {
  const options: Options = { files: [], empty: false, json: false }
  const { tokens, problem } = readFlags(args, FLAGS)
  for (const t of tokens) {
    if (t.kind === 'positional') options.files.push(t.value)
    else if (t.name === 'empty') options.empty = true
    else if (t.name === 'json') options.json = true
    else if (t.name === 'seed') {
      const seed = parseSeed(t.value!)
      if (typeof seed === 'string') return seed
      options.seed = seed
    }
  }
  if (problem?.kind === 'unknown') return `unknown flag ${problem.word}`
  if (problem?.kind === 'missing') return '--seed needs an integer, got nothing'
  if (options.files.length === 0) return 'no manifest file given'
  return options
}

export async function run(args: string[], io: CliIO): Promise<number> {
  if (wantsHelp(args)) { io.out(HELP); return 0 }
  const options = parseOptions(args)
  if (typeof options === 'string') { io.err(`error: ${options}\n${USAGE}`); return 2 }

  const cluster = options.empty ? Cluster.createEmpty({ seed: options.seed }) : Cluster.createDefault({ seed: options.seed })
  if (!applyManifestFiles(cluster, options.files, io)) return 1

  const snapshot = cluster.snapshot()
  if (options.json) {
    const items = [...snapshot.nodes, ...snapshot.pods, ...snapshot.services, ...snapshot.endpointSlices]
    // kubectl prints a mixed List as unstructured data: keys sorted, 4-space indentation.
    io.out(`${JSON.stringify(sortKeys({ apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } }), null, 4)}\n`)
  } else {
    io.out(formatGetWide(snapshot))
  }
  return 0
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => [k, sortKeys(v)]))
  }
  return value
}
