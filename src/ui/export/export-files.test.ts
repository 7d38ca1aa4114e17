import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { Simulation } from '../../engine/simulation/simulation.ts'
import { exportFileName, kernelTraceText } from './export-files.ts'

describe('trace export', () => {
  it('is the journey\'s xtables-monitor --trace lines, in hop order, ending with a newline', () => {
    const sim = Simulation.create({ seed: 1 })
    sim.apply(readFileSync(join(import.meta.dirname, '..', '..', '..', 'scenarios', 'nginx-clusterip.yaml'), 'utf8'))
    const journey = sim.sendJourney({ from: 'kind-worker', to: 'nginx-service', port: 80 })
    const text = kernelTraceText(journey)
    expect(text.endsWith('\n')).toBe(true)
    const lines = text.trimEnd().split('\n')
    expect(lines[0]).toMatch(/^PACKET: 2 [0-9a-f]{8} OUT=eth0 SRC=172\.18\.0\.3 DST=10\.96\.\d+\.\d+ /)
    const rules = lines.filter((l) => l.startsWith(' TRACE: '))
    expect(rules.length).toBe(journey.hops.filter((h) => h.kernelTrace).flatMap((h) => h.kernelTrace!.split('\n')).filter((l) => l.startsWith(' TRACE: ')).length)
    expect(rules.findIndex((l) => l.includes('nat:KUBE-SERVICES:rule:'))).toBeLessThan(rules.findIndex((l) => /nat:KUBE-SEP-\w+:rule:0x[0-9a-f]+:ACCEPT/.test(l)))
  })
})

describe('export file names', () => {
  it('are lowercase words joined by dashes', () => {
    expect(exportFileName(['kind-worker', 'iptables-save'], 'txt')).toBe('kind-worker-iptables-save.txt')
    expect(exportFileName(['My Lesson: step 2'], 'yaml')).toBe('my-lesson-step-2.yaml')
    expect(exportFileName(['///'], 'png')).toBe('export.png')
  })
})
