/**
 * The scenario's operation interpreter: one operation (scenario-document operations, document.ts) run on a
 * Simulation. Cluster changes go through the simulation so every Node's kube-proxy syncs. The engine
 * worker replays scenarios with it (worker/engine-session.ts), and lessons are checked with it in Node.
 */
import { formatManifestError, type ApplyOutcome, type ManifestError } from '../cluster/manifest-error.ts'
import { shellWords } from '../host/console.ts'
import type { Journey, JourneySpec } from '../journeys/journey.ts'
import type { LoadBalanceResult } from '../journeys/load-balancing.ts'
import type { Simulation } from '../simulation/simulation.ts'
import type { ScenarioOperation } from './document.ts'

export type SendPacketOperation = Extract<ScenarioOperation, { type: 'sendPacket' }>

/** A console line and what it printed, with its place in the scenario (the worker's ConsoleEntry is one). */
export interface ConsoleRecord {
  /** Index of the console operation in `scenario.operations`. */
  index: number
  line: string
  stdin?: string
  rc: number
  out: string
  err: string
  /** `clear`: the screen is wiped; it never reaches the node. */
  clear?: boolean
}

/**
 * What an operation did. A refused manifest comes back as data (its errors with line and column); `batch`
 * is what sending `count` connections answered (see BatchSender).
 */
export type OperationResult<Batch = LoadBalanceResult> =
  | { ok: false; message: string; errors: ManifestError[] }
  | { ok: true; applied?: Extract<ApplyOutcome, { ok: true }>; console?: ConsoleRecord; journey?: Journey; loadBalance?: Batch }

/**
 * Sends a batch of connections (`sendPacket` with `count`) and describes where they landed: by default
 * the simulation's own count; the worker adds the shares the rules give each endpoint.
 */
export type BatchSender<Batch> = (sim: Simulation, op: SendPacketOperation, count: number) => Batch

/** The journey a `sendPacket` operation asks for (`next`: the connection's next packet, same source port). */
export function journeySpecOf(op: SendPacketOperation): JourneySpec {
  const spec: JourneySpec = { from: op.from, to: op.to, port: op.port, proto: op.proto }
  return op.next ? { ...spec, sport: op.next.sport, packet: 'next' } : spec
}

const sendMany: BatchSender<LoadBalanceResult> = (sim, op, count) => sim.sendMany(journeySpecOf(op), count)

/** `clear` (after any sudo) wipes the console's screen; it never reaches the node. */
export function isClearCommand(line: string): boolean {
  const words = shellWords(line.trim()).filter((w, i, all) => !(w === 'sudo' && all.slice(0, i).every((x) => x === 'sudo')))
  return words.length === 1 && words[0] === 'clear'
}

/**
 * Runs one operation on a simulation; manifest errors come back as data, everything else throws. `index`
 * is the operation's place in the scenario, recorded with console output.
 */
export function runOperation(sim: Simulation, op: ScenarioOperation, index?: number): OperationResult
export function runOperation<Batch>(sim: Simulation, op: ScenarioOperation, index: number, sendBatch: BatchSender<Batch>): OperationResult<Batch>
export function runOperation(sim: Simulation, op: ScenarioOperation, index = 0, sendBatch: BatchSender<unknown> = sendMany): OperationResult<unknown> {
  const cluster = sim.cluster
  switch (op.type) {
    case 'apply': {
      const outcome = sim.apply(op.yaml)
      if (!outcome.ok) {
        const message = outcome.errors.length > 0 ? formatManifestError(outcome.errors[0]) : 'the manifest was rejected'
        return { ok: false, message, errors: outcome.errors }
      }
      return { ok: true, applied: outcome }
    }
    case 'delete':
      cluster.delete(op.kind, op.namespace, op.name)
      return { ok: true }
    case 'scale':
      cluster.scaleDeployment(op.namespace, op.name, op.replicas)
      return { ok: true }
    case 'deletePod':
      cluster.deletePod(op.namespace, op.name)
      return { ok: true }
    case 'podReady':
      cluster.setPodReady(op.namespace, op.name, op.ready)
      return { ok: true }
    case 'cordon':
      cluster.setNodeSchedulable(op.node, !op.on)
      return { ok: true }
    case 'nodeReady':
      cluster.setNodeReady(op.node, op.ready)
      return { ok: true }
    case 'advance':
      cluster.advanceTime(op.seconds)
      return { ok: true }
    case 'sendPacket':
      // A packet that cannot be sent (unknown Pod, no such port) throws a JourneyError: refused like any edit.
      return op.count === undefined
        ? { ok: true, journey: sim.sendJourney(journeySpecOf(op)) }
        : { ok: true, loadBalance: sendBatch(sim, op, op.count) }
    case 'console': {
      const entry: ConsoleRecord = { index, line: op.line, rc: 0, out: '', err: '' }
      if (op.stdin !== undefined) entry.stdin = op.stdin
      if (isClearCommand(op.line)) {
        sim.host(op.node) // an unknown node is refused like any other command
        entry.clear = true
      } else {
        const result = sim.runConsole(op.node, op.line, op.stdin)
        entry.rc = result.rc
        entry.out = result.out
        entry.err = result.err
      }
      return { ok: true, console: entry }
    }
  }
}
