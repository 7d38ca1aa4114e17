import { describe, expect, it } from 'vitest'
import { Cluster, formatManifestError } from './cluster.ts'
import { applyErrors, expectApplied, nginxCluster, NGINX_SCENARIO } from './test-support/fixtures.ts'

const service = (spec: string, meta = 'name: web') => `apiVersion: v1
kind: Service
metadata:
  ${meta}
spec:
${spec}`

/** Given a manifest, the single error expected: where it points and what it says. */
const badInputs: { what: string; yaml: string; line: number; column: number; path: string; message: string }[] = [
  {
    what: 'a port out of range',
    yaml: service('  selector: {app: web}\n  ports:\n  - port: 70000\n'),
    line: 8, column: 11, path: 'spec.ports[0].port',
    message: 'The Service "web" is invalid: spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive',
  },
  {
    what: 'a missing required field (ports)',
    yaml: service('  selector: {app: web}\n'),
    line: 6, column: 3, path: 'spec.ports',
    message: 'The Service "web" is invalid: spec.ports: Required value',
  },
  {
    what: 'a missing name',
    yaml: service('  ports:\n  - port: 80\n', 'labels: {a: b}'),
    line: 4, column: 3, path: 'metadata.name',
    message: 'The Service "" is invalid: metadata.name: Required value: name or generateName is required',
  },
  {
    what: 'a name that is not a DNS-1035 label',
    yaml: service('  ports:\n  - port: 80\n', 'name: Web_1'),
    line: 4, column: 9, path: 'metadata.name',
    message: `The Service "Web_1" is invalid: metadata.name: Invalid value: "Web_1": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`,
  },
  {
    what: 'an unsupported Service type',
    yaml: service('  type: Magic\n  ports:\n  - port: 80\n'),
    line: 6, column: 9, path: 'spec.type',
    message: 'The Service "web" is invalid: spec.type: Unsupported value: "Magic": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"',
  },
  {
    what: 'an unsupported protocol',
    yaml: service('  ports:\n  - port: 80\n    protocol: HTTP\n'),
    line: 8, column: 15, path: 'spec.ports[0].protocol',
    message: 'The Service "web" is invalid: spec.ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
  },
  {
    what: 'a cluster IP not in canonical form (named clusterIPs[0] after defaulting, located where it was written)',
    yaml: service('  clusterIP: 10.96.00.5\n  ports:\n  - port: 80\n'),
    line: 6, column: 14, path: 'spec.clusterIPs[0]',
    message: 'The Service "web" is invalid: spec.clusterIPs[0]: Invalid value: "10.96.00.5": must be in canonical form ("10.96.0.5")',
  },
  {
    what: 'a cluster IP that is no IP',
    yaml: service('  clusterIP: 10.96.0\n  ports:\n  - port: 80\n'),
    line: 6, column: 14, path: 'spec.clusterIPs[0]',
    message: 'The Service "web" is invalid: spec.clusterIPs[0]: Invalid value: "10.96.0": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
  },
  {
    what: 'an IPv6 external IP not in canonical form',
    yaml: service('  externalIPs: ["2001:0db8::1"]\n  ports:\n  - port: 80\n'),
    line: 6, column: 17, path: 'spec.externalIPs[0]',
    message: 'The Service "web" is invalid: spec.externalIPs[0]: Invalid value: "2001:0db8::1": must be in canonical form ("2001:db8::1")',
  },
  {
    what: 'a cluster IP outside every service CIDR',
    yaml: service('  clusterIP: 10.0.0.5\n  ports:\n  - port: 80\n'),
    line: 6, column: 14, path: 'spec.clusterIPs',
    message: 'The Service "web" is invalid: spec.clusterIPs: Invalid value: []string{"10.0.0.5"}: failed to allocate IP 10.0.0.5: the provided IP (10.0.0.5) is not in the valid range. The range of valid IPs is 10.96.0.0/16',
  },
  {
    what: 'a cluster IP already taken (kube-dns)',
    yaml: service('  clusterIP: 10.96.0.10\n  ports:\n  - port: 80\n'),
    line: 6, column: 14, path: 'spec.clusterIPs',
    message: 'The Service "web" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.10"}: failed to allocate IP 10.96.0.10: provided IP is already allocated',
  },
  {
    what: 'a node port out of range',
    yaml: service('  type: NodePort\n  ports:\n  - port: 80\n    nodePort: 29999\n'),
    line: 9, column: 15, path: 'spec.ports[0].nodePort',
    message: 'The Service "web" is invalid: spec.ports[0].nodePort: Invalid value: 29999: provided port is not in the valid range. The range of valid ports is 30000-32767',
  },
  {
    what: 'a node port on a ClusterIP Service',
    yaml: service('  ports:\n  - port: 80\n    nodePort: 30080\n'),
    line: 8, column: 15, path: 'spec.ports[0].nodePort',
    message: "The Service \"web\" is invalid: spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'",
  },
  {
    what: 'duplicate port names',
    yaml: service('  ports:\n  - name: http\n    port: 80\n  - name: http\n    port: 81\n'),
    line: 9, column: 11, path: 'spec.ports[1].name',
    message: 'The Service "web" is invalid: spec.ports[1].name: Duplicate value: "http"',
  },
  {
    what: 'an ExternalName Service without externalName',
    yaml: service('  type: ExternalName\n'),
    line: 6, column: 3, path: 'spec.externalName',
    message: 'The Service "web" is invalid: spec.externalName: Required value',
  },
  {
    what: 'externalTrafficPolicy on an internal Service',
    yaml: service('  externalTrafficPolicy: Local\n  ports:\n  - port: 80\n'),
    line: 6, column: 26, path: 'spec.externalTrafficPolicy',
    message: 'The Service "web" is invalid: spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services',
  },
  {
    what: 'a headless NodePort Service',
    yaml: service('  type: NodePort\n  clusterIP: None\n  ports:\n  - port: 80\n'),
    line: 7, column: 14, path: 'spec.clusterIPs[0]',
    message: "The Service \"web\" is invalid: spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for NodePort services",
  },
  {
    what: 'a port given as text',
    yaml: service('  ports:\n  - port: eighty\n'),
    line: 7, column: 11, path: 'spec.ports[0].port',
    message: 'The Service "web" is invalid: spec.ports[0].port: Invalid value: "eighty": must be an integer',
  },
  {
    what: 'a namespace that does not exist',
    yaml: service('  ports:\n  - port: 80\n', 'name: web\n  namespace: shop'),
    line: 5, column: 14, path: 'metadata.namespace',
    message: 'namespaces "shop" not found',
  },
]

describe('applying bad input: an error names document, line, column and field path as the API server words it', () => {
  for (const bad of badInputs) {
    it(`rejects ${bad.what}`, () => {
      const errors = applyErrors(Cluster.createDefault(), bad.yaml)
      expect(errors).toEqual([expect.objectContaining({ document: 1, line: bad.line, column: bad.column, path: bad.path, message: bad.message })])
    })
  }

  it('rejects a Deployment whose selector does not match its template labels', () => {
    const errors = applyErrors(Cluster.createDefault(), NGINX_SCENARIO.replace('        app: nginx\n    spec:', '        app: web\n    spec:'))
    expect(errors).toEqual([expect.objectContaining({
      document: 1, line: 15, column: 9, path: 'spec.template.metadata.labels', kind: 'Deployment', name: 'nginx-deployment',
      message: 'The Deployment "nginx-deployment" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
    })])
  })

  it('rejects a Deployment with negative replicas, no containers, or a container port out of range', () => {
    const yaml = `apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  replicas: -1
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
      - name: api
        image: api:1
        ports:
        - containerPort: 0
`
    expect(applyErrors(Cluster.createDefault(), yaml).map((e) => [e.line, e.column, e.path])).toEqual([
      [5, 13, 'spec.replicas'],
      [14, 26, 'spec.template.spec.containers[0].ports[0].containerPort'],
    ])
    const noContainers = yaml.replace(/ {6}containers:[\s\S]*$/, '      containers: []\n')
    expect(applyErrors(Cluster.createDefault(), noContainers).map((e) => e.message)).toContain(
      'The Deployment "api" is invalid: spec.template.spec.containers: Required value')
  })

  it('gives the YAML parser position for invalid YAML (a line indented deeper than its siblings)', () => {
    const yaml = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n    namespace: x\n'
    const errors = applyErrors(Cluster.createDefault(), yaml)
    expect(errors).toEqual([{
      document: 1, line: 5, column: 5, path: '',
      message: 'Nested mappings are not allowed in compact mappings: the indentation of this line does not fit the line before it (line 4, column 9)',
    }])
  })

  it('numbers documents from 1 and reports the error in the second one', () => {
    const yaml = `${NGINX_SCENARIO}---\n${service('  ports:\n  - port: 0\n')}`
    const [error] = applyErrors(Cluster.createDefault(), yaml)
    expect(error).toMatchObject({ document: 3, path: 'spec.ports[0].port' })
    expect(error.line).toBe(NGINX_SCENARIO.split('\n').length + 7)
  })

  it('rejects a known kind in a wrong API version, and a document without kind', () => {
    const wrongVersion = applyErrors(Cluster.createDefault(), NGINX_SCENARIO.replace('apiVersion: apps/v1', 'apiVersion: v1'))
    expect(wrongVersion[0]).toMatchObject({ line: 3, column: 13, path: 'apiVersion' })
    expect(wrongVersion[0].message).toContain('no matches for kind "Deployment" in version "v1"')
    const noKind = applyErrors(Cluster.createDefault(), 'apiVersion: v1\nmetadata: {name: x}\n')
    expect(noKind[0].message).toBe('error validating data: [kind not set]')
  })

  it('formats an error as the one text the app and the CLI show', () => {
    const [error] = applyErrors(Cluster.createDefault(), badInputs[0].yaml)
    expect(formatManifestError(error)).toBe(`document 1, line 8, column 11: ${badInputs[0].message}`)
  })
})

describe('applying is all-or-nothing', () => {
  it('leaves the cluster, its watch stream and its event log unchanged when any document is bad', () => {
    const cluster = Cluster.createDefault()
    const before = cluster.snapshot()
    const watch = cluster.watchEvents().length
    const events = cluster.eventLog().length
    applyErrors(cluster, `${NGINX_SCENARIO}---\n${service('  ports:\n  - port: 0\n')}`)
    expect(cluster.snapshot()).toEqual(before)
    expect(cluster.watchEvents()).toHaveLength(watch)
    expect(cluster.eventLog()).toHaveLength(events)
  })

  it('does not consume randomness on a rejected apply: a later good apply gives the same names', () => {
    const clean = nginxCluster()
    const afterFailure = Cluster.createDefault()
    applyErrors(afterFailure, `${NGINX_SCENARIO}---\n${service('  ports:\n  - port: 0\n')}`)
    expectApplied(afterFailure.apply(NGINX_SCENARIO))
    expect(afterFailure.snapshot().pods.map((p) => p.metadata.name)).toEqual(clean.snapshot().pods.map((p) => p.metadata.name))
  })

  it('rejects a node port already allocated to another Service', () => {
    const cluster = Cluster.createDefault()
    expectApplied(cluster.apply(service('  type: NodePort\n  ports:\n  - port: 80\n    nodePort: 30080\n', 'name: first')))
    const [error] = applyErrors(cluster, service('  type: NodePort\n  ports:\n  - port: 80\n    nodePort: 30080\n', 'name: second'))
    expect(error).toMatchObject({ line: 9, column: 15, path: 'spec.ports[0].nodePort' })
    expect(error.message).toBe('The Service "second" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated')
  })
})
