/// <reference lib="webworker" />
/**
 * The engine's home in the browser: a dedicated worker, so replaying a scenario never blocks the UI.
 */
import { EngineSession } from './engine-session.ts'
import type { RequestEnvelope, ResponseEnvelope } from './protocol.ts'

const session = new EngineSession()
const scope = self as unknown as DedicatedWorkerGlobalScope

scope.onmessage = (event: MessageEvent<RequestEnvelope>) => {
  const { id, request } = event.data
  let reply: ResponseEnvelope
  try {
    reply = { id, ok: true, response: session.handle(request) }
  } catch (err) {
    reply = { id, ok: false, error: err instanceof Error ? err.message : String(err) }
  }
  scope.postMessage(reply)
}
