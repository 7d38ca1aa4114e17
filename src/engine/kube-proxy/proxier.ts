/**
 * What every mode's proxier is to the rest of kube-proxy: the informers' handlers, all handed to the shared
 * ChangeTracker (upstream's proxiers implement the same ServiceHandler / EndpointSliceHandler / NodeHandler
 * each on pkg/proxy's trackers), plus the chains (or virtual servers) a Service owns after the last sync.
 */
import type { ClusterSnapshot, KubeProxyConfiguration, WatchEvent } from '../cluster/types.ts'
import { ChangeTracker } from './change-tracker.ts'
import type { ChangeTrackerOptions } from './change-tracker.ts'

export abstract class TrackingProxier {
  protected tracker: ChangeTracker

  constructor(readonly nodeName: string, config: KubeProxyConfiguration, trackerOptions: ChangeTrackerOptions = {}) {
    this.tracker = new ChangeTracker(nodeName, config, trackerOptions)
  }

  /** Start from a whole snapshot (an informer's initial list). */
  loadSnapshot(snapshot: ClusterSnapshot): void {
    this.tracker.loadSnapshot(snapshot)
  }

  /** Feed watch events (Services, EndpointSlices, Nodes, ServiceCIDRs; others are ignored). */
  observe(events: readonly WatchEvent[]): void {
    this.tracker.observe(events)
  }

  /** A changed KubeProxyConfiguration restarts kube-proxy: the next sync is full. */
  setConfig(config: KubeProxyConfiguration): void {
    this.tracker.setConfig(config)
  }

  requestFullSync(reason: string): void {
    this.tracker.requestFullSync(reason)
  }

  /** The cluster as this kube-proxy sees it. */
  view(): ClusterSnapshot {
    return this.tracker.view()
  }

  /** What a Service (`namespace/name`) owns on this node after the last sync. */
  abstract chainsOf(service: string): string[]
}
