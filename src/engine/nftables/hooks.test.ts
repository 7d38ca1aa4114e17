/** The order of iptables tables and nftables base chains at a hook. */
import { describe, expect, it } from 'vitest'
import { hookSchedule } from './hooks.ts'
import { parseDump } from './parse.ts'

const kubeProxy = parseDump(`add table ip kube-proxy
add chain ip kube-proxy filter-prerouting-pre-dnat { type filter hook prerouting priority -110 ; }
add chain ip kube-proxy nat-prerouting { type nat hook prerouting priority -100 ; }
add chain ip kube-proxy filter-output-pre-dnat { type filter hook output priority -110 ; }
add chain ip kube-proxy nat-output { type nat hook output priority -100 ; }
add chain ip kube-proxy filter-output { type filter hook output priority 0 ; }
`)

const names = (hook: Parameters<typeof hookSchedule>[0], tables: Parameters<typeof hookSchedule>[1]) =>
  hookSchedule(hook, tables, [kubeProxy]).map((s) => (s.kind === 'iptables' ? `iptables ${s.table}` : `nft ${s.chain.name}`))

describe('hookSchedule', () => {
  it('puts kube-proxy\'s pre-DNAT filter chain between mangle and nat, and ours before iptables\' at equal priority', () => {
    expect(names('prerouting', ['raw', 'mangle', 'nat'])).toEqual([
      'iptables raw', 'iptables mangle', 'nft filter-prerouting-pre-dnat', 'nft nat-prerouting', 'iptables nat',
    ])
  })
  it('orders the output hook', () => {
    expect(names('output', ['raw', 'mangle', 'nat', 'filter', 'security'])).toEqual([
      'iptables raw', 'iptables mangle', 'nft filter-output-pre-dnat', 'nft nat-output', 'iptables nat',
      'nft filter-output', 'iptables filter', 'iptables security',
    ])
  })
})
