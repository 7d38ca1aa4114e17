import type { ProxyMode } from '../../engine/kube-proxy/proxy-modes.ts'

/** How each mode finds a Service, in a few words (select options, pane headings, the chart's legend). */
export const MODE_LABELS: Record<ProxyMode, string> = {
  iptables: 'iptables',
  ipvs: 'IPVS',
  nftables: 'nftables',
}

/** Series colours, distinguishable for common colour-vision deficiencies (Okabe–Ito palette). */
export const MODE_COLOURS: Record<ProxyMode, string> = {
  iptables: '#D55E00',
  ipvs: '#0072B2',
  nftables: '#009E73',
}
