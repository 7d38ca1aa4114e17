/**
 * The engine side of the protocol: owns a Simulation (the cluster plus, per Node, a host whose netfilter
 * rules kube-proxy keeps in step) and answers requests. Shared by the Web Worker and the in-process client
 * (unit tests, environments without workers), so both behave identically.
 */
import { journeyTranscript } from '../engine/journeys/transcript.ts'
import { clusterImportOperations } from '../engine/scenario/import-cluster.ts'
import { runOperation, type OperationResult } from '../engine/scenario/run-operation.ts'
import { Simulation } from '../engine/simulation/simulation.ts'
import type { ConsoleEntry, NodeRequest, NodeResponse } from './node-protocol.ts'
import { consoleEntryView, firstLines, serviceChains, syncViews, tableView } from './node-queries.ts'
import { loadBalance } from './journey-queries.ts'
import type { CompareRequest, CompareResponse } from './compare-protocol.ts'
import { compareModes, scalingCache } from './compare-queries.ts'
import { measureRulesPerPacket } from '../engine/kube-proxy/compare.ts'
import type { Operation, Scenario } from './operations.ts'
import type { ClusterView, EngineRequest, EngineResponse, LoadBalanceView, ReplayIssue, TryResult } from './protocol.ts'

type SessionResult = OperationResult<LoadBalanceView>

/** Runs one operation; a batch of connections is described with the shares the rules give (journey-queries.ts). */
function run(sim: Simulation, op: Operation, index: number): SessionResult {
  return runOperation(sim, op, index, loadBalance)
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

interface Replayed {
  seed: number
  /** JSON of each operation already applied to `cluster`, to recognise a scenario that only grew. */
  keys: string[]
  sim: Simulation
  issues: ReplayIssue[]
  /** Console lines typed on each node, with their output (derived by replay, like everything else). */
  consoles: Map<string, ConsoleEntry[]>
}

function record(replayed: Replayed, node: string, entry: ConsoleEntry): void {
  const list = replayed.consoles.get(node)
  if (list) list.push(entry)
  else replayed.consoles.set(node, [entry])
}

function copyConsoles(consoles: Map<string, ConsoleEntry[]>): Map<string, ConsoleEntry[]> {
  return new Map([...consoles].map(([node, entries]) => [node, [...entries]]))
}

export class EngineSession {
  private last: Replayed | null = null
  /** The compare chart's figures: 10,000 Services take seconds to build, so each is measured once. */
  private readonly rulesScaling = scalingCache(measureRulesPerPacket)

  handle(request: EngineRequest): EngineResponse {
    switch (request.type) {
      case 'replay':
        return { type: 'replay', view: this.view(this.replay(request.scenario)) }
      case 'try':
        return { type: 'try', result: this.try(request.scenario, request.operation) }
      case 'importCluster':
        return { type: 'importCluster', result: clusterImportOperations(request.text, request.seed) }
      case 'journeyTranscript':
        return { type: 'journeyTranscript', text: journeyTranscript(request.journey) }
      case 'compareModes':
      case 'rulesScaling':
        return this.handleCompare(request)
      default:
        return this.handleNode(request)
    }
  }

  /** The node requests (node-protocol.ts): console transcripts, rule sets, iptables-save, sync records. */
  handleNode(request: NodeRequest): NodeResponse {
    const replayed = this.replay(request.scenario)
    const sim = replayed.sim
    switch (request.type) {
      case 'nodeConsole':
        sim.host(request.node)
        return { type: 'nodeConsole', entries: (replayed.consoles.get(request.node) ?? []).map(consoleEntryView) }
      case 'nodeTable':
        return { type: 'nodeTable', table: tableView(sim.host(request.node).ruleset, request.node, request.query) }
      case 'nodeSave':
        return { type: 'nodeSave', ...firstLines(sim.iptablesSave(request.node, { counters: request.counters }), request.maxLines) }
      case 'nodeSyncs':
        return { type: 'nodeSyncs', syncs: syncViews(sim.syncRecords(request.node)) }
      case 'serviceChains':
        // Only the chains that exist (a ClusterIP Service has no KUBE-EXT-, a Service without endpoints no KUBE-SVC-).
        return { type: 'serviceChains', chains: serviceChains(sim, request.namespace, request.name) }
    }
  }

  /** The compare view: the packet under each mode on copies of the replayed cluster (never the cluster itself). */
  handleCompare(request: CompareRequest): CompareResponse {
    switch (request.type) {
      case 'compareModes':
        return { type: 'compareModes', results: compareModes(this.replay(request.scenario).sim, request.modes, request.packet) }
      case 'rulesScaling':
        return { type: 'rulesScaling', measured: this.rulesScaling(request.mode, request.services) }
    }
  }

  /**
   * Replays a scenario. The common case (one operation appended, usually just validated by `try`) reuses
   * the previous cluster instead of starting again; undo replays from the start, which is cheap at the sizes
   * a person builds by hand.
   */
  private replay(scenario: Scenario): Replayed {
    const keys = scenario.operations.map((op) => JSON.stringify(op))
    const last = this.last
    let base: Replayed
    if (last && last.seed === scenario.seed && last.keys.length <= keys.length && last.keys.every((k, i) => k === keys[i])) {
      if (last.keys.length === keys.length) return last
      base = { seed: last.seed, keys: [...last.keys], sim: last.sim.clone(), issues: [...last.issues], consoles: copyConsoles(last.consoles) }
    } else {
      base = { seed: scenario.seed, keys: [], sim: Simulation.create({ seed: scenario.seed }), issues: [], consoles: new Map() }
    }
    for (let i = base.keys.length; i < scenario.operations.length; i++) {
      try {
        const op = scenario.operations[i]
        const result = run(base.sim, op, i)
        if (!result.ok) base.issues.push({ index: i, message: result.message })
        else if (op.type === 'console' && 'console' in result && result.console) record(base, op.node, result.console)
      } catch (err) {
        base.issues.push({ index: i, message: errorMessage(err) })
      }
      base.keys.push(keys[i])
    }
    this.last = base
    return base
  }

  private try(scenario: Scenario, operation: Operation): TryResult {
    const base = this.replay(scenario)
    // A sent packet is refused (unknown Pod, no such port) before it touches anything, so it runs on the
    // current simulation itself: cloning replays every earlier journey (after 10,000 connections that costs
    // seconds), and the cached replay is replaced by the result below anyway.
    // A console line likewise: only an unknown node refuses it, and that is checked before anything runs.
    const sim = operation.type === 'sendPacket' || operation.type === 'console' ? base.sim : base.sim.clone()
    let result: SessionResult
    try {
      result = run(sim, operation, base.keys.length)
    } catch (err) {
      // Whatever a refused packet may have left behind, the next replay starts afresh.
      if (sim === base.sim) this.last = null
      return { ok: false, message: errorMessage(err), errors: [] }
    }
    if (!result.ok) return result
    // Remember the result: the UI will now append the operation and ask for exactly this replay.
    const next: Replayed = { seed: base.seed, keys: [...base.keys, JSON.stringify(operation)], sim, issues: base.issues, consoles: copyConsoles(base.consoles) }
    if (operation.type === 'console' && 'console' in result && result.console) record(next, operation.node, result.console)
    this.last = next
    return {
      ok: true, view: this.view(next),
      ...('applied' in result && result.applied ? { applied: result.applied } : {}),
      ...('journey' in result && result.journey ? { journey: result.journey } : {}),
      ...('loadBalance' in result && result.loadBalance ? { loadBalance: result.loadBalance } : {}),
    }
  }

  private view(replayed: Replayed): ClusterView {
    const cluster = replayed.sim.cluster
    return { snapshot: cluster.snapshot(), events: cluster.eventLog(), now: cluster.now(), replayIssues: replayed.issues }
  }
}
