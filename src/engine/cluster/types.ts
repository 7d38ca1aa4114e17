/**
 * The cluster's objects, shaped as the Kubernetes API shapes them (the subset the simulator needs), so that
 * a manifest, `kubectl get -o yaml` output and our `--json` output read the same way.
 *
 * Objects held by the cluster are plain, serialisable data and are treated as immutable: a controller that
 * changes an object replaces it (new resourceVersion) and records a watch event.
 */

export interface ObjectMeta {
  name: string
  /** Absent for cluster-scoped kinds (Node, Namespace, ServiceCIDR). */
  namespace?: string
  uid: string
  /** Increases by one on every change of this object (a cluster-wide counter, as etcd's revision). */
  resourceVersion: string
  /** Simulated time, RFC 3339 (the cluster's clock is deterministic). */
  creationTimestamp: string
  generateName?: string
  labels?: Record<string, string>
  annotations?: Record<string, string>
  ownerReferences?: OwnerReference[]
  /** Set while an object is terminating (a Pod during its grace period). */
  deletionTimestamp?: string
}

export interface OwnerReference {
  apiVersion: string
  kind: string
  name: string
  uid: string
  controller?: boolean
}

export type Protocol = 'TCP' | 'UDP' | 'SCTP'

// ---------------------------------------------------------------------------------------------- Namespace

export interface Namespace {
  apiVersion: 'v1'
  kind: 'Namespace'
  metadata: ObjectMeta
  status: { phase: 'Active' | 'Terminating' }
}

// ---------------------------------------------------------------------------------------------- Node

export interface Taint {
  key: string
  value?: string
  effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute'
  /** RFC 3339; set on NoExecute taints (the taint manager evicts Pods tolerating them for a limited time). */
  timeAdded?: string
}

export interface NodeAddress {
  type: 'InternalIP' | 'ExternalIP' | 'Hostname'
  address: string
}

export interface NodeCondition {
  type: 'Ready'
  status: 'True' | 'False' | 'Unknown'
  reason?: string
}

export interface Node {
  apiVersion: 'v1'
  kind: 'Node'
  metadata: ObjectMeta
  spec: {
    podCIDR?: string
    podCIDRs?: string[]
    unschedulable?: boolean
    taints?: Taint[]
  }
  status: {
    addresses: NodeAddress[]
    conditions: NodeCondition[]
  }
}

// ---------------------------------------------------------------------------------------------- Pods

export interface ContainerPort {
  name?: string
  containerPort: number
  protocol?: Protocol
}

export interface Container {
  name: string
  image: string
  ports?: ContainerPort[]
}

export interface Toleration {
  key?: string
  operator?: 'Exists' | 'Equal'
  value?: string
  effect?: Taint['effect']
  /** For NoExecute: how long the Pod stays bound after the taint appears (then it is evicted). */
  tolerationSeconds?: number
}

export interface PodSpec {
  containers: Container[]
  nodeName?: string
  nodeSelector?: Record<string, string>
  tolerations?: Toleration[]
  hostNetwork?: boolean
  terminationGracePeriodSeconds?: number
}

export interface PodCondition {
  type: 'Ready' | 'PodScheduled' | 'ContainersReady' | 'Initialized'
  status: 'True' | 'False'
}

export interface Pod {
  apiVersion: 'v1'
  kind: 'Pod'
  metadata: ObjectMeta
  spec: PodSpec
  status: {
    phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed'
    conditions?: PodCondition[]
    podIP?: string
    podIPs?: { ip: string }[]
    hostIP?: string
  }
}

export interface LabelSelector {
  matchLabels?: Record<string, string>
  matchExpressions?: { key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }[]
}

export interface Deployment {
  apiVersion: 'apps/v1'
  kind: 'Deployment'
  metadata: ObjectMeta
  spec: {
    replicas: number
    selector: LabelSelector
    template: { metadata: { labels?: Record<string, string>; annotations?: Record<string, string> }; spec: PodSpec }
  }
  status: { replicas: number; readyReplicas: number; availableReplicas: number }
}

// ---------------------------------------------------------------------------------------------- Services

export interface ServicePort {
  name?: string
  protocol: Protocol
  port: number
  /** A number, or the name of a container port resolved per Pod by the EndpointSlice controller. */
  targetPort: number | string
  nodePort?: number
  appProtocol?: string
}

export type ServiceType = 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName'

export interface Service {
  apiVersion: 'v1'
  kind: 'Service'
  metadata: ObjectMeta
  spec: {
    type: ServiceType
    selector?: Record<string, string>
    ports: ServicePort[]
    /** 'None' for a headless Service. */
    clusterIP?: string
    clusterIPs?: string[]
    externalIPs?: string[]
    externalName?: string
    sessionAffinity: 'None' | 'ClientIP'
    sessionAffinityConfig?: { clientIP?: { timeoutSeconds?: number } }
    externalTrafficPolicy?: 'Cluster' | 'Local'
    internalTrafficPolicy?: 'Cluster' | 'Local'
    healthCheckNodePort?: number
    loadBalancerIP?: string
    loadBalancerSourceRanges?: string[]
    allocateLoadBalancerNodePorts?: boolean
    publishNotReadyAddresses?: boolean
    ipFamilies?: ('IPv4' | 'IPv6')[]
  }
  status: {
    loadBalancer: { ingress?: { ip?: string; hostname?: string; ipMode?: 'VIP' | 'Proxy' }[] }
  }
}

export interface EndpointConditions {
  ready?: boolean
  serving?: boolean
  terminating?: boolean
}

export interface Endpoint {
  addresses: string[]
  conditions: EndpointConditions
  nodeName?: string
  zone?: string
  hostname?: string
  targetRef?: { kind: 'Pod'; name: string; namespace: string; uid?: string }
}

export interface EndpointPort {
  name?: string
  protocol: Protocol
  port: number
}

export interface EndpointSlice {
  apiVersion: 'discovery.k8s.io/v1'
  kind: 'EndpointSlice'
  metadata: ObjectMeta
  addressType: 'IPv4' | 'IPv6' | 'FQDN'
  endpoints: Endpoint[]
  ports: EndpointPort[]
}

/** `networking.k8s.io/v1` ServiceCIDR: adds a range cluster IPs are allocated from. */
export interface ServiceCIDR {
  apiVersion: 'networking.k8s.io/v1'
  kind: 'ServiceCIDR'
  metadata: ObjectMeta
  spec: { cidrs: string[] }
}

/**
 * `kubeproxy.config.k8s.io/v1alpha1` KubeProxyConfiguration: cluster-wide here (the app runs one
 * configuration for every Node, as a kubeadm/kind cluster does through its ConfigMap).
 */
export interface KubeProxyConfiguration {
  apiVersion: 'kubeproxy.config.k8s.io/v1alpha1'
  kind: 'KubeProxyConfiguration'
  mode: 'iptables' | 'ipvs' | 'nftables'
  clusterCIDR: string
  iptables: {
    masqueradeAll: boolean
    masqueradeBit: number
    localhostNodePorts: boolean
    minSyncPeriod?: string
    syncPeriod?: string
  }
  ipvs: {
    scheduler: string
    strictARP?: boolean
  }
  nftables: {
    masqueradeAll: boolean
    masqueradeBit: number
  }
  nodePortAddresses: string[]
}

export type ClusterObject =
  | Namespace
  | Node
  | Pod
  | Deployment
  | Service
  | EndpointSlice
  | ServiceCIDR

export type ClusterObjectKind = ClusterObject['kind']

/** A watch event, as an informer delivers it. Kept in order on the cluster. */
export interface WatchEvent {
  /** Position in the cluster's event stream, from 1. */
  seq: number
  type: 'ADDED' | 'MODIFIED' | 'DELETED'
  kind: ClusterObjectKind
  /** The object after the change (for DELETED: its last state). */
  object: ClusterObject
  /** For MODIFIED: the object before the change. */
  oldObject?: ClusterObject
}

/** An event as `kubectl get events` lists it (for people, not for controllers). */
export interface ClusterEventRecord {
  seq: number
  /** Simulated time, RFC 3339. */
  time: string
  type: 'Normal' | 'Warning'
  reason: string
  /** e.g. `pod/nginx-deployment-7c5ddbdf54-2xk9q` */
  object: string
  namespace?: string
  message: string
}

/**
 * Everything a kube-proxy, the UI or the CLI needs to know about the cluster at one moment.
 * Plain data; every array is in a stable, deterministic order (namespace, then name).
 */
export interface ClusterSnapshot {
  namespaces: Namespace[]
  nodes: Node[]
  deployments: Deployment[]
  pods: Pod[]
  services: Service[]
  endpointSlices: EndpointSlice[]
  serviceCIDRs: ServiceCIDR[]
  kubeProxyConfig: KubeProxyConfiguration
  /** The simulated clock when the snapshot was taken, RFC 3339 (for AGE columns). */
  now?: string
}
