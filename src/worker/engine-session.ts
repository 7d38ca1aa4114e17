/**
 * The engine side of the protocol: owns a Cluster and answers requests. Shared by the Web Worker and the
 * in-process client (unit tests, environments without workers), so both behave identically.
 */
import { Cluster, formatManifestError } from '../engine/cluster/cluster.ts'
import type { Operation, Scenario } from './operations.ts'
import type { AppliedSummary, ClusterView, EngineRequest, EngineResponse, ReplayIssue, TryResult } from './protocol.ts'

/** Runs one operation on a cluster; manifest errors come back as data, everything else throws. */
export function runOperation(cluster: Cluster, op: Operation): TryResult | { ok: true; applied?: AppliedSummary } {
  switch (op.type) {
    case 'apply': {
      const outcome = cluster.apply(op.yaml)
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
  }
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

interface Replayed {
  seed: number
  /** JSON of each operation already applied to `cluster`, to recognise a scenario that only grew. */
  keys: string[]
  cluster: Cluster
  issues: ReplayIssue[]
}

export class EngineSession {
  private last: Replayed | null = null

  handle(request: EngineRequest): EngineResponse {
    switch (request.type) {
      case 'replay':
        return { type: 'replay', view: this.view(this.replay(request.scenario)) }
      case 'try':
        return { type: 'try', result: this.try(request.scenario, request.operation) }
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
      base = { seed: last.seed, keys: [...last.keys], cluster: last.cluster.clone(), issues: [...last.issues] }
    } else {
      base = { seed: scenario.seed, keys: [], cluster: Cluster.createDefault({ seed: scenario.seed }), issues: [] }
    }
    for (let i = base.keys.length; i < scenario.operations.length; i++) {
      try {
        const result = runOperation(base.cluster, scenario.operations[i])
        if (!result.ok) base.issues.push({ index: i, message: result.message })
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
    const cluster = base.cluster.clone()
    let result: ReturnType<typeof runOperation>
    try {
      result = runOperation(cluster, operation)
    } catch (err) {
      return { ok: false, message: errorMessage(err), errors: [] }
    }
    if (!result.ok) return result
    // Remember the result: the UI will now append the operation and ask for exactly this replay.
    const next: Replayed = { seed: base.seed, keys: [...base.keys, JSON.stringify(operation)], cluster, issues: base.issues }
    this.last = next
    return { ok: true, view: this.view(next), ...(result.applied ? { applied: result.applied } : {}) }
  }

  private view(replayed: Replayed): ClusterView {
    const { cluster } = replayed
    return { snapshot: cluster.snapshot(), events: cluster.eventLog(), now: cluster.now(), replayIssues: replayed.issues }
  }
}
