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

function parseArgs(args: string[]): Options | string {
  const o: Options = { files: [], proto: 'tcp', json: false, all: false }
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]
    const eq = arg.indexOf('=')
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg
    const value = (): string | undefined => (eq > 0 && arg.startsWith('--') ? arg.slice(eq + 1) : args[++i])
    const int = (name: string, min: number, max: number): number | string => {
      const v = value()
      if (v === undefined || !/^-?\d+$/.test(v)) return `${name} needs an integer, got ${v === undefined ? 'nothing' : JSON.stringify(v)}`
      const n = Number(v)
      if (n < min || n > max) return `${name} must be between ${min} and ${max}, got ${n}`
      return n
    }
    switch (flag) {
      case '--json': o.json = true; break
      case '--all': o.all = true; break
      case '--from': {
        const v = value()
        if (!v) return '--from needs a source (a Pod, a Node or an IP)'
        o.from = v
        break
      }
      case '--via': {
        const v = value()
        if (!v) return '--via needs a Node name'
        o.via = v
        break
      }
      case '--to': {
        const v = value()
        const m = v ? /^(.+):(\d+)$/.exec(v) : null
        if (!m) return `--to needs DEST:PORT (a Service or an IP, and a port), got ${v === undefined ? 'nothing' : JSON.stringify(v)}`
        const port = Number(m[2])
        if (port < 1 || port > 65535) return `invalid port ${m[2]}: expected 1-65535`
        o.to = m[1]
        o.port = port
        break
      }
      case '--proto': {
        const v = value()?.toLowerCase()
        if (v !== 'tcp' && v !== 'udp') return `--proto must be tcp or udp, got ${v === undefined ? 'nothing' : JSON.stringify(v)}`
        o.proto = v
        break
      }
      case '--seed': {
        const n = int('--seed', -(2 ** 31), 2 ** 32 - 1)
        if (typeof n === 'string') return n
        o.seed = n
        break
      }
      case '--count': {
        const n = int('--count', 1, 1_000_000)
        if (typeof n === 'string') return n
        o.count = n
        break
      }
      case '--mode': {
        const v = value()
        if (!PROXY_MODES.includes(v as ProxyMode)) return `--mode must be iptables, ipvs or nftables, got ${v === undefined ? 'nothing' : JSON.stringify(v)}`
        o.mode = v as ProxyMode
        break
      }
      case '--sport': {
        const n = int('--sport', 1, 65535)
        if (typeof n === 'string') return n
        o.sport = n
        break
      }
      default:
        if (arg.startsWith('-') && arg !== '-') return `unknown flag ${arg}`
        o.files.push(arg)
    }
  }
  if (o.files.length === 0) return 'no manifest file given'
  if (!o.from) return '--from SOURCE is required'
  if (!o.to) return '--to DEST:PORT is required'
  return o
}

// ---------------------------------------------------------------------------------------------- run

export async function run(args: string[], io: CliIO): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) { io.out(USAGE); return 0 }
  const o = parseArgs(args)
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
