/**
 * What a node's kube-proxy knows of the cluster, and what changed since its last sync: one tracker for every
 * proxy mode, as upstream's proxiers share pkg/proxy's ServiceChangeTracker and EndpointsChangeTracker
 * (servicechangetracker.go, endpointschangetracker.go).
 *
 * It consumes watch events for Services, EndpointSlices, Nodes and ServiceCIDRs (an informer's cache of
 * them), keeps the KubeProxyConfiguration, and remembers why the next sync must be full. A Service counts as
 * changed when what the proxiers build from it changed: its service ports (servicePortsOf, upstream's
 * ServicePortMap) or its endpoints as this node sees them (endpointsByServicePort, upstream's endpointsMap),
 * compared with what the last committed sync saw.
 *
 * Events that make one mode (not another) resync fully are the mode's business, as upstream's proxiers
 * implement OnTopologyChange and OnServiceCIDRsChanged each in their own way: `fullSyncOn` says which.
 */
import type {
  ClusterSnapshot, EndpointSlice, KubeProxyConfiguration, Node, Service, ServiceCIDR, WatchEvent,
} from '../cluster/types.ts'
import { endpointsByServicePort } from './service/endpoints.ts'
import { SERVICE_NAME_LABEL, servicePortsOf } from './service/service-port.ts'

export interface ChangeTrackerOptions {
  /** Events after which the next sync is full (iptables mode: a change of this node's labels, its topology). */
  fullSyncOn?: { nodeLabels?: boolean; serviceCIDRs?: boolean }
}

/** Per Service (`namespace/name`): its ports and, slice by slice, its endpoints as this node sees them. */
export type Fingerprints = ReadonlyMap<string, string>

/** What changed since the last committed sync. */
export interface PendingChanges {
  /** Services whose ports or endpoints differ from what the last committed sync saw. */
  changed: Set<string>
  fingerprints: Fingerprints
}

/** `namespace/name`, the namespace defaulted as the API server defaults it. */
export function objectKey(o: { metadata: { namespace?: string; name: string } }): string {
  return `${o.metadata.namespace ?? 'default'}/${o.metadata.name}`
}

const byName = <T extends { metadata: { namespace?: string; name: string } }>(a: T, b: T) => {
  const ka = `${a.metadata.namespace ?? ''}/${a.metadata.name}`
  const kb = `${b.metadata.namespace ?? ''}/${b.metadata.name}`
  return ka < kb ? -1 : ka > kb ? 1 : 0
}

export class ChangeTracker {
  private services = new Map<string, Service>()
  private slices = new Map<string, EndpointSlice>()
  private nodes = new Map<string, Node>()
  private serviceCIDRs = new Map<string, ServiceCIDR>()
  private committed: Fingerprints = new Map()
  private fullSyncReason: string | undefined = 'first sync'
  private readonly serviceTexts = new WeakMap<Service, string>()
  private readonly sliceTexts = new WeakMap<EndpointSlice, string>()

  constructor(readonly nodeName: string, private config: KubeProxyConfiguration, private readonly options: ChangeTrackerOptions = {}) {}

  /** Start from a whole snapshot (an informer's initial list). */
  loadSnapshot(snapshot: ClusterSnapshot): void {
    this.services = new Map(snapshot.services.map((s) => [objectKey(s), s]))
    this.slices = new Map(snapshot.endpointSlices.map((s) => [objectKey(s), s]))
    this.nodes = new Map(snapshot.nodes.map((n) => [n.metadata.name, n]))
    this.serviceCIDRs = new Map((snapshot.serviceCIDRs ?? []).map((c) => [c.metadata.name, c]))
    this.setConfig(snapshot.kubeProxyConfig)
  }

  /** A changed KubeProxyConfiguration restarts kube-proxy: the next sync is full. */
  setConfig(config: KubeProxyConfiguration): void {
    if (JSON.stringify(config) !== JSON.stringify(this.config)) this.requestFullSync('configuration changed')
    this.config = config
  }

  get kubeProxyConfig(): KubeProxyConfiguration {
    return this.config
  }

  /** The next sync is full; the first reason given since the last full sync is the one it reports. */
  requestFullSync(reason: string): void {
    this.fullSyncReason ??= reason
  }

  /** Why the next sync must be full, if it must. */
  get pendingFullSync(): string | undefined {
    return this.fullSyncReason
  }

  /** A full sync happened: nothing is pending any more. */
  fullSyncDone(): void {
    this.fullSyncReason = undefined
  }

  /** Feed watch events (Services, EndpointSlices, Nodes, ServiceCIDRs; others are ignored). */
  observe(events: readonly WatchEvent[]): void {
    for (const e of events) {
      const gone = e.type === 'DELETED'
      switch (e.kind) {
        case 'Service': {
          const s = e.object as Service
          if (gone) this.services.delete(objectKey(s))
          else this.services.set(objectKey(s), s)
          break
        }
        case 'EndpointSlice': {
          const s = e.object as EndpointSlice
          if (gone) this.slices.delete(objectKey(s))
          else this.slices.set(objectKey(s), s)
          break
        }
        case 'Node': {
          const n = e.object as Node
          if (n.metadata.name === this.nodeName && this.options.fullSyncOn?.nodeLabels) {
            const before = this.nodes.get(n.metadata.name)
            // Upstream: a change of this node's labels (topology) forces a full sync.
            if (before && JSON.stringify(before.metadata.labels ?? {}) !== JSON.stringify(n.metadata.labels ?? {})) {
              this.requestFullSync('node labels changed')
            }
          }
          if (gone) this.nodes.delete(n.metadata.name)
          else this.nodes.set(n.metadata.name, n)
          break
        }
        case 'ServiceCIDR': {
          const c = e.object as ServiceCIDR
          if (gone) this.serviceCIDRs.delete(c.metadata.name)
          else this.serviceCIDRs.set(c.metadata.name, c)
          // OnServiceCIDRsChanged (nftables mode): the drop rule for unallocated ClusterIPs is written by full syncs.
          if (this.options.fullSyncOn?.serviceCIDRs) this.requestFullSync('ServiceCIDRs changed')
          break
        }
        default:
          break
      }
    }
  }

  /** The Services kube-proxy knows (`namespace/name`), in the order it learnt of them. */
  serviceNames(): string[] {
    return [...this.services.keys()]
  }

  /** The cluster as this kube-proxy sees it (objects sorted by namespace/name; ServiceCIDRs as they came). */
  view(): ClusterSnapshot {
    return {
      namespaces: [], deployments: [], pods: [],
      nodes: [...this.nodes.values()].sort(byName),
      services: [...this.services.values()].sort(byName),
      endpointSlices: [...this.slices.values()].sort(byName),
      serviceCIDRs: [...this.serviceCIDRs.values()],
      kubeProxyConfig: this.config,
    }
  }

  /** What changed since the last commit(), for the Services of `snapshot` (this tracker's view()). */
  pendingChanges(snapshot: ClusterSnapshot): PendingChanges {
    const fingerprints = this.fingerprints(snapshot)
    const changed = new Set<string>()
    for (const k of new Set([...fingerprints.keys(), ...this.committed.keys()])) {
      if (fingerprints.get(k) !== this.committed.get(k)) changed.add(k)
    }
    return { changed, fingerprints }
  }

  /** A sync applied what `fingerprints` describe: later changes are measured from there. */
  commit(fingerprints: Fingerprints): void {
    this.committed = fingerprints
  }

  /**
   * What each Service looks like to this node — its ports and, per EndpointSlice, the endpoints as this node
   * sees them. Objects are immutable (a change replaces them), so each one is rendered once.
   */
  private fingerprints(snapshot: ClusterSnapshot): Map<string, string> {
    const out = new Map<string, string>()
    for (const svc of snapshot.services) out.set(objectKey(svc), this.serviceText(svc))
    for (const slice of snapshot.endpointSlices) {
      const name = slice.metadata.labels?.[SERVICE_NAME_LABEL]
      if (!name) continue
      const k = `${slice.metadata.namespace ?? 'default'}/${name}`
      // Slices of Services we do not know (yet) still count as a change of that Service name.
      out.set(k, (out.get(k) ?? '') + '|' + this.sliceText(slice))
    }
    return out
  }

  private serviceText(svc: Service): string {
    let t = this.serviceTexts.get(svc)
    if (t === undefined) this.serviceTexts.set(svc, (t = JSON.stringify(servicePortsOf(svc))))
    return t
  }

  private sliceText(slice: EndpointSlice): string {
    let t = this.sliceTexts.get(slice)
    if (t === undefined) {
      const eps = endpointsByServicePort([slice], this.nodeName)
      this.sliceTexts.set(slice, (t = slice.metadata.name + JSON.stringify([...eps])))
    }
    return t
  }

  /** An independent copy: what it has seen, what it last committed and what full sync is pending. */
  clone(): ChangeTracker {
    const copy = new ChangeTracker(this.nodeName, this.config, this.options)
    copy.services = new Map(this.services)
    copy.slices = new Map(this.slices)
    copy.nodes = new Map(this.nodes)
    copy.serviceCIDRs = new Map(this.serviceCIDRs)
    copy.committed = this.committed
    copy.fullSyncReason = this.fullSyncReason
    return copy
  }
}
