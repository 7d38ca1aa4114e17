/**
 * The player's side of the engine session: a batch of connections (`sendPacket` with a count) and the share
 * each endpoint should get, as the engine reads it from the rules of the node that chose the endpoint
 * (journeys/load-balancing.ts: every proxy mode, session affinity included).
 */
import { resolveJourney } from '../engine/journeys/journey.ts'
import { journeySpecOf } from '../engine/scenario/run-operation.ts'
import type { SendPacketOperation } from '../engine/scenario/run-operation.ts'
import type { Simulation } from '../engine/simulation/simulation.ts'
import type { LoadBalanceView } from './protocol.ts'

/** Send N connections and describe where they landed against the shares the rules give each endpoint. */
export function loadBalance(sim: Simulation, op: SendPacketOperation, count: number): LoadBalanceView {
  const spec = journeySpecOf(op)
  const entry = resolveJourney(sim.snapshot(), spec).entry.node
  const result = sim.sendMany(spec, count)
  const e = result.expected
  if (!e) return { result, expected: [], chain: null, node: entry }
  const expected = Object.entries(e.shares).map(([pod, share]) => ({ pod, endpoint: e.endpoints[pod], share }))
  return { result, expected, chain: e.chain, node: e.node }
}
