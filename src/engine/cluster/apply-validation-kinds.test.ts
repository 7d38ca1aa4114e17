import { describe, expect, it } from 'vitest'
import { Cluster } from './cluster.ts'
import { applyErrors } from './test-support/fixtures.ts'

const deployment = (name: string) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  selector: {matchLabels: {app: w}}\n  template:\n    metadata: {labels: {app: w}}\n    spec:\n      containers: [{name: w, image: w}]\n`

/** Bad input of every kind the simulator accepts: [what, manifest, document, line, column, path, message]. */
const cases: [string, string, number, number, number, string, string][] = [
  ['a Deployment name that is not a DNS-1123 subdomain', deployment('Web.App'), 1, 4, 9, 'metadata.name',
    `The Deployment "Web.App" is invalid: metadata.name: Invalid value: "Web.App": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`],
  ['a Deployment without selector', 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: w\nspec:\n  template:\n    metadata: {labels: {app: w}}\n    spec:\n      containers: [{name: w, image: w}]\n',
    1, 6, 3, 'spec.selector', 'The Deployment "w" is invalid: spec.selector: Required value'],
  ['a label value with a space', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels:\n    app: "bad value!"\nspec:\n  containers: [{name: w, image: w}]\n',
    1, 6, 10, 'metadata.labels',
    `The Pod "p" is invalid: metadata.labels: Invalid value: "bad value!": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`],
  ['a container without image', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: w\n',
    1, 7, 5, 'spec.containers[0].image', 'The Pod "p" is invalid: spec.containers[0].image: Required value'],
  ['an unknown taint effect in a toleration', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  tolerations:\n  - effect: NoRun\n    key: a\n  containers: [{name: w, image: w}]\n',
    1, 7, 13, 'spec.tolerations[0].effect', 'The Pod "p" is invalid: spec.tolerations[0].effect: Unsupported value: "NoRun": supported values: "NoExecute", "NoSchedule", "PreferNoSchedule"'],
  ['a Pod update that changes more than images',
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers: [{name: w, image: w}]\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers: [{name: x, image: w}]\n',
    2, 13, 3, 'spec', 'The Pod "p" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)'],
  ['a Node podCIDR not in canonical form', 'apiVersion: v1\nkind: Node\nmetadata:\n  name: n\nspec:\n  podCIDR: 10.244.9.1/24\n',
    1, 6, 12, 'spec.podCIDR', 'The Node "n" is invalid: spec.podCIDR: Invalid value: "10.244.9.1/24": must be in canonical form ("10.244.9.0/24")'],
  ['a Node podCIDR overlapping another Node\'s', 'apiVersion: v1\nkind: Node\nmetadata:\n  name: n\nspec:\n  podCIDR: 10.244.1.0/24\n',
    1, 6, 12, 'spec.podCIDR', 'The Node "n" is invalid: spec.podCIDR: Invalid value: "10.244.1.0/24": overlaps with the podCIDR of Node "kind-worker"'],
  ['a Node address another Node has', 'apiVersion: v1\nkind: Node\nmetadata:\n  name: n\nstatus:\n  addresses:\n  - type: InternalIP\n    address: 172.18.0.3\n',
    1, 8, 14, 'status.addresses[0].address', 'The Node "n" is invalid: status.addresses[0].address: Invalid value: "172.18.0.3": address already in use by Node "kind-worker"'],
  ['an EndpointSlice without addressType', 'apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: s\nendpoints:\n- addresses: [10.0.0.1]\n',
    1, 1, 1, 'addressType', 'The EndpointSlice "s" is invalid: addressType: Required value'],
  ['an EndpointSlice address that is no IP', 'apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: s\naddressType: IPv4\nendpoints:\n- addresses: ["10.0.0.300"]\n',
    1, 7, 15, 'endpoints[0].addresses[0]', 'The EndpointSlice "s" is invalid: endpoints[0].addresses[0]: Invalid value: "10.0.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'],
  ['a ServiceCIDR not in canonical form', 'apiVersion: networking.k8s.io/v1\nkind: ServiceCIDR\nmetadata:\n  name: c\nspec:\n  cidrs: [10.100.0.1/24]\n',
    1, 6, 11, 'spec.cidrs[0]', 'The ServiceCIDR "c" is invalid: spec.cidrs[0]: Invalid value: "10.100.0.1/24": must be in canonical form ("10.100.0.0/24")'],
  ['a Namespace name that is not a DNS-1123 label', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: Shop\n',
    1, 4, 9, 'metadata.name', `The Namespace "Shop" is invalid: metadata.name: Invalid value: "Shop": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`],
  ['a taken cluster IP given as clusterIPs', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: w\nspec:\n  clusterIPs:\n  - 10.96.0.10\n  ports: [{port: 80}]\n',
    1, 7, 5, 'spec.clusterIPs', 'The Service "w" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.10"}: failed to allocate IP 10.96.0.10: provided IP is already allocated'],
  ['a document that is not a mapping', '- a\n- b\n', 1, 1, 1, '', 'error validating data: the document is not a mapping (an object with apiVersion, kind, metadata...)'],
]

describe('applying bad input of every kind', () => {
  it.each(cases)('rejects %s', (_what, yaml, document, line, column, path, message) => {
    expect(applyErrors(Cluster.createDefault(), yaml)).toEqual([expect.objectContaining({ document, line, column, path, message })])
  })
})
