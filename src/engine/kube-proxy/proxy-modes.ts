/** kube-proxy's proxy modes: pure data that the UI may import (no engine code behind it). */
import type { KubeProxyConfiguration } from '../cluster/types.ts'

export type ProxyMode = KubeProxyConfiguration['mode']
export const PROXY_MODES: readonly ProxyMode[] = ['iptables', 'ipvs', 'nftables']
