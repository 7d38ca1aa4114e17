/**
 * Payload rule → iptables-save line. Each expectation below is what iptables-save v1.8.9 (nf_tables) printed
 * for the payload line in a network namespace (and the kernel acceptance test re-checks whole rule sets).
 */
import { describe, expect, it } from 'vitest'
import { saveString, toPayloadLine, toSaveLine } from './save-format.ts'
import { tokenize } from '../modes/iptables/test-support/upstream-sort.ts'

/** Rule text → save text, via the argument list kube-proxy would have built. */
function save(payloadLine: string): string {
  const args = tokenize(payloadLine)
  return toSaveLine(args[1], args.slice(2))
}

describe('iptables-save canonical form of kube-proxy rules', () => {
  it('moves addresses and -p to the front, adds /32, keeps matches in order', () => {
    expect(save('-A KUBE-SERVICES -m comment --comment "ns5/svc5:p80 cluster IP" -m tcp -p tcp -d 172.30.0.45 --dport 80 -j KUBE-SVC-NUKIZ6OKUXPJNT4C'))
      .toBe('-A KUBE-SERVICES -d 172.30.0.45/32 -p tcp -m comment --comment "ns5/svc5:p80 cluster IP" -m tcp --dport 80 -j KUBE-SVC-NUKIZ6OKUXPJNT4C')
    expect(save('-A KUBE-SVC-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 cluster IP" -m tcp -p tcp -d 172.30.0.45 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ'))
      .toBe('-A KUBE-SVC-NUKIZ6OKUXPJNT4C ! -s 10.0.0.0/8 -d 172.30.0.45/32 -p tcp -m comment --comment "ns5/svc5:p80 cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ')
    expect(save('-A KUBE-EXTERNAL-SERVICES -m comment --comment "ns2/svc2:p80 has no local endpoints" -m addrtype --dst-type LOCAL -m udp -p udp --dport 3001 -j DROP'))
      .toBe('-A KUBE-EXTERNAL-SERVICES -p udp -m comment --comment "ns2/svc2:p80 has no local endpoints" -m addrtype --dst-type LOCAL -m udp --dport 3001 -j DROP')
  })

  it('quotes comments unless they are only [A-Za-z0-9_-]', () => {
    expect(save('-A KUBE-SEP-I77PXRDZVX7PMWMN -m comment --comment ns5/svc5:p80 -s 10.180.0.3 -j KUBE-MARK-MASQ'))
      .toBe('-A KUBE-SEP-I77PXRDZVX7PMWMN -s 10.180.0.3/32 -m comment --comment "ns5/svc5:p80" -j KUBE-MARK-MASQ')
    expect(saveString('plain_word-1')).toBe('plain_word-1')
    expect(saveString('')).toBe('""')
    expect(saveString('say "hi"')).toBe('"say \\"hi\\""')
  })

  it('prints target and match options canonically', () => {
    expect(save('-A KUBE-MARK-MASQ -j MARK --or-mark 0x00004000')).toBe('-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000')
    expect(save('-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000')).toBe('-A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0')
    expect(save('-A KUBE-POSTROUTING -m mark ! --mark 0x00004000/0x00004000 -j RETURN')).toBe('-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN')
    expect(save('-A KUBE-SERVICES -m comment --comment "ns6/svc6:p80 has no endpoints" -m tcp -p tcp -d 172.30.0.46 --dport 80 -j REJECT'))
      .toBe('-A KUBE-SERVICES -d 172.30.0.46/32 -p tcp -m comment --comment "ns6/svc6:p80 has no endpoints" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable')
    expect(save('-A KUBE-SEP-I77PXRDZVX7PMWMN -m comment --comment ns5/svc5:p80 -m recent --name KUBE-SEP-I77PXRDZVX7PMWMN --set -m tcp -p tcp -j DNAT --to-destination 10.180.0.3:80'))
      .toBe('-A KUBE-SEP-I77PXRDZVX7PMWMN -p tcp -m comment --comment "ns5/svc5:p80" -m recent --set --name KUBE-SEP-I77PXRDZVX7PMWMN --mask 255.255.255.255 --rsource -m tcp -j DNAT --to-destination 10.180.0.3:80')
    expect(save('-A KUBE-SVC-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 -> 10.180.0.3:80" -m recent --name KUBE-SEP-I77PXRDZVX7PMWMN --rcheck --seconds 10800 --reap -j KUBE-SEP-I77PXRDZVX7PMWMN'))
      .toBe('-A KUBE-SVC-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 -> 10.180.0.3:80" -m recent --rcheck --seconds 10800 --reap --name KUBE-SEP-I77PXRDZVX7PMWMN --mask 255.255.255.255 --rsource -j KUBE-SEP-I77PXRDZVX7PMWMN')
    expect(save('-A KUBE-SVC-X -m comment --comment "a -> b" -m statistic --mode random --probability 0.3333333333 -j KUBE-SEP-Y'))
      .toBe('-A KUBE-SVC-X -m comment --comment "a -> b" -m statistic --mode random --probability 0.33333333349 -j KUBE-SEP-Y')
    // libxt_nfacct prints two spaces before the name.
    expect(save('-A KUBE-FORWARD -m conntrack --ctstate INVALID -m nfacct --nfacct-name ct_state_invalid_dropped_pkts -j DROP'))
      .toBe('-A KUBE-FORWARD -m conntrack --ctstate INVALID -m nfacct --nfacct-name  ct_state_invalid_dropped_pkts -j DROP')
    expect(save('-A KUBE-FIREWALL -m comment --comment "block incoming localnet connections" -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP'))
      .toBe('-A KUBE-FIREWALL ! -s 127.0.0.0/8 -d 127.0.0.0/8 -m comment --comment "block incoming localnet connections" -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP')
  })

  it('writes payload lines with quotes exactly around values holding spaces', () => {
    expect(toPayloadLine('KUBE-SEP-X', ['-m', 'comment', '--comment', 'ns1/svc1:p80', '-s', '10.0.0.1', '-j', 'KUBE-MARK-MASQ']))
      .toBe('-A KUBE-SEP-X -m comment --comment ns1/svc1:p80 -s 10.0.0.1 -j KUBE-MARK-MASQ')
    expect(toPayloadLine('KUBE-SVC-X', ['-m', 'comment', '--comment', 'ns1/svc1:p80 cluster IP', '-j', 'KUBE-MARK-MASQ']))
      .toBe('-A KUBE-SVC-X -m comment --comment "ns1/svc1:p80 cluster IP" -j KUBE-MARK-MASQ')
  })

  it('rejects arguments outside the grammar instead of guessing', () => {
    expect(() => toSaveLine('X', ['--dport', '80'])).toThrow(/before any -m/)
    expect(() => toSaveLine('X', ['bogus'])).toThrow(/unexpected argument/)
  })
})
