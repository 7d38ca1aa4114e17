/**
 * `-m physdev` as iptables 1.8.9 (nf_tables) answers it: a transcript measured in a network namespace (command,
 * exit status, stdout, stderr), and how a packet that no bridge handled fares (xt_physdev: only negated
 * options hold).
 */
import { describe, expect, it } from 'vitest'
import { runCommandLine } from '../command-line.ts'
import { evaluateRule } from '../evaluate-rule.ts'
import { Ruleset } from '../ruleset.ts'
import { context, ruleFrom } from '../test-support/rules.ts'

const MEASURED: [string, number, string, string][] = [
  ["iptables -t nat -N KUBE-SERVICES", 0, "", ""],
  ["iptables -t nat -A KUBE-SERVICES -d 10.0.0.1/32 -p tcp -m physdev ! --physdev-is-in -m addrtype ! --src-type LOCAL -j ACCEPT", 0, "", ""],
  ["iptables -t nat -A KUBE-SERVICES -m physdev --physdev-in eth0 --physdev-is-bridged -j ACCEPT", 0, "", ""],
  ["iptables -t nat -A KUBE-SERVICES -m physdev ! --physdev-out veth+ --physdev-is-out -j ACCEPT", 0, "", ""],
  ["iptables -t nat -S KUBE-SERVICES", 0, "-N KUBE-SERVICES\n-A KUBE-SERVICES -d 10.0.0.1/32 -p tcp -m physdev ! --physdev-is-in -m addrtype ! --src-type LOCAL -j ACCEPT\n-A KUBE-SERVICES -m physdev --physdev-in eth0 --physdev-is-bridged -j ACCEPT\n-A KUBE-SERVICES -m physdev --physdev-is-out ! --physdev-out veth+ -j ACCEPT\n", ""],
  ["iptables -t nat -L KUBE-SERVICES -n", 0, "Chain KUBE-SERVICES (0 references)\ntarget     prot opt source               destination         \nACCEPT     6    --  0.0.0.0/0            10.0.0.1             PHYSDEV match ! --physdev-is-in ADDRTYPE match src-type !LOCAL\nACCEPT     0    --  0.0.0.0/0            0.0.0.0/0            PHYSDEV match --physdev-in eth0 --physdev-is-bridged\nACCEPT     0    --  0.0.0.0/0            0.0.0.0/0            PHYSDEV match --physdev-is-out ! --physdev-out veth+\n", ""],
  ["iptables -t nat -L KUBE-SERVICES -n -v", 0, "Chain KUBE-SERVICES (0 references)\n pkts bytes target     prot opt in     out     source               destination         \n    0     0 ACCEPT     6    --  *      *       0.0.0.0/0            10.0.0.1             PHYSDEV match ! --physdev-is-in ADDRTYPE match src-type !LOCAL\n    0     0 ACCEPT     0    --  *      *       0.0.0.0/0            0.0.0.0/0            PHYSDEV match --physdev-in eth0 --physdev-is-bridged\n    0     0 ACCEPT     0    --  *      *       0.0.0.0/0            0.0.0.0/0            PHYSDEV match --physdev-is-out ! --physdev-out veth+\n", ""],
  ["iptables -t nat -A KUBE-SERVICES -m physdev -j ACCEPT", 2, "", "iptables v1.8.9 (nf_tables): PHYSDEV: no physdev option specified\nTry `iptables -h' or 'iptables --help' for more information.\n"],
  ["iptables -t nat -A KUBE-SERVICES -m physdev ! --physdev-is-bridged --physdev-is-in --physdev-is-out -j ACCEPT", 0, "", ""],
  ["iptables -t nat -S KUBE-SERVICES", 0, "-N KUBE-SERVICES\n-A KUBE-SERVICES -d 10.0.0.1/32 -p tcp -m physdev ! --physdev-is-in -m addrtype ! --src-type LOCAL -j ACCEPT\n-A KUBE-SERVICES -m physdev --physdev-in eth0 --physdev-is-bridged -j ACCEPT\n-A KUBE-SERVICES -m physdev --physdev-is-out ! --physdev-out veth+ -j ACCEPT\n-A KUBE-SERVICES -m physdev --physdev-is-in --physdev-is-out ! --physdev-is-bridged -j ACCEPT\n", ""],
  ["iptables -A OUTPUT -m physdev --physdev-is-out -j ACCEPT", 4, "", "iptables v1.8.9 (nf_tables):  RULE_APPEND failed (Invalid argument): rule in chain OUTPUT\n"],
  ["iptables -A OUTPUT -m physdev --physdev-out eth0 --physdev-is-bridged -j ACCEPT", 0, "", ""],
  ["iptables -A INPUT -m physdev --physdev-out eth0 -j ACCEPT", 0, "", ""],
  ["iptables -A INPUT -m physdev --physdev-in -j ACCEPT", 2, "", "Bad argument `ACCEPT'\nTry `iptables -h' or 'iptables --help' for more information.\n"],
  ["iptables -A INPUT -m physdev --physdev-is-in --physdev-is-in -j ACCEPT", 2, "", "iptables v1.8.9 (nf_tables): physdev: option \"--physdev-is-in\" can only be used once.\n\nTry `iptables -h' or 'iptables --help' for more information.\n"],
  ["iptables -A INPUT -m physdev --physdev-in eth0 --physdev-in eth1 -j ACCEPT", 2, "", "iptables v1.8.9 (nf_tables): physdev: option \"--physdev-in\" can only be used once.\n\nTry `iptables -h' or 'iptables --help' for more information.\n"],
  ["iptables -A FORWARD -m physdev --physdev-out eth0 -j ACCEPT", 0, "", ""],
  ["iptables -S", 0, "-P INPUT ACCEPT\n-P FORWARD ACCEPT\n-P OUTPUT ACCEPT\n-A INPUT -m physdev --physdev-out eth0 -j ACCEPT\n-A FORWARD -m physdev --physdev-out eth0 -j ACCEPT\n-A OUTPUT -m physdev --physdev-out eth0 --physdev-is-bridged -j ACCEPT\n", ""],
]

describe('-m physdev', () => {
  it('is written, listed and refused as iptables does it', () => {
    const rs = Ruleset.create()
    for (const [cmd, rc, out, err] of MEASURED) expect(runCommandLine(rs, cmd), cmd).toEqual({ rc, out, err })
  })

  it('holds for a packet no bridge handled only when every option is negated', () => {
    const ctx = context()
    expect(evaluateRule(ruleFrom('-m physdev ! --physdev-is-in -j ACCEPT', 'nat', 'PREROUTING'), ctx).matched).toBe(true)
    expect(evaluateRule(ruleFrom('-m physdev ! --physdev-is-in ! --physdev-in eth0 -j ACCEPT', 'nat', 'PREROUTING'), ctx).matched).toBe(true)
    expect(evaluateRule(ruleFrom('-m physdev --physdev-is-bridged -j ACCEPT', 'nat', 'PREROUTING'), ctx).matched).toBe(false)
    expect(evaluateRule(ruleFrom('-m physdev ! --physdev-is-in --physdev-in eth0 -j ACCEPT', 'nat', 'PREROUTING'), ctx).clauses.at(-1)?.why)
      .toBe('no bridge on this node: the packet did not cross a bridge port, so --physdev-in cannot hold')
  })
})
