/**
 * The cluster the app starts with: what `kind create cluster` with one control-plane and two workers gives
 * (kind v0.29, Kubernetes v1.33), as manifests applied in the order the cluster comes up.
 *
 * Choices (kind creates its node containers in parallel, so Docker's address order varies between runs; we
 * fix the most common one): kind-control-plane 172.18.0.2, kind-worker 172.18.0.3, kind-worker2 172.18.0.4 on
 * the `kind` Docker network 172.18.0.0/16; podCIDRs 10.244.0.0/24, 10.244.1.0/24, 10.244.2.0/24 in the order
 * the Nodes register (control plane first); CoreDNS's two Pods land on the control plane (the only Node
 * ready when they are scheduled; they tolerate its taint) and get 10.244.0.2 and 10.244.0.3 from kindnet's
 * host-local IPAM. Left out: the static control-plane Pods, kindnet, kube-proxy and local-path-provisioner.
 */
import type { KubeProxyConfiguration } from './types.ts'

/** kube-proxy's defaults as kubeadm writes them into kind's kube-proxy ConfigMap. */
export function defaultKubeProxyConfig(): KubeProxyConfiguration {
  return {
    apiVersion: 'kubeproxy.config.k8s.io/v1alpha1',
    kind: 'KubeProxyConfiguration',
    mode: 'iptables',
    clusterCIDR: '10.244.0.0/16',
    iptables: { masqueradeAll: false, masqueradeBit: 14, localhostNodePorts: true, minSyncPeriod: '1s', syncPeriod: '30s' },
    ipvs: { scheduler: '', strictARP: false },
    nftables: { masqueradeAll: false, masqueradeBit: 14 },
    nodePortAddresses: [],
  }
}

/** What every API server has: the built-in namespaces and the service CIDR from --service-cluster-ip-range. */
export const BUILTIN_MANIFESTS = `
apiVersion: v1
kind: Namespace
metadata: {name: default}
---
apiVersion: v1
kind: Namespace
metadata: {name: kube-node-lease}
---
apiVersion: v1
kind: Namespace
metadata: {name: kube-public}
---
apiVersion: v1
kind: Namespace
metadata: {name: kube-system}
---
apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata: {name: kubernetes}
spec:
  cidrs: [10.96.0.0/16]
`

export const CONTROL_PLANE_MANIFESTS = `
apiVersion: v1
kind: Node
metadata:
  name: kind-control-plane
  labels:
    node-role.kubernetes.io/control-plane: ""
    node.kubernetes.io/exclude-from-external-load-balancers: ""
spec:
  podCIDR: 10.244.0.0/24
  podCIDRs: [10.244.0.0/24]
  taints:
  - key: node-role.kubernetes.io/control-plane
    effect: NoSchedule
status:
  addresses:
  - {type: InternalIP, address: 172.18.0.2}
  - {type: Hostname, address: kind-control-plane}
---
apiVersion: v1
kind: Service
metadata:
  name: kubernetes
  namespace: default
  labels: {component: apiserver, provider: kubernetes}
spec:
  type: ClusterIP
  clusterIP: 10.96.0.1
  ports:
  - {name: https, port: 443, protocol: TCP, targetPort: 6443}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: kubernetes
  namespace: default
  labels: {kubernetes.io/service-name: kubernetes}
addressType: IPv4
endpoints:
- addresses: [172.18.0.2]
  conditions: {ready: true}
ports:
- {name: https, port: 6443, protocol: TCP}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: coredns
  namespace: kube-system
  labels: {k8s-app: kube-dns}
spec:
  replicas: 2
  selector:
    matchLabels: {k8s-app: kube-dns}
  template:
    metadata:
      labels: {k8s-app: kube-dns}
    spec:
      nodeSelector: {kubernetes.io/os: linux}
      tolerations:
      - {key: CriticalAddonsOnly, operator: Exists}
      - {key: node-role.kubernetes.io/control-plane, effect: NoSchedule}
      containers:
      - name: coredns
        image: registry.k8s.io/coredns/coredns:v1.12.0
        ports:
        - {name: dns, containerPort: 53, protocol: UDP}
        - {name: dns-tcp, containerPort: 53, protocol: TCP}
        - {name: metrics, containerPort: 9153, protocol: TCP}
---
apiVersion: v1
kind: Service
metadata:
  name: kube-dns
  namespace: kube-system
  labels: {k8s-app: kube-dns, kubernetes.io/cluster-service: "true", kubernetes.io/name: CoreDNS}
spec:
  selector: {k8s-app: kube-dns}
  clusterIP: 10.96.0.10
  ports:
  - {name: dns, port: 53, protocol: UDP, targetPort: 53}
  - {name: dns-tcp, port: 53, protocol: TCP, targetPort: 53}
  - {name: metrics, port: 9153, protocol: TCP, targetPort: 9153}
`

export const WORKER_MANIFESTS = `
apiVersion: v1
kind: Node
metadata: {name: kind-worker}
spec:
  podCIDR: 10.244.1.0/24
  podCIDRs: [10.244.1.0/24]
status:
  addresses:
  - {type: InternalIP, address: 172.18.0.3}
  - {type: Hostname, address: kind-worker}
---
apiVersion: v1
kind: Node
metadata: {name: kind-worker2}
spec:
  podCIDR: 10.244.2.0/24
  podCIDRs: [10.244.2.0/24]
status:
  addresses:
  - {type: InternalIP, address: 172.18.0.4}
  - {type: Hostname, address: kind-worker2}
`
