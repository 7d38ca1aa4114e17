import { useAppStore } from '../../state/store.ts'
import type { ProxyMode } from '../../engine/kube-proxy/proxy-modes.ts'

/** The mode kube-proxy runs in on every Node of the cluster on screen (null until the engine answers). */
export function useProxyMode(): ProxyMode | null {
  return useAppStore((s) => s.view?.snapshot.kubeProxyConfig.mode ?? null)
}
