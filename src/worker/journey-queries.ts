/**
 * The player's side of the engine session: running a `sendPacket` operation on the simulation, and the
 * share of connections each endpoint should get, as the engine reads it from the rules of the node that
 * chose the endpoint (journeys/load-balancing.ts: every proxy mode, session affinity included).
 */
import type { JourneySpec } from '../engine/journeys/journey.ts'
import { resolveJourney } from '../engine/journeys/journey.ts'
import type { Simulation } from '../engine/simulation/simulation.ts'
import type { Operation } from './operations.ts'
import type { LoadBalanceView } from './protocol.ts'

type SendPacket = Extract<Operation, { type: 'sendPacket' }>

export function specOf(op: SendPacket): JourneySpec {
  const spec: JourneySpec = { from: op.from, to: op.to, port: op.port, proto: op.proto }
  return op.next ? { ...spec, sport: op.next.sport, packet: 'next' } : spec
}

/** Send N connections and describe where they landed against the shares the rules give each endpoint. */
export function loadBalance(sim: Simulation, op: SendPacket, count: number): LoadBalanceView {
  const spec = specOf(op)
  const entry = resolveJourney(sim.snapshot(), spec).entry.node
  const result = sim.sendMany(spec, count)
  const e = result.expected
  if (!e) return { result, expected: [], chain: null, node: entry }
  const expected = Object.entries(e.shares).map(([pod, share]) => ({ pod, endpoint: e.endpoints[pod], share }))
  return { result, expected, chain: e.chain, node: e.node }
}
