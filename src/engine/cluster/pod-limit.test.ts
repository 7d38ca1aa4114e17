import { describe, expect, it } from 'vitest'
import { Cluster, formatManifestError } from './cluster.ts'
import { MAX_PODS } from './pod-limit.ts'

const deployment = (name: string, replicas: number | string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec: {containers: [{name: c, image: nginx}]}
`
const pod = (name: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}}\nspec: {containers: [{name: c, image: nginx}]}\n`

function errorsOf(cluster: Cluster, text: string): string[] {
  const outcome = cluster.apply(text)
  return outcome.ok ? [] : outcome.errors.map(formatManifestError)
}

describe('the Pods a simulated cluster holds', () => {
  it(`refuses a Deployment that would take the cluster past ${MAX_PODS} Pods, at its replicas, and keeps the cluster as it was`, () => {
    const cluster = Cluster.createDefault()
    const before = cluster.snapshot().pods.length
    expect(errorsOf(cluster, deployment('big', 1_000_000))).toEqual([
      `document 1, line 5, column 13: deployments.apps "big" is forbidden: the simulation holds at most ${MAX_PODS} Pods and this would ask for ${before + 1_000_000}`,
    ])
    expect(cluster.snapshot().pods).toHaveLength(before)
    expect(errorsOf(cluster, deployment('big', MAX_PODS - before))).toEqual([])
    expect(cluster.snapshot().pods).toHaveLength(MAX_PODS)
  })

  it('counts bare Pods too, and a scale beyond the cap is refused the same way', () => {
    const cluster = Cluster.createEmpty()
    expect(errorsOf(cluster, 'apiVersion: v1\nkind: Node\nmetadata: {name: n1}\n')).toEqual([])
    expect(errorsOf(cluster, deployment('web', MAX_PODS - 1))).toEqual([])
    expect(errorsOf(cluster, pod('one'))).toEqual([])
    expect(errorsOf(cluster, pod('two'))).toEqual([`document 1, line 3, column 18: pods "two" is forbidden: the simulation holds at most ${MAX_PODS} Pods and this would ask for ${MAX_PODS + 1}`])
    expect(() => cluster.scaleDeployment('default', 'web', MAX_PODS)).toThrow(`deployments.apps "web" is forbidden: the simulation holds at most ${MAX_PODS} Pods and this would ask for ${MAX_PODS + 1}`)
    cluster.scaleDeployment('default', 'web', 10)
    expect(cluster.snapshot().pods.filter((p) => p.metadata.deletionTimestamp === undefined)).toHaveLength(11)
  })

  it("refuses replicas outside int32 with the API server's decoding error, before validating anything else", () => {
    const cluster = Cluster.createDefault()
    expect(errorsOf(cluster, deployment('big', 4294967296).replace('selector', 'selektor'))).toEqual([
      'document 1, line 5, column 13: Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal number 4294967296 into Go struct field DeploymentSpec.spec.replicas of type int32',
    ])
    expect(errorsOf(cluster, deployment('big', -2147483649))).toEqual([
      'document 1, line 5, column 13: Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal number -2147483649 into Go struct field DeploymentSpec.spec.replicas of type int32',
    ])
  })
})
