/**
 * Messages of the compare view: the same packet under two kube-proxy modes, and the chart of rules
 * evaluated per packet against the number of Services. Like every request, a comparison carries the
 * scenario; the worker answers from copies of that cluster and never changes the scenario's own.
 */
import type { Journey } from '../engine/journeys/journey.ts'
import type { RulesPerPacket } from '../engine/kube-proxy/compare.ts'
import type { ProxyMode } from '../engine/kube-proxy/proxy-modes.ts'
import type { Scenario } from './operations.ts'

/** What to send: as the player's form gives it (a Pod `ns/name`, a Node or an IP; a Service `ns/name` or an IP). */
export interface ComparePacket {
  from: string
  to: string
  port: number
  proto: 'tcp' | 'udp'
}

export type CompareRequest =
  /** Send `packet` on a copy of the scenario's cluster switched to each mode (in the order given). */
  | { type: 'compareModes'; scenario: Scenario; modes: ProxyMode[]; packet: ComparePacket }
  /** Rules one packet evaluates on its way to a Service when a Node has `services` Services, in `mode`. */
  | { type: 'rulesScaling'; mode: ProxyMode; services: number }

export interface CompareModeResult {
  mode: ProxyMode
  journey: Journey | null
  /** Why the packet could not be sent under this mode. */
  error: string | null
}

export type CompareResponse =
  | { type: 'compareModes'; results: CompareModeResult[] }
  | { type: 'rulesScaling'; measured: RulesPerPacket }

/**
 * The manifest that switches kube-proxy's mode: only `mode` is set, so the rest of the configuration
 * (masquerade bit, scheduler, ...) stays as it was, as with `kubectl apply` of a partial configuration here.
 */
export function modeManifest(mode: ProxyMode): string {
  return `apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: ${mode}\n`
}
