import { describe, expect, it } from 'vitest'
import { Cluster } from '../../engine/cluster/cluster.ts'
import { DEFAULT_MANIFEST } from '../../state/default-scenario.ts'
import { defaultForm, destinationChoices, requestOf, sourceChoices, type PacketForm } from './packet-form.ts'

const cluster = Cluster.createDefault({ seed: 1 })
cluster.apply(DEFAULT_MANIFEST)
const snapshot = cluster.snapshot()

describe('the Send packet form', () => {
  it('offers every Pod with an IP, every Node, and each TCP/UDP port of every Service', () => {
    const { pods, nodes } = sourceChoices(snapshot)
    expect(pods.map((p) => p.value)).toEqual(expect.arrayContaining([expect.stringMatching(/^pod:default\/nginx-deployment-/), expect.stringMatching(/^pod:kube-system\/coredns-/)]))
    expect(nodes.map((n) => n.value)).toEqual(['node:kind-control-plane', 'node:kind-worker', 'node:kind-worker2'])
    expect(destinationChoices(snapshot).map((d) => d.label)).toEqual(expect.arrayContaining(['nginx-service:80/TCP', 'kube-system/kube-dns:53/UDP', 'kube-system/kube-dns:53/TCP']))
  })

  it('starts from the first Node towards nginx-service:80', () => {
    expect(requestOf(defaultForm(snapshot))).toEqual({ from: 'kind-control-plane', to: 'default/nginx-service', port: 80, proto: 'tcp' })
  })

  it('turns a Service port into the engine\'s request, its protocol coming from the port', () => {
    const form: PacketForm = { ...defaultForm(snapshot), source: 'pod:default/web-1', destination: 'svc:kube-system/kube-dns:53:udp', proto: 'tcp' }
    expect(requestOf(form)).toEqual({ from: 'default/web-1', to: 'kube-system/kube-dns', port: 53, proto: 'udp' })
  })

  it('sends from an outside client and to an IP and port as typed, and says what is missing', () => {
    const form: PacketForm = { source: 'client', clientIP: ' 172.18.0.100 ', destination: 'ip', destIP: '172.18.0.3', destPort: '30080', proto: 'udp' }
    expect(requestOf(form)).toEqual({ from: '172.18.0.100', to: '172.18.0.3', port: 30080, proto: 'udp' })
    expect(requestOf({ ...form, clientIP: 'x' })).toBe('Enter the client\'s IPv4 address')
    expect(requestOf({ ...form, destIP: '' })).toBe('Enter the destination IPv4 address')
    expect(requestOf({ ...form, destPort: '70000' })).toBe('Enter a port from 1 to 65535')
  })
})
