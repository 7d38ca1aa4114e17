import { describe, expect, it } from 'vitest'
import nginx from '../../scenarios/nginx-clusterip.yaml?raw'
import { createWorkerEngineClient } from './engine-client.ts'
import { EngineSession } from './engine-session.ts'
import type { RequestEnvelope, ResponseEnvelope } from './protocol.ts'

/**
 * A stand-in for the engine worker that answers through the real session, but holds replies back and
 * delivers them in reverse order: the client must match replies to requests by id, not by arrival.
 */
function reversingWorker() {
  const session = new EngineSession()
  const held: ResponseEnvelope[] = []
  const worker = {
    onmessage: null as ((event: MessageEvent<ResponseEnvelope>) => void) | null,
    onerror: null as ((event: ErrorEvent) => void) | null,
    terminated: false,
    /** Makes the next request fail inside the worker, as an engine bug would. */
    crashNext: false,
    postMessage(envelope: RequestEnvelope) {
      try {
        if (worker.crashNext) { worker.crashNext = false; throw new Error('boom in the engine') }
        held.push({ id: envelope.id, ok: true, response: session.handle(structuredClone(envelope.request)) })
      } catch (err) {
        held.push({ id: envelope.id, ok: false, error: (err as Error).message })
      }
    },
    flush() {
      for (const reply of held.reverse().splice(0)) worker.onmessage?.({ data: structuredClone(reply) } as MessageEvent<ResponseEnvelope>)
    },
    terminate() { worker.terminated = true },
  }
  return worker
}

describe('the worker engine client', () => {
  it('matches each reply to its request, whatever order replies arrive in', async () => {
    const worker = reversingWorker()
    const client = createWorkerEngineClient(worker as unknown as Worker)
    const two = client.replay({ seed: 1, operations: [{ type: 'apply', yaml: nginx }] })
    const four = client.replay({ seed: 1, operations: [{ type: 'apply', yaml: nginx }, { type: 'scale', namespace: 'default', name: 'nginx-deployment', replicas: 4 }] })
    worker.flush()
    const nginxPods = (view: Awaited<typeof two>) => view.snapshot.pods.filter((p) => p.metadata.name.startsWith('nginx-deployment-')).length
    expect(nginxPods(await two)).toBe(2)
    expect(nginxPods(await four)).toBe(4)
  })

  it('answers a refused operation as data, and an engine failure as a rejected promise', async () => {
    const worker = reversingWorker()
    const client = createWorkerEngineClient(worker as unknown as Worker)
    const refused = client.try({ seed: 1, operations: [] }, { type: 'apply', yaml: 'kind: Service\napiVersion: v1\nmetadata:\n  name: x\n' })
    worker.crashNext = false
    worker.flush()
    expect((await refused).ok).toBe(false)

    worker.crashNext = true
    const crashed = client.replay({ seed: 1, operations: [] })
    worker.flush()
    await expect(crashed).rejects.toThrow('boom in the engine')

    client.dispose()
    expect(worker.terminated).toBe(true)
  })
})
