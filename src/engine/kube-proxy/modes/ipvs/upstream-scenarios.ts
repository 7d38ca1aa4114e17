/**
 * Upstream's IPVS proxier unit tests (kubernetes/kubernetes pkg/proxy/ipvs/proxier_test.go, the version with
 * `NewFakeProxier(ctx, ipt, ipvs, ipset, nodeIPs, excludeCIDRs, ipFamily)` and `buildFakeProxier(t)`, v1.31/1.32
 * era, stored index id 11084498) restated as data: the objects each test creates and what it asserts about
 * the IPVS table (virtual servers and real servers), the ipsets (checkIPSet) and the iptables chains
 * (checkIptables: a rule in the chain jumping to X, matching set Y).
 *
 * NewFakeProxier's environment: node "test-node", a no-op local-traffic detector (no clusterCIDR), the
 * fake netlink addresses given as `nodeIPs` (IPv4 ones used here), no node IP (so LoadBalancer source
 * ranges never contain it).
 */

export interface ChainRuleExpectation {
  /** `-j` target. */
  jump: string
  /** The rule matches this set (checkIptables' MatchSet: substring of the --match-set value). */
  matchSet?: string
  /** `-s` address. */
  source?: string
}

export interface IpvsScenario {
  test: string
  name: string
  /** Services and EndpointSlices (YAML, raw: no API defaulting). */
  manifests: string
  /** Fake netlink addresses (NewFakeProxier nodeIPs / FakeNetwork interfaces). */
  localAddresses: string[]
  nodePortAddresses?: string[]
  expect: {
    /** reflect.DeepEqual on the fake IPVS: every virtual server `PROTO/IP:PORT` with its real servers. */
    ipvs?: Record<string, { scheduler: string; timeout?: number; realServers: string[] }>
    /** checkIPVS: the number of virtual servers, and one of them with its real servers. */
    vsCount?: number
    vs?: { key: string; realServers: string[] }
    /** Every virtual server has this persistence timeout (TestSessionAffinity). */
    allTimeouts?: number
    /** checkIPSet: entries per set (order-free). */
    ipsets?: Record<string, string[]>
    /** checkIptables: these rules exist in the chain (we also require this relative order). */
    chains?: Record<string, ChainRuleExpectation[]>
  }
}

const nodePortSvc = (proto: string, extra = '') => `
apiVersion: v1
kind: Service
metadata: {name: svc1, namespace: ns1}
spec:
  type: NodePort
  clusterIP: 10.20.30.41
  ports: [{name: p80, port: 80, protocol: ${proto}, nodePort: 3001}]
${extra}`

const slice = (proto: string, endpoints: string, name = 'svc1', ns = 'ns1', port = 80, portName = 'p80') => `
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: ${name}-1, namespace: ${ns}, labels: {kubernetes.io/service-name: ${name}}}
addressType: IPv4
endpoints: ${endpoints}
ports: [{name: ${portName}, port: ${port}, protocol: ${proto}}]
`

const KUBE_SERVICES_BASIC = [
  { jump: 'RETURN', source: '127.0.0.0/8' },
  { jump: 'KUBE-MARK-MASQ', matchSet: 'KUBE-CLUSTER-IP' },
  { jump: 'KUBE-NODE-PORT' },
  { jump: 'ACCEPT', matchSet: 'KUBE-CLUSTER-IP' },
]

export const IPVS_SCENARIOS: IpvsScenario[] = [
  {
    test: 'TestNodePortIPv4',
    name: '1 service with node port, has 2 endpoints',
    manifests: nodePortSvc('TCP') + slice('TCP', '[{addresses: [10.180.0.1]}]'),
    localAddresses: ['100.101.102.103'],
    nodePortAddresses: [],
    expect: {
      ipvs: {
        'TCP/10.20.30.41:80': { scheduler: 'rr', realServers: ['10.180.0.1:80'] },
        'TCP/100.101.102.103:3001': { scheduler: 'rr', realServers: ['10.180.0.1:80'] },
      },
    },
  },
  {
    test: 'TestNodePortIPv4',
    name: '1 UDP service with node port, has endpoints',
    manifests: nodePortSvc('UDP') + slice('UDP', '[{addresses: [10.180.0.1]}]'),
    localAddresses: ['100.101.102.103'],
    nodePortAddresses: ['0.0.0.0/0'],
    expect: {
      ipvs: {
        'UDP/10.20.30.41:80': { scheduler: 'rr', realServers: ['10.180.0.1:80'] },
        'UDP/100.101.102.103:3001': { scheduler: 'rr', realServers: ['10.180.0.1:80'] },
      },
      ipsets: { 'KUBE-NODE-PORT-UDP': ['3001'] },
      chains: {
        'KUBE-NODE-PORT': [{ jump: 'KUBE-MARK-MASQ', matchSet: 'KUBE-NODE-PORT-UDP' }, { jump: 'ACCEPT', matchSet: 'KUBE-HEALTH-CHECK-NODE-PORT' }],
        'KUBE-SERVICES': KUBE_SERVICES_BASIC,
      },
    },
  },
  {
    test: 'TestNodePortIPv4',
    name: 'service has node port but no endpoints',
    manifests: nodePortSvc('TCP'),
    localAddresses: ['100.101.102.103'],
    nodePortAddresses: [],
    expect: {
      ipvs: {
        'TCP/10.20.30.41:80': { scheduler: 'rr', realServers: [] },
        'TCP/100.101.102.103:3001': { scheduler: 'rr', realServers: [] },
      },
    },
  },
  {
    test: 'TestNodePortIPv4',
    name: 'node port service with protocol sctp on a node with multiple nodeIPs',
    manifests: nodePortSvc('SCTP') + slice('SCTP', '[{addresses: [10.180.0.1]}]'),
    localAddresses: ['100.101.102.103', '100.101.102.104', '100.101.102.105'],
    nodePortAddresses: [],
    expect: {
      ipvs: {
        'SCTP/10.20.30.41:80': { scheduler: 'rr', realServers: ['10.180.0.1:80'] },
        'SCTP/100.101.102.103:3001': { scheduler: 'rr', realServers: ['10.180.0.1:80'] },
        'SCTP/100.101.102.104:3001': { scheduler: 'rr', realServers: ['10.180.0.1:80'] },
        'SCTP/100.101.102.105:3001': { scheduler: 'rr', realServers: ['10.180.0.1:80'] },
      },
      ipsets: { 'KUBE-NODE-PORT-SCTP-HASH': ['100.101.102.103,sctp:3001', '100.101.102.104,sctp:3001', '100.101.102.105,sctp:3001'] },
    },
  },
  {
    test: 'TestNodePortIPv4',
    name: 'node port service with protocol sctp and externalTrafficPolicy local',
    manifests: nodePortSvc('SCTP', '  externalTrafficPolicy: Local') +
      slice('SCTP', '[{addresses: [10.180.0.1], nodeName: test-node}, {addresses: [10.180.1.1], nodeName: other-node}]'),
    localAddresses: ['100.101.102.103'],
    nodePortAddresses: [],
    expect: {
      ipvs: {
        'SCTP/10.20.30.41:80': { scheduler: 'rr', realServers: ['10.180.0.1:80', '10.180.1.1:80'] },
        'SCTP/100.101.102.103:3001': { scheduler: 'rr', realServers: ['10.180.0.1:80'] },
      },
      ipsets: { 'KUBE-NODE-PORT-SCTP-HASH': ['100.101.102.103,sctp:3001'], 'KUBE-NODE-PORT-LOCAL-SCTP-HASH': ['100.101.102.103,sctp:3001'] },
      chains: {
        'KUBE-NODE-PORT': [
          { jump: 'RETURN', matchSet: 'KUBE-NODE-PORT-LOCAL-SCTP-HASH' },
          { jump: 'KUBE-MARK-MASQ', matchSet: 'KUBE-NODE-PORT-SCTP-HASH' },
          { jump: 'ACCEPT', matchSet: 'KUBE-HEALTH-CHECK-NODE-PORT' },
        ],
      },
    },
  },
  {
    test: 'TestIPv4Proxier',
    name: '2 services with Cluster IP, each with endpoints (the IPv6 one is not this proxier\'s)',
    manifests: `
apiVersion: v1
kind: Service
metadata: {name: svc1, namespace: ns1}
spec: {clusterIP: 10.20.30.41, ports: [{name: p80, port: 80, protocol: TCP}]}
---
apiVersion: v1
kind: Service
metadata: {name: svc2, namespace: ns2}
spec: {clusterIP: "1002:ab8::2:1", ports: [{name: p8080, port: 8080, protocol: TCP}]}
` + slice('TCP', '[{addresses: [10.180.0.1]}]'),
    localAddresses: [],
    expect: { ipvs: { 'TCP/10.20.30.41:80': { scheduler: 'rr', realServers: ['10.180.0.1:80'] } } },
  },
  {
    test: 'TestIPv4Proxier',
    name: 'cluster IP service with no endpoints',
    manifests: `
apiVersion: v1
kind: Service
metadata: {name: svc1, namespace: ns1}
spec: {clusterIP: 10.20.30.41, ports: [{name: p80, port: 80, protocol: TCP}]}
`,
    localAddresses: [],
    expect: { ipvs: { 'TCP/10.20.30.41:80': { scheduler: 'rr', realServers: [] } } },
  },
  {
    test: 'TestExternalIPsNoEndpoint',
    name: 'external IP service without endpoints: 2 virtual servers, none with real servers',
    manifests: `
apiVersion: v1
kind: Service
metadata: {name: svc1, namespace: ns1}
spec: {type: ClusterIP, clusterIP: 10.20.30.41, externalIPs: [50.60.70.81], ports: [{name: p80, port: 80, protocol: TCP, targetPort: 80}]}
`,
    localAddresses: [],
    expect: { vsCount: 2, vs: { key: 'TCP/50.60.70.81:80', realServers: [] } },
  },
  {
    test: 'TestExternalIPs',
    name: 'external IPs (IPv6 one filtered): 3 virtual servers',
    manifests: `
apiVersion: v1
kind: Service
metadata: {name: svc1, namespace: ns1}
spec: {type: ClusterIP, clusterIP: 10.20.30.41, externalIPs: [50.60.70.81, "2012::51", 127.0.0.1], ports: [{name: p80, port: 80, protocol: TCP, targetPort: 80}]}
` + slice('UDP', '[{addresses: [10.180.0.1]}]'),
    localAddresses: [],
    // The slice's port is UDP, so the TCP service port has no endpoints: upstream only checks that any
    // destination would be 10.180.0.1:80.
    expect: { vsCount: 3, vs: { key: 'TCP/50.60.70.81:80', realServers: [] } },
  },
  {
    test: 'TestOnlyLocalExternalIPs',
    name: 'externalTrafficPolicy Local: external IP virtual servers get only the local endpoint',
    manifests: nodePortSvc('TCP', '  externalIPs: [50.60.70.81, "2012::51", 127.0.0.1]\n  externalTrafficPolicy: Local') +
      slice('TCP', '[{addresses: [10.180.0.1], nodeName: test-node}, {addresses: [10.180.1.1], nodeName: other-node}]'),
    localAddresses: [],
    expect: { vsCount: 3, vs: { key: 'TCP/50.60.70.81:80', realServers: ['10.180.0.1:80'] } },
  },
  {
    test: 'TestLoadBalancer',
    name: 'LoadBalancer: lb set, KUBE-SERVICES and KUBE-LOAD-BALANCER jumps',
    manifests: `
apiVersion: v1
kind: Service
metadata: {name: svc1, namespace: ns1}
spec: {type: LoadBalancer, clusterIP: 10.20.30.41, ports: [{name: p80, port: 80, protocol: TCP, nodePort: 3001}]}
status: {loadBalancer: {ingress: [{ip: 1.2.3.4}]}}
` + slice('UDP', '[{addresses: [10.180.0.1]}]'),
    localAddresses: [],
    expect: {
      vsCount: 2,
      ipsets: { 'KUBE-LOAD-BALANCER': ['1.2.3.4,tcp:80'] },
      chains: {
        'KUBE-SERVICES': [
          { jump: 'RETURN', source: '127.0.0.0/8' },
          { jump: 'KUBE-LOAD-BALANCER', matchSet: 'KUBE-LOAD-BALANCER' },
          { jump: 'KUBE-MARK-MASQ', matchSet: 'KUBE-CLUSTER-IP' },
          { jump: 'KUBE-NODE-PORT' },
          { jump: 'ACCEPT', matchSet: 'KUBE-CLUSTER-IP' },
          { jump: 'ACCEPT', matchSet: 'KUBE-LOAD-BALANCER' },
        ],
        'KUBE-LOAD-BALANCER': [{ jump: 'KUBE-MARK-MASQ' }],
      },
    },
  },
  {
    test: 'TestOnlyLocalNodePorts',
    name: 'NodePort with externalTrafficPolicy Local on --nodeport-addresses 100.101.102.0/24',
    manifests: nodePortSvc('TCP', '  externalTrafficPolicy: Local') +
      slice('TCP', '[{addresses: [10.180.0.1], nodeName: test-node}, {addresses: [10.180.1.1], nodeName: other-node}]'),
    localAddresses: ['100.101.102.103'],
    nodePortAddresses: ['100.101.102.0/24'],
    expect: {
      vsCount: 2,
      vs: { key: 'TCP/100.101.102.103:3001', realServers: ['10.180.0.1:80'] },
      ipsets: { 'KUBE-NODE-PORT-TCP': ['3001'], 'KUBE-NODE-PORT-LOCAL-TCP': ['3001'] },
      chains: {
        'KUBE-SERVICES': KUBE_SERVICES_BASIC,
        'KUBE-NODE-PORT': [
          { jump: 'RETURN', matchSet: 'KUBE-NODE-PORT-LOCAL-TCP' },
          { jump: 'KUBE-MARK-MASQ', matchSet: 'KUBE-NODE-PORT-TCP' },
          { jump: 'ACCEPT', matchSet: 'KUBE-HEALTH-CHECK-NODE-PORT' },
        ],
      },
    },
  },
  {
    test: 'TestHealthCheckNodePort',
    name: 'health check node ports of eTP=Local LoadBalancers only',
    manifests: ['valid-svc1:30000:Local', 'valid-svc2:30001:Local', 'invalid-svc3:30002:Cluster'].map((s) => {
      const [name, hc, policy] = s.split(':')
      return `
apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: ns1}
spec: {type: LoadBalancer, clusterIP: 10.20.30.41, ports: [{name: p80, port: 80, protocol: TCP, nodePort: 3000}], externalTrafficPolicy: ${policy}, healthCheckNodePort: ${hc}}
`
    }).join('---'),
    localAddresses: ['100.101.102.103'],
    nodePortAddresses: ['100.101.102.0/24'],
    expect: {
      ipsets: { 'KUBE-HEALTH-CHECK-NODE-PORT': ['30000', '30001'] },
      chains: {
        'KUBE-NODE-PORT': [
          { jump: 'RETURN', matchSet: 'KUBE-NODE-PORT-LOCAL-TCP' },
          { jump: 'KUBE-MARK-MASQ', matchSet: 'KUBE-NODE-PORT-TCP' },
          { jump: 'ACCEPT', matchSet: 'KUBE-HEALTH-CHECK-NODE-PORT' },
        ],
      },
    },
  },
  {
    test: 'TestLoadBalancerSourceRanges',
    name: 'loadBalancerSourceRanges 10.0.0.0/8: firewall sets and chains',
    manifests: `
apiVersion: v1
kind: Service
metadata: {name: svc1, namespace: ns1}
spec: {type: LoadBalancer, clusterIP: 10.20.30.41, ports: [{name: p80, port: 80, protocol: TCP}], loadBalancerSourceRanges: [10.0.0.0/8]}
status: {loadBalancer: {ingress: [{ip: 1.2.3.4}]}}
` + slice('TCP', '[{addresses: [10.180.0.1]}]'),
    localAddresses: [],
    expect: {
      vsCount: 2,
      vs: { key: 'TCP/1.2.3.4:80', realServers: ['10.180.0.1:80'] },
      ipsets: {
        'KUBE-LOAD-BALANCER': ['1.2.3.4,tcp:80'],
        'KUBE-LOAD-BALANCER-FW': ['1.2.3.4,tcp:80'],
        'KUBE-LOAD-BALANCER-SOURCE-CIDR': ['1.2.3.4,tcp:80,10.0.0.0/8'],
      },
      chains: {
        'KUBE-SERVICES': [
          { jump: 'RETURN', source: '127.0.0.0/8' },
          { jump: 'KUBE-LOAD-BALANCER', matchSet: 'KUBE-LOAD-BALANCER' },
          { jump: 'KUBE-MARK-MASQ', matchSet: 'KUBE-CLUSTER-IP' },
          { jump: 'KUBE-NODE-PORT' },
          { jump: 'ACCEPT', matchSet: 'KUBE-CLUSTER-IP' },
          { jump: 'ACCEPT', matchSet: 'KUBE-LOAD-BALANCER' },
        ],
        'KUBE-PROXY-FIREWALL': [{ jump: 'KUBE-SOURCE-RANGES-FIREWALL', matchSet: 'KUBE-LOAD-BALANCER-FW' }],
        'KUBE-SOURCE-RANGES-FIREWALL': [{ jump: 'RETURN', matchSet: 'KUBE-LOAD-BALANCER-SOURCE-CIDR' }, { jump: 'DROP' }],
      },
    },
  },
  {
    test: 'TestAcceptIPVSTraffic',
    name: 'ClusterIP with an external IP, LoadBalancer and NodePort: accept rules at the end of KUBE-SERVICES',
    manifests: [['ClusterIP', '10.20.30.40', 'svc1', '  externalIPs: [5.6.7.8]\n'], ['LoadBalancer', '10.20.30.41', 'svc2', ''], ['NodePort', '10.20.30.42', 'svc3', '']]
      .map(([type, ip, name, extra]) => `
apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: ns1}
spec:
  type: ${type}
  clusterIP: ${ip}
  ports: [{name: p80, port: 80, protocol: TCP, nodePort: 80}]
${extra}${type === 'LoadBalancer' ? 'status: {loadBalancer: {ingress: [{ip: 1.2.3.4}]}}\n' : ''}`).join('---'),
    localAddresses: [],
    expect: {
      chains: {
        'KUBE-SERVICES': [
          { jump: 'RETURN', source: '127.0.0.0/8' },
          { jump: 'KUBE-LOAD-BALANCER', matchSet: 'KUBE-LOAD-BALANCER' },
          { jump: 'KUBE-MARK-MASQ', matchSet: 'KUBE-CLUSTER-IP' },
          { jump: 'KUBE-MARK-MASQ', matchSet: 'KUBE-EXTERNAL-IP' },
          { jump: 'ACCEPT', matchSet: 'KUBE-EXTERNAL-IP' },
          { jump: 'ACCEPT', matchSet: 'KUBE-EXTERNAL-IP' },
          { jump: 'KUBE-NODE-PORT' },
          { jump: 'ACCEPT', matchSet: 'KUBE-CLUSTER-IP' },
          { jump: 'ACCEPT', matchSet: 'KUBE-LOAD-BALANCER' },
        ],
      },
    },
  },
  {
    test: 'TestOnlyLocalLoadBalancing',
    name: 'LoadBalancer with externalTrafficPolicy Local: only the local endpoint, KUBE-LOAD-BALANCER-LOCAL returns',
    manifests: `
apiVersion: v1
kind: Service
metadata: {name: svc1, namespace: ns1}
spec: {type: LoadBalancer, clusterIP: 10.20.30.41, ports: [{name: p80, port: 80, protocol: TCP, nodePort: 3001}], externalTrafficPolicy: Local}
status: {loadBalancer: {ingress: [{ip: 1.2.3.4}]}}
` + slice('TCP', '[{addresses: [10.180.0.1], nodeName: test-node}, {addresses: [10.180.1.1], nodeName: other-node}]'),
    localAddresses: [],
    expect: {
      vsCount: 2,
      vs: { key: 'TCP/1.2.3.4:80', realServers: ['10.180.0.1:80'] },
      ipsets: { 'KUBE-LOAD-BALANCER': ['1.2.3.4,tcp:80'], 'KUBE-LOAD-BALANCER-LOCAL': ['1.2.3.4,tcp:80'] },
      chains: {
        'KUBE-SERVICES': [
          { jump: 'RETURN', source: '127.0.0.0/8' },
          { jump: 'KUBE-LOAD-BALANCER', matchSet: 'KUBE-LOAD-BALANCER' },
          { jump: 'KUBE-MARK-MASQ', matchSet: 'KUBE-CLUSTER-IP' },
          { jump: 'KUBE-NODE-PORT' },
          { jump: 'ACCEPT', matchSet: 'KUBE-CLUSTER-IP' },
          { jump: 'ACCEPT', matchSet: 'KUBE-LOAD-BALANCER' },
        ],
        'KUBE-LOAD-BALANCER': [{ jump: 'RETURN', matchSet: 'KUBE-LOAD-BALANCER-LOCAL' }, { jump: 'KUBE-MARK-MASQ' }],
      },
    },
  },
  {
    test: 'TestSessionAffinity',
    name: 'ClientIP affinity: every virtual server persistent for the default 10800 s',
    manifests: nodePortSvc('TCP', '  externalIPs: [50.60.70.81]\n  sessionAffinity: ClientIP\n  sessionAffinityConfig: {clientIP: {timeoutSeconds: 10800}}'),
    localAddresses: ['100.101.102.103'],
    expect: { vsCount: 3, allTimeouts: 10800 },
  },
]
