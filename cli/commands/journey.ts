/**
 * `npm run -s cli -- journey FILE... --from SOURCE --to DEST:PORT [--proto tcp|udp] [--seed N] [--count N] [--json]
 *  [--via NODE] [--sport N] [--all] [--mode iptables|ipvs|nftables]`
 *
 * Applies the manifests (in order, each file all-or-nothing, as the `cluster` command does) to the default
 * kind-like cluster, wires the simulation (a host and a kube-proxy per Node) and sends one connection from
 * SOURCE to DEST:PORT, printing its hops: on which Node, table, chain and rule number, the rule's text, what
 * it did, the packet after each change, and the moves between machines; then the answer's way back. With
 * --count N it sends N new connections instead and prints where they landed.
 *
 * SOURCE: a Pod (`name`, `ns/name`, or a unique prefix of a Pod name), a Node name, or an IP outside the
 * cluster. DEST: a Service (`name` or `ns/name`; from outside, its load-balancer IP or its node port on the
 * first Node, or on --via NODE) or an IP. --via NODE: the Node an outside client's packet enters by. --all
 * also lists the rules that did not match and chain returns.
 *
 * --json: one journey is `{"reached": POD|null, "verdict": "delivered"|"dropped"|"rejected", "hops": [...],
 * ...}` (each hop has node, table, chain, rule, text, ...); with --count `{"landed": {NAME: N}, "dropped": N,
 * "rejected": N}` (NAME is a Pod, or a Node when a connection ended on a Node's own stack).
 * --mode M runs every Node's kube-proxy in mode M (overriding the configuration's mode, as applying a
 * KubeProxyConfiguration with that mode would).
 * Unknown source or destination, bad manifests, unreadable files: a message on stderr, exit status 1.
 * Bad flags: exit status 2.
 */
import type { CliIO } from '../io.ts'
import { applyManifestFiles } from '../manifests.ts'
import { formatManifestError } from '../../src/engine/cluster/cluster.ts'
import { Simulation } from '../../src/engine/simulation/simulation.ts'
import { JourneyError } from '../../src/engine/journeys/journey.ts'
import type { JourneySpec } from '../../src/engine/journeys/journey.ts'
import { journeyTranscript } from '../../src/engine/journeys/transcript.ts'
import { PROXY_MODES } from '../../src/engine/kube-proxy/proxy-modes.ts'
import type { ProxyMode } from '../../src/engine/kube-proxy/proxy-modes.ts'
import { MAX_SEND_COUNT } from '../../src/engine/journeys/send-limit.ts'
import { readFlags, wantsHelp } from '../args.ts'

const USAGE = 'usage: npm run -s cli -- journey FILE... --from SOURCE --to DEST:PORT [--proto tcp|udp] [--seed N] [--count N] [--json] [--via NODE] [--sport N] [--all] [--mode iptables|ipvs|nftables]\n'

interface Options {
  files: string[]
  from?: string
  to?: string
  port?: number
  proto: 'tcp' | 'udp'
  seed?: number
  count?: number
  json: boolean
  all: boolean
  via?: string
  sport?: number
  mode?: ProxyMode
}

const FLAGS = {
  json: { type: 'boolean' }, all: { type: 'boolean' }, from: { type: 'string' }, via: { type: 'string' }, to: { type: 'string' },
  proto: { type: 'string' }, seed: { type: 'string' }, count: { type: 'string' }, mode: { type: 'string' }, sport: { type: 'string' },
} as const

const got = (v: string | undefined) => (v === undefined ? 'nothing' : JSON.stringify(v))

function int(name: string, v: string | undefined, min: number, max: number): number | string {
  if (v === undefined || !/^-?\d+$/.test(v)) return `${name} needs an integer, got ${got(v)}`
  const n = Number(v)
  if (n < min || n > max) return `${name} must be between ${min} and ${max}, got ${n}`
  return n
}

/** Sets the flag's option from its value (undefined: the flag came last, without one); an error message otherwise. */
function setFlag(o: Options, name: string, v: string | undefined): string | undefined {
  switch (name) {
    case 'json': o.json = true; return
    case 'all': o.all = true; return
    case 'from':
      if (!v) return '--from needs a source (a Pod, a Node or an IP)'
      o.from = v
      return
    case 'via':
      if (!v) return '--via needs a Node name'
      o.via = v
      return
    case 'to': {
      const m = v ? /^(.+):(\d+)$/.exec(v) : null
      if (!m) return `--to needs DEST:PORT (a Service or an IP, and a port), got ${got(v)}`
      const port = Number(m[2])
      if (port < 1 || port > 65535) return `invalid port ${m[2]}: expected 1-65535`
      o.to = m[1]
      o.port = port
      return
    }
    case 'proto': {
      const p = v?.toLowerCase()
      if (p !== 'tcp' && p !== 'udp') return `--proto must be tcp or udp, got ${got(p)}`
      o.proto = p
      return
    }
    case 'mode':
      if (!PROXY_MODES.includes(v as ProxyMode)) return `--mode must be iptables, ipvs or nftables, got ${got(v)}`
      o.mode = v as ProxyMode
      return
  }
  const bounds: Record<string, [number, number]> = { seed: [-(2 ** 31), 2 ** 32 - 1], count: [1, MAX_SEND_COUNT], sport: [1, 65535] }
  const n = int(`--${name}`, v, ...bounds[name])
  if (typeof n === 'string') return n
  if (name === 'seed') o.seed = n
  else if (name === 'count') o.count = n
  else o.sport = n
}

function parseOptions(args: string[]): Options | string {
  const o: Options = { files: [], proto: 'tcp', json: false, all: false }
  const { tokens, problem } = readFlags(args, FLAGS)
  for (const t of tokens) {
    if (t.kind === 'positional') { o.files.push(t.value); continue }
    const error = setFlag(o, t.name, t.value)
    if (error) return error
  }
  if (problem?.kind === 'unknown') return `unknown flag ${problem.word}`
  if (problem?.kind === 'missing') return setFlag(o, problem.name, undefined)!
  if (o.files.length === 0) return 'no manifest file given'
  if (!o.from) return '--from SOURCE is required'
  if (!o.to) return '--to DEST:PORT is required'
  return o
}

export const HELP = `usage: kpv journey FILE... --from SOURCE --to DEST:PORT [--proto tcp|udp] [--seed N] [--count N] [--json]
                   [--via NODE] [--sport N] [--all] [--mode iptables|ipvs|nftables]

Apply the manifests to the default kind-like cluster and follow one connection from SOURCE to DEST:PORT
hop by hop: on which Node, table, chain and rule, what it did, the packet after each change, the moves
between machines, and the answer's way back.

  --from SOURCE    a Pod (name, ns/name or a unique prefix), a Node, or an IP outside the cluster
  --to DEST:PORT   a Service (name or ns/name) or an IP, and a port
  --proto P        tcp (default) or udp
  --via NODE       the Node an outside client's packet enters by
  --sport N        the client's source port
  --count N        send N new connections (1 to ${MAX_SEND_COUNT}) and print where they landed
  --all            also list the rules that did not match, and chain returns
  --json           {"reached","verdict","hops":[...]}; with --count {"landed","dropped","rejected"}
  --seed N         the seed for names, addresses and the statistic match (default 1)
  --mode M         run every Node's kube-proxy in mode M (iptables, ipvs or nftables)

Unknown source or destination, bad manifests, unreadable files: a message on stderr, exit status 1.
`

// ---------------------------------------------------------------------------------------------- run

export async function run(args: string[], io: CliIO): Promise<number> {
  if (wantsHelp(args)) { io.out(HELP); return 0 }
  const o = parseOptions(args)
  if (typeof o === 'string') { io.err(`error: ${o}\n${USAGE}`); return 2 }

  const sim = Simulation.create({ seed: o.seed ?? 1 })
  if (!applyManifestFiles(sim, o.files, io)) return 1

  if (o.mode && sim.snapshot().kubeProxyConfig.mode !== o.mode) {
    // JSON is YAML: the configuration as it is, with the mode replaced.
    const outcome = sim.apply(JSON.stringify({ ...sim.snapshot().kubeProxyConfig, apiVersion: 'kubeproxy.config.k8s.io/v1alpha1', kind: 'KubeProxyConfiguration', mode: o.mode }))
    if (!outcome.ok) {
      io.err(outcome.errors.map((e) => `error: --mode ${o.mode}: ${formatManifestError(e)}\n`).join(''))
      return 1
    }
  }
  const spec: JourneySpec = { from: o.from!, to: o.to!, port: o.port!, proto: o.proto }
  if (o.via !== undefined) spec.via = o.via
  if (o.sport !== undefined) spec.sport = o.sport
  try {
    if (o.count !== undefined) {
      const r = sim.sendMany(spec, o.count)
      const landed: Record<string, number> = { ...r.landed, ...r.elsewhere }
      if (o.json) {
        io.out(`${JSON.stringify({ landed, dropped: r.dropped, rejected: r.rejected }, null, 2)}\n`)
      } else {
        const names = Object.keys(landed).sort()
        const width = Math.max(8, ...names.map((n) => n.length))
        const lines = [`${o.count} connections ${o.proto} ${o.from} → ${o.to}:${o.port}`]
        const expected = r.expected?.shares
        if (r.expected) lines.push(`expected shares from ${r.expected.node} ${r.expected.where} (${r.expected.how})`)
        for (const name of new Set([...names, ...Object.keys(expected ?? {})])) {
          const n = landed[name] ?? 0
          const share = expected?.[name] !== undefined ? `  expected ${(100 * expected[name]).toFixed(1).padStart(5)}%` : ''
          lines.push(`  ${name.padEnd(width)}  ${String(n).padStart(7)}  ${(100 * n / o.count).toFixed(1).padStart(5)}%${share}`)
        }
        lines.push(`  ${'dropped'.padEnd(width)}  ${String(r.dropped).padStart(7)}`, `  ${'rejected'.padEnd(width)}  ${String(r.rejected).padStart(7)}`)
        io.out(lines.join('\n') + '\n')
      }
      return 0
    }
    const j = sim.sendJourney(spec)
    if (o.json) {
      io.out(`${JSON.stringify({
        reached: j.reachedPod, verdict: j.verdict, hops: j.hops,
        summary: j.summary, sport: j.sport, rejectKind: j.rejectKind, reply: j.reply ?? null,
      }, null, 2)}\n`)
    } else {
      io.out(journeyTranscript(j, { all: o.all }))
    }
    return 0
  } catch (e) {
    if (e instanceof JourneyError) {
      io.err(`error: ${e.message}\n`)
      return 1
    }
    throw e
  }
}
