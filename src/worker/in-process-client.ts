import { clientOver, type EngineClient } from './engine-client.ts'
import { EngineSession } from './engine-session.ts'

/** Runs the engine on this thread (unit tests, platforms without workers). Answers are still asynchronous. */
export function createInProcessEngineClient(): EngineClient {
  const session = new EngineSession()
  // structuredClone keeps the in-process client honest: nothing shared by reference, as with postMessage.
  return clientOver(async (request) => structuredClone(session.handle(structuredClone(request))), () => {})
}
