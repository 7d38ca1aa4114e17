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

const USAGE = 'usage: npm run -s cli -- cluster FILE... [--empty] [--json] [--seed N]\n'

interface Options {
  files: string[]
  empty: boolean
  json: boolean
  seed?: number
}

function parseArgs(args: string[]): Options | string {
  const options: Options = { files: [], empty: false, json: false }
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]
    if (arg === '--empty') options.empty = true
    else if (arg === '--json') options.json = true
    else if (arg === '--seed' || arg.startsWith('--seed=')) {
      const text = arg === '--seed' ? args[++i] : arg.slice('--seed='.length)
      if (text === undefined || !/^-?\d+$/.test(text)) return `--seed needs an integer, got ${text === undefined ? 'nothing' : JSON.stringify(text)}`
      options.seed = Number(text)
    } else if (arg.startsWith('-') && arg !== '-') return `unknown flag ${arg}`
    else options.files.push(arg)
  }
  if (options.files.length === 0) return 'no manifest file given'
  return options
}

export async function run(args: string[], io: CliIO): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) { io.out(USAGE); return 0 }
  const options = parseArgs(args)
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
