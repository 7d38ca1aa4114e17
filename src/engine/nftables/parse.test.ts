/** Reading knftables transactions / dumps back, and writing them again unchanged. */
import { describe, expect, it } from 'vitest'
import { dumpTable } from './dump.ts'
import { NftParseError, parseDump, parseTransaction } from './parse.ts'
import { applyTransaction, NftTransactionError } from './transaction.ts'
import { emptyTable } from './model.ts'

const DUMP = `add table ip kube-proxy { comment "rules for kube-proxy" ; }
add chain ip kube-proxy filter-input { type filter hook input priority 0 ; }
add chain ip kube-proxy reject-chain { comment "helper for @no-endpoint-services / @no-endpoint-nodeports" ; }
add set ip kube-proxy affinity-X { type ipv4_addr ; flags dynamic,timeout ; timeout 10800s ; }
add set ip kube-proxy cluster-ips { type ipv4_addr ; comment "Active ClusterIPs" ; }
add map ip kube-proxy no-endpoint-services { type ipv4_addr . inet_proto . inet_service : verdict ; comment "vmap to drop or reject packets to services with no endpoints" ; }
add rule ip kube-proxy filter-input ct state new jump reject-chain comment "a comment"
add rule ip kube-proxy reject-chain reject
add element ip kube-proxy cluster-ips { 172.30.0.41 }
add element ip kube-proxy no-endpoint-services { 172.30.0.46 . tcp . 80 comment "ns6/svc6:p80" : goto reject-chain }
`

describe('parseDump / dumpTable', () => {
  it('round-trips knftables dump lines', () => {
    expect(dumpTable(parseDump(DUMP))).toBe(DUMP)
  })
  it('reads comments of rules and elements apart from their text', () => {
    const t = parseDump(DUMP)
    expect(t.chains[0].rules[0]).toEqual({ text: 'ct state new jump reject-chain', comment: 'a comment' })
    expect(t.sets[2].elements[0]).toEqual({ key: ['172.30.0.46', 'tcp', '80'], value: ['goto reject-chain'], comment: 'ns6/svc6:p80' })
  })
  it('names the line it cannot read', () => {
    expect(() => parseTransaction('add table ip t\nbogus line')).toThrow(NftParseError)
    expect(() => parseTransaction('add table ip t\nbogus line')).toThrow(/line 2/)
  })
})

describe('applyTransaction', () => {
  it('refuses a rule in a chain that does not exist, changing nothing', () => {
    const { ops } = parseTransaction('add table ip t\nadd rule ip t nowhere drop')
    expect(() => applyTransaction(emptyTable('ip', 't'), ops)).toThrow(NftTransactionError)
  })
  it('gives a dynamically updated set created in the same transaction the size 65535', () => {
    const { ops } = parseTransaction([
      'add table ip t', 'add set ip t a { type ipv4_addr ; flags dynamic,timeout ; timeout 10s ; }', 'add chain ip t c',
      'add rule ip t c update @a { ip saddr }',
    ].join('\n'))
    expect(applyTransaction(emptyTable('ip', 't'), ops).sets[0].size).toBe(65535)
  })
})
