import { describe, expect, it } from 'vitest'
import { journeySimulation } from './test-support/scenario.ts'
import { journeyTranscript } from './transcript.ts'

describe('journey transcript', () => {
  it('lists matched rules by default, and with all: also the rules that did not match, saying which clause failed', () => {
    const sim = journeySimulation()
    const j = sim.sendJourney({ from: 'client', to: 'nginx-service', port: 80 })
    const short = journeyTranscript(j)
    const long = journeyTranscript(j, { all: true })
    const kubernetesRule = /kind-worker nat KUBE-SERVICES #1: -A KUBE-SERVICES -d 10\.96\.0\.1\/32 .* ✗ (.+)$/m
    expect(short).not.toMatch(kubernetesRule)
    expect(long.match(kubernetesRule)?.[1]).toMatch(/10\.96\.0\.1/)
    for (const t of [short, long]) {
      expect(t.split('\n')[0]).toBe(`journey: tcp ${j.resolved.src}:${j.sport} → ${j.resolved.dst}:80 (Service default/nginx-service port 80, cluster IP)`)
      expect(t).toContain(`\nresult: ${j.summary}\n`)
      // Every hop is numbered by its index in the journey, so the text and the JSON hops line up.
      for (const m of t.matchAll(/^ {0,3}(\d+) {2}(.*)$/gm)) expect(j.hops[Number(m[1]) - 1]).toBeDefined()
    }
    expect(long.split('\n').length).toBeGreaterThan(short.split('\n').length)
  })
})
