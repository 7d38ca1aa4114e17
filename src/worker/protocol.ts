/**
 * The typed messages between the UI and the engine worker. Every request carries an id; the worker answers
 * each request exactly once with the same id, either with a response or with an error message.
 */
import type { ApplyOutcome, ManifestError } from '../engine/cluster/cluster.ts'
import type { ClusterEventRecord, ClusterSnapshot } from '../engine/cluster/types.ts'
import type { Journey } from '../engine/journeys/journey.ts'
import type { LoadBalanceResult } from '../engine/journeys/load-balancing.ts'
import type { ClusterImport } from '../engine/scenario/import-cluster.ts'
import type { CompareRequest, CompareResponse } from './compare-protocol.ts'
import type { NodeRequest, NodeResponse } from './node-protocol.ts'
import type { Operation, Scenario } from './operations.ts'

export type EngineRequest =
  /** Replay a scenario and describe the resulting cluster. */
  | { type: 'replay'; scenario: Scenario }
  /**
   * Try one more operation on top of a scenario without committing to anything: the UI appends the
   * operation to its scenario only when this succeeds, so an invalid manifest never enters the history.
   */
  | { type: 'try'; scenario: Scenario; operation: Operation }
  /**
   * The operations that recreate the cluster a `kubectl get nodes,pods,services,endpointslices -A -o yaml`
   * List describes, on the base cluster of `seed` (import-cluster.ts); or why the text cannot be imported.
   */
  | { type: 'importCluster'; text: string; seed: number }
  /** A journey as readable text, as the command line prints it (journeys/transcript.ts). */
  | { type: 'journeyTranscript'; journey: Journey }
  /** A Node's console, rules, iptables-save and kube-proxy syncs (node-protocol.ts). */
  | NodeRequest
  /** The compare view: one packet under two kube-proxy modes, and the rules-per-packet chart (compare-protocol.ts). */
  | CompareRequest

/** An operation of a stored scenario that the engine refused on replay (e.g. saved by an older version). */
export interface ReplayIssue {
  /** Index in `scenario.operations`. */
  index: number
  message: string
}

/** What the UI shows of a cluster: all plain, structured-cloneable data. */
export interface ClusterView {
  snapshot: ClusterSnapshot
  events: ClusterEventRecord[]
  /** The cluster's clock (RFC 3339), for ages such as the event log's LAST SEEN. */
  now: string
  replayIssues: ReplayIssue[]
}

export type AppliedSummary = Extract<ApplyOutcome, { ok: true }>

/** Where N connections landed, and the share the statistic cascade gives each endpoint. */
export interface LoadBalanceView {
  result: LoadBalanceResult
  /**
   * The endpoints of the Service's load-balancing choice (iptables: the KUBE-SVC- or KUBE-SVL- chain's
   * affinity rules and statistic cascade; nftables: its service chain; IPVS: its virtual server), in rule
   * order, each once, with the share of new connections the rules give it. Empty when the destination is
   * not a Service.
   */
  expected: ExpectedShare[]
  /** The chain (or virtual server) the shares come from. */
  chain: string | null
  /** The Node where the choice is made (where the connections enter when there is none). */
  node: string
}

export interface ExpectedShare {
  /** The endpoint's Pod name (or its address when no Pod has it). */
  pod: string
  endpoint: string
  share: number
}

export type TryResult =
  /** `journey`: what a sent packet did; `loadBalance`: where a batch of connections landed. */
  | { ok: true; view: ClusterView; applied?: AppliedSummary; journey?: Journey; loadBalance?: LoadBalanceView }
  /** `errors` holds manifest errors with line and column; `message` is a one-line summary for any failure. */
  | { ok: false; message: string; errors: ManifestError[] }

export type EngineResponse =
  | { type: 'replay'; view: ClusterView }
  | { type: 'try'; result: TryResult }
  | { type: 'importCluster'; result: ClusterImport }
  | { type: 'journeyTranscript'; text: string }
  | NodeResponse
  | CompareResponse

export interface RequestEnvelope {
  id: number
  request: EngineRequest
}

export type ResponseEnvelope = { id: number; ok: true; response: EngineResponse } | { id: number; ok: false; error: string }
