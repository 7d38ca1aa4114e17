/**
 * Scenario operations: every change a person makes to the cluster, as plain data.
 *
 * The scenario (a seed plus the list of operations) is the app's source of truth. The cluster is derived by
 * replaying the operations, in order, on `Cluster.createDefault({ seed })`; since the engine is
 * deterministic, the same scenario always gives the same names, IPs and events. That is what makes undo,
 * redo and persistence simple: they only ever deal with this small, serialisable value.
 */
import type { ScenarioOperation } from '../engine/scenario/document.ts'

/** One scenario operation (defined once, in the engine, beside the scenario document that stores it). */
export type Operation = ScenarioOperation

export interface Scenario {
  /** Seeds every random choice the engine makes (name suffixes, IPs picked from pools). */
  seed: number
  operations: Operation[]
}

export const DEFAULT_SEED = 1

/** A one-line, kubectl-flavoured description of an operation (for history lists and tooltips). */
export function describeOperation(op: Operation): string {
  switch (op.type) {
    case 'apply': {
      const documents = op.yaml.split(/^---\s*$/m).filter((d) => /\S/.test(d.replace(/#.*$/gm, ''))).length
      return `kubectl apply (${documents} document${documents === 1 ? '' : 's'})`
    }
    case 'delete':
      return `kubectl delete ${op.kind.toLowerCase()}/${op.name}`
    case 'scale':
      return `kubectl scale deployment/${op.name} --replicas=${op.replicas}`
    case 'deletePod':
      return `kubectl delete pod/${op.name}`
    case 'podReady':
      return `mark pod/${op.name} ${op.ready ? 'ready' : 'not ready'}`
    case 'cordon':
      return `kubectl ${op.on ? 'cordon' : 'uncordon'} ${op.node}`
    case 'nodeReady':
      return `${op.ready ? 'start' : 'stop'} node ${op.node}`
    case 'advance':
      return `advance the clock ${op.seconds}s`
    case 'sendPacket':
      if (op.next) return `send the next ${op.proto.toUpperCase()} packet ${op.from}:${op.next.sport} → ${op.to}:${op.port}`
      return op.count === undefined
        ? `send a ${op.proto.toUpperCase()} packet ${op.from} → ${op.to}:${op.port}`
        : `send ${op.count} ${op.proto.toUpperCase()} connections ${op.from} → ${op.to}:${op.port}`
    case 'console':
      return `${op.node}# ${op.line}${op.stdin !== undefined ? ` (${op.stdin.split('\n').filter((l) => l !== '').length} lines of input)` : ''}`
  }
}
