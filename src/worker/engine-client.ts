/**
 * The only way the UI reaches the engine: promise-based requests, answered by the engine worker or, where
 * there are no workers (unit tests under happy-dom or Node), by the same session running in-process.
 */
import type { Journey } from '../engine/journeys/journey.ts'
import type { ClusterImport } from '../engine/scenario/import-cluster.ts'
import type { CompareRequest, CompareResponse } from './compare-protocol.ts'
import type { NodeRequest, NodeResponse } from './node-protocol.ts'
import type { Operation, Scenario } from './operations.ts'
import type { ClusterView, EngineRequest, EngineResponse, RequestEnvelope, ResponseEnvelope, TryResult } from './protocol.ts'

export interface EngineClient {
  replay(scenario: Scenario): Promise<ClusterView>
  try(scenario: Scenario, operation: Operation): Promise<TryResult>
  /** A kubectl List as the operations that recreate its cluster, or why not (the text is parsed in the worker). */
  importCluster(text: string, seed: number): Promise<ClusterImport>
  /** A journey as the command line prints it. */
  journeyTranscript(journey: Journey): Promise<string>
  /** A question about one Node (console, rules, iptables-save, syncs) or a Service's chains. */
  node<T extends NodeRequest['type']>(request: Extract<NodeRequest, { type: T }>): Promise<Extract<NodeResponse, { type: T }>>
  /** The compare view's questions: a packet under several kube-proxy modes, the rules-per-packet chart. */
  compare<T extends CompareRequest['type']>(request: Extract<CompareRequest, { type: T }>): Promise<Extract<CompareResponse, { type: T }>>
  dispose(): void
}

export type Send = (request: EngineRequest) => Promise<EngineResponse>

export function clientOver(send: Send, dispose: () => void): EngineClient {
  return {
    async replay(scenario) {
      const response = await send({ type: 'replay', scenario })
      if (response.type !== 'replay') throw new Error(`engine answered ${response.type} to replay`)
      return response.view
    },
    async try(scenario, operation) {
      const response = await send({ type: 'try', scenario, operation })
      if (response.type !== 'try') throw new Error(`engine answered ${response.type} to try`)
      return response.result
    },
    async importCluster(text, seed) {
      const response = await send({ type: 'importCluster', text, seed })
      if (response.type !== 'importCluster') throw new Error(`engine answered ${response.type} to importCluster`)
      return response.result
    },
    async journeyTranscript(journey) {
      const response = await send({ type: 'journeyTranscript', journey })
      if (response.type !== 'journeyTranscript') throw new Error(`engine answered ${response.type} to journeyTranscript`)
      return response.text
    },
    async node<T extends NodeRequest['type']>(request: Extract<NodeRequest, { type: T }>) {
      const response = await send(request)
      if (response.type !== request.type) throw new Error(`engine answered ${response.type} to ${request.type}`)
      return response as Extract<NodeResponse, { type: T }>
    },
    async compare<T extends CompareRequest['type']>(request: Extract<CompareRequest, { type: T }>) {
      const response = await send(request)
      if (response.type !== request.type) throw new Error(`engine answered ${response.type} to ${request.type}`)
      return response as Extract<CompareResponse, { type: T }>
    },
    dispose,
  }
}

export function createWorkerEngineClient(worker: Worker): EngineClient {
  let nextId = 1
  const pending = new Map<number, { resolve: (r: EngineResponse) => void; reject: (e: Error) => void }>()
  worker.onmessage = (event: MessageEvent<ResponseEnvelope>) => {
    const reply = event.data
    const waiter = pending.get(reply.id)
    if (!waiter) return
    pending.delete(reply.id)
    if (reply.ok) waiter.resolve(reply.response)
    else waiter.reject(new Error(reply.error))
  }
  worker.onerror = (event) => {
    const error = new Error(`engine worker failed: ${event.message}`)
    for (const waiter of pending.values()) waiter.reject(error)
    pending.clear()
  }
  const send: Send = (request) =>
    new Promise((resolve, reject) => {
      const id = nextId++
      pending.set(id, { resolve, reject })
      const envelope: RequestEnvelope = { id, request }
      worker.postMessage(envelope)
    })
  return clientOver(send, () => worker.terminate())
}

/**
 * The engine in a Web Worker when the platform has them, else in-process. The in-process engine is
 * imported on demand, so the page's own bundle never carries the engine (it ships in the worker's chunk).
 */
export function createEngineClient(): EngineClient {
  if (typeof Worker === 'undefined') {
    const loaded = import('./in-process-client.ts').then((m) => m.createInProcessEngineClient())
    return {
      replay: async (scenario) => (await loaded).replay(scenario),
      try: async (scenario, operation) => (await loaded).try(scenario, operation),
      importCluster: async (text, seed) => (await loaded).importCluster(text, seed),
      journeyTranscript: async (journey) => (await loaded).journeyTranscript(journey),
      node: async (request) => (await loaded).node(request),
      compare: async (request) => (await loaded).compare(request),
      dispose: () => void loaded.then((client) => client.dispose()),
    }
  }
  const worker = new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module', name: 'engine' })
  return createWorkerEngineClient(worker)
}
