import { describe, expect, it } from 'vitest'
import { Simulation } from '../../engine/simulation/simulation.ts'
import { DEFAULT_MANIFEST } from '../../state/default-scenario.ts'
import { chainVisit, conntrackEntryAt, conntrackLine, conntrackStateAt, fieldChanges, hopTitle, journeyTranscript, whyNoMatch } from './journey-model.ts'

function nginxJourney(from = 'kind-control-plane') {
  const sim = Simulation.create({ seed: 1 })
  sim.apply(DEFAULT_MANIFEST)
  return sim.sendJourney({ from, to: 'default/nginx-service', port: 80, proto: 'tcp' })
}

describe('a journey from a Node to the nginx Service, as the player shows it', () => {
  const journey = nginxJourney()
  const dnatStep = journey.hops.findIndex((h) => h.kind === 'rule' && h.chain?.startsWith('KUBE-SEP-') && h.changed.includes('dst'))
  const dnat = journey.hops[dnatStep]

  it('calls out the DNAT: destination from the cluster IP to the Pod\'s IP', () => {
    const serviceIP = journey.resolved.dst
    const podIP = journey.reached?.kind === 'pod' ? journey.reached.ip : ''
    expect(fieldChanges(dnat)).toContainEqual({ field: 'dst', before: serviceIP, after: podIP })
    expect(hopTitle(dnat)).toBe(`nat ${dnat.chain} rule ${dnat.rule}`)
  })

  it('lists the rules of the chain being evaluated, in order, with the current one among them', () => {
    const svcStep = journey.hops.findIndex((h) => h.chain?.startsWith('KUBE-SVC-') && h.matched)
    const visit = chainVisit(journey, svcStep)
    expect(visit.every((h) => h.chain === journey.hops[svcStep].chain)).toBe(true)
    expect(visit.map((h) => h.index)).toContain(svcStep)
    expect(visit.map((h) => h.rule)).toEqual([...visit.map((h) => h.rule)].sort((a, b) => (a ?? 0) - (b ?? 0)))
  })

  it('says which clause a skipped rule failed', () => {
    const skipped = journey.hops.find((h) => h.kind === 'rule' && h.matched === false)!
    const failed = skipped.clauses!.find((c) => !c.matched)!
    expect(whyNoMatch(skipped)).toBe(`${failed.clause}: ${failed.why}`)
    expect(whyNoMatch(dnat)).toBeNull()
  })

  it('knows the conntrack state and entry at a step', () => {
    const firstLookup = journey.hops.findIndex((h) => h.event === 'conntrack')
    expect(conntrackStateAt(journey, firstLookup)).toBe('NEW')
    expect(conntrackStateAt(journey, dnatStep)).toBe('NEW')
    const lastStep = journey.hops.length - 1
    expect(conntrackStateAt(journey, lastStep)).toBe('ESTABLISHED')
    const entry = conntrackEntryAt(journey, lastStep)!
    expect(conntrackLine(entry)).toMatch(/^tcp {6}6 \d+ \S+ src=\S+ dst=\S+ sport=\d+ dport=80 /)
  })

  it('reads as a transcript: the summary, then every hop of the request and the reply', () => {
    const text = journeyTranscript(journey)
    expect(text.split('\n')[0]).toBe(journey.summary)
    expect(text).toContain('Request:')
    expect(text).toContain('Reply:')
    expect(text).toContain(dnat.text)
    expect(text).toContain(`dst ${journey.resolved.dst} → `)
    for (const hop of journey.hops) expect(text).toContain(`${String(hop.index + 1).padStart(3)}  `)
  })
})
