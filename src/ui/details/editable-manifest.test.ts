import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { Cluster } from '../../engine/cluster/cluster.ts'
import nginx from '../../../scenarios/nginx-clusterip.yaml?raw'
import { editableManifest } from './editable-manifest.ts'

describe('editableManifest', () => {
  const cluster = Cluster.createDefault({ seed: 1 })
  cluster.apply(nginx)
  const service = cluster.snapshot().services.find((s) => s.metadata.name === 'nginx-service')!

  it('keeps what a person writes and drops what the server owns', () => {
    const doc = parse(editableManifest(service)) as Record<string, Record<string, unknown>>
    expect(doc.apiVersion).toBe('v1')
    expect(doc.kind).toBe('Service')
    expect(doc.metadata).toEqual({ name: 'nginx-service', namespace: 'default' })
    expect(doc.spec.selector).toEqual({ app: 'nginx' })
    expect(doc.status).toBeUndefined()
  })

  it('applies back to the cluster without changing the Service', () => {
    const copy = cluster.clone()
    const outcome = copy.apply(editableManifest(service))
    expect(outcome.ok).toBe(true)
    expect(copy.snapshot().services.find((s) => s.metadata.name === 'nginx-service')!.spec).toEqual(service.spec)
  })
})
