/**
 * Scenario operations: every change a person makes to the cluster, as plain data.
 *
 * The scenario (a seed plus the list of operations) is the app's source of truth. The cluster is derived by
 * replaying the operations, in order, on `Cluster.createDefault({ seed })`; since the engine is
 * deterministic, the same scenario always gives the same names, IPs and events. That is what makes undo,
 * redo and persistence simple: they only ever deal with this small, serialisable value.
 */
import type { ClusterObjectKind } from '../engine/cluster/types.ts'

export type Operation =
  | { type: 'apply'; yaml: string }
  | { type: 'delete'; kind: ClusterObjectKind; namespace?: string; name: string }
  | { type: 'scale'; namespace: string; name: string; replicas: number }
  | { type: 'deletePod'; namespace: string; name: string }
  | { type: 'podReady'; namespace: string; name: string; ready: boolean }
  | { type: 'cordon'; node: string; on: boolean }
  | { type: 'nodeReady'; node: string; ready: boolean }
  | { type: 'advance'; seconds: number }
  /**
   * One line typed into a Node's root console (iptables, iptables-restore with its pasted input in
   * `stdin`, conntrack, ip, dmesg, clear, ...). Part of the scenario so firewall changes replay and undo.
   */
  | { type: 'console'; node: string; line: string; stdin?: string }
  /**
   * A packet sent through the cluster (the first packet of a new connection, and the answer): it changes
   * conntrack, rule counters and affinity lists, so it is part of the scenario. With `count`, that many new
   * connections (load balancing). `from`: a Pod (`namespace/name`), a Node, or an outside IP; `to`: a
   * Service (`namespace/name`) or an IP.
   */
  | {
    type: 'sendPacket'; from: string; to: string; port: number; proto: 'tcp' | 'udp'; count?: number
    /** The connection's next packet (TCP: the handshake's ACK) from this source port, after its first. */
    next?: { sport: number }
  }

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
