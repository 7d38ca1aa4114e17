import { describe, expect, it } from 'vitest'
import { eventObjectRef } from './event-object-ref.ts'

describe('eventObjectRef', () => {
  it('turns the OBJECT column into the object it names', () => {
    expect(eventObjectRef('pod/web-1', 'default')).toEqual({ kind: 'Pod', namespace: 'default', name: 'web-1' })
    expect(eventObjectRef('deployment/web', 'prod')).toEqual({ kind: 'Deployment', namespace: 'prod', name: 'web' })
    expect(eventObjectRef('node/kind-worker', undefined)).toEqual({ kind: 'Node', name: 'kind-worker' })
  })

  it('leaves kinds the details panel does not show as plain text', () => {
    expect(eventObjectRef('replicaset/web-5db75d96fc', 'default')).toBeNull()
    expect(eventObjectRef('nonsense', 'default')).toBeNull()
  })
})
