import { describe, expect, it } from 'vitest'
import { describeOperation } from './operations.ts'

describe('describeOperation', () => {
  it('says what each step does the way kubectl would be asked to do it', () => {
    expect(describeOperation({ type: 'scale', namespace: 'default', name: 'web', replicas: 4 })).toBe('kubectl scale deployment/web --replicas=4')
    expect(describeOperation({ type: 'deletePod', namespace: 'default', name: 'web-1' })).toBe('kubectl delete pod/web-1')
    expect(describeOperation({ type: 'delete', kind: 'Service', namespace: 'default', name: 'web' })).toBe('kubectl delete service/web')
    expect(describeOperation({ type: 'cordon', node: 'kind-worker', on: true })).toBe('kubectl cordon kind-worker')
    expect(describeOperation({ type: 'cordon', node: 'kind-worker', on: false })).toBe('kubectl uncordon kind-worker')
    expect(describeOperation({ type: 'nodeReady', node: 'kind-worker', ready: false })).toBe('stop node kind-worker')
    expect(describeOperation({ type: 'advance', seconds: 30 })).toBe('advance the clock 30s')
    expect(describeOperation({ type: 'console', node: 'kind-worker', line: 'iptables -F' })).toBe('kind-worker# iptables -F')
    expect(describeOperation({ type: 'console', node: 'kind-worker', line: 'iptables-restore', stdin: '*filter\nCOMMIT\n' }))
      .toBe('kind-worker# iptables-restore (2 lines of input)')
  })

  it('counts the documents of an applied manifest, ignoring empty and comment-only ones', () => {
    expect(describeOperation({ type: 'apply', yaml: 'kind: A\n---\n# only a comment\n---\nkind: B\n' })).toBe('kubectl apply (2 documents)')
    expect(describeOperation({ type: 'apply', yaml: 'kind: A\n' })).toBe('kubectl apply (1 document)')
  })
})
