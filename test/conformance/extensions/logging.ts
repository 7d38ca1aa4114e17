/**
 * Targets that report a packet or hand it to user space: LOG, NFLOG, NFQUEUE, AUDIT, TRACE and ULOG.
 */
import type { ConformanceCase } from '../cases.ts'
import { LIST } from './listings.ts'


export const LOGGING_CASES: ConformanceCase[] = [
  {
    name: 'LOG every option',
    steps: [
      'iptables -A INPUT -j LOG', 'iptables -A INPUT -j LOG --log-level 7 --log-prefix "in: "', 'iptables -A INPUT -j LOG --log-level debug',
      'iptables -A INPUT -j LOG --log-level emerg', 'iptables -A INPUT -j LOG --log-level alert', 'iptables -A INPUT -j LOG --log-level crit', 'iptables -A INPUT -j LOG --log-level error',
      'iptables -A INPUT -j LOG --log-level warning', 'iptables -A INPUT -j LOG --log-level notice', 'iptables -A INPUT -j LOG --log-level info', 'iptables -A INPUT -j LOG --log-level panic',
      'iptables -A INPUT -j LOG --log-level warn', 'iptables -A INPUT -j LOG --log-level err', 'iptables -A INPUT -j LOG --log-level 8', 'iptables -A INPUT -j LOG --log-level foo',
      'iptables -A INPUT -j LOG --log-tcp-sequence --log-tcp-options --log-ip-options --log-uid --log-macdecode', 'iptables -A INPUT -j LOG --log-prefix ' + 'p'.repeat(29),
      'iptables -A INPUT -j LOG --log-prefix ' + 'p'.repeat(30), 'iptables -A INPUT -j LOG --log-prefix ""', 'iptables -A INPUT -j LOG --log-prefix "a\\"b"',
      'iptables -A INPUT -j LOG --log-level 4 --log-level 5', 'iptables -A INPUT -j LOG ! --log-uid', 'iptables -A INPUT -j LOG --log-prefix "tab\there"',
      ...LIST,
    ],
  },
  {
    name: 'NFLOG',
    steps: [
      'iptables -A INPUT -j NFLOG', 'iptables -A INPUT -j NFLOG --nflog-group 86', 'iptables -A INPUT -j NFLOG --nflog-group 65535 --nflog-prefix "dropped: " --nflog-size 128 --nflog-threshold 10',
      'iptables -A INPUT -j NFLOG --nflog-range 64', 'iptables -A INPUT -j NFLOG --nflog-size 0', 'iptables -A INPUT -j NFLOG --nflog-threshold 0', 'iptables -A INPUT -j NFLOG --nflog-group 65536',
      'iptables -A INPUT -j NFLOG --nflog-group x', 'iptables -A INPUT -j NFLOG --nflog-prefix ' + 'p'.repeat(63), 'iptables -A INPUT -j NFLOG --nflog-prefix ' + 'p'.repeat(64),
      'iptables -A INPUT -j NFLOG --nflog-prefix ""', 'iptables -A INPUT -j NFLOG --nflog-range 1 --nflog-size 2', 'iptables -A INPUT -j NFLOG --nflog-group 1 --nflog-group 2',
      'iptables -A INPUT -j NFLOG --nflog-size 4294967295', 'iptables -A INPUT -j NFLOG --nflog-threshold 65536', 'iptables -A INPUT -j NFLOG --nflog-prefix "a b"',
      'iptables -A INPUT -j NFLOG ! --nflog-group 1',
      ...LIST,
    ],
  },
  {
    name: 'NFQUEUE',
    steps: [
      'iptables -A INPUT -j NFQUEUE', 'iptables -A INPUT -j NFQUEUE --queue-num 5', 'iptables -A INPUT -j NFQUEUE --queue-num 65535 --queue-bypass',
      'iptables -A INPUT -j NFQUEUE --queue-balance 0:3', 'iptables -A INPUT -j NFQUEUE --queue-balance 2:5 --queue-bypass --queue-cpu-fanout', 'iptables -A INPUT -j NFQUEUE --queue-bypass',
      'iptables -A INPUT -j NFQUEUE --queue-num 65536', 'iptables -A INPUT -j NFQUEUE --queue-num x', 'iptables -A INPUT -j NFQUEUE --queue-balance 3:3', 'iptables -A INPUT -j NFQUEUE --queue-balance 4:2',
      'iptables -A INPUT -j NFQUEUE --queue-balance 3', 'iptables -A INPUT -j NFQUEUE --queue-balance 0:65535', 'iptables -A INPUT -j NFQUEUE --queue-balance 0:65534',
      'iptables -A INPUT -j NFQUEUE --queue-num 1 --queue-balance 1:2', 'iptables -A INPUT -j NFQUEUE --queue-cpu-fanout', 'iptables -A INPUT -j NFQUEUE --queue-num 1 --queue-num 2',
      'iptables -A INPUT -j NFQUEUE --queue-balance 1:', 'iptables -t mangle -A PREROUTING -j NFQUEUE --queue-num 3', 'iptables -t nat -A PREROUTING -j NFQUEUE --queue-num 3',
      'iptables -A INPUT -j NFQUEUE ! --queue-bypass', 'iptables -A INPUT -j QUEUE',
      ...LIST, 'iptables -t mangle -S', 'iptables -t nat -S',
    ],
  },
  {
    name: 'AUDIT',
    steps: [
      'iptables -A INPUT -j AUDIT --type accept', 'iptables -A INPUT -j AUDIT --type DROP', 'iptables -A INPUT -j AUDIT --type reject', 'iptables -A INPUT -j AUDIT',
      'iptables -A INPUT -j AUDIT --type foo', 'iptables -A INPUT -j AUDIT --type accept --type drop', 'iptables -t mangle -A PREROUTING -j AUDIT --type drop', 'iptables -t nat -A PREROUTING -j AUDIT --type drop',
      'iptables -t raw -A PREROUTING -j AUDIT --type accept', 'iptables -A INPUT -j AUDIT ! --type accept',
      ...LIST, 'iptables -t mangle -S', 'iptables -t nat -S', 'iptables -t raw -S',
    ],
  },
  {
    name: 'TRACE and ULOG',
    steps: [
      'iptables -t raw -A PREROUTING -p tcp --dport 80 -j TRACE', 'iptables -t raw -A OUTPUT -j TRACE', 'iptables -t mangle -A PREROUTING -j TRACE', 'iptables -A INPUT -j TRACE',
      'iptables -t raw -A PREROUTING -j TRACE --foo', 'iptables -A INPUT -j ULOG', 'iptables -A INPUT -j ULOG --ulog-nlgroup 2 --ulog-prefix x --ulog-cprange 100 --ulog-qthreshold 10',
      'iptables -A INPUT -j ULOG --ulog-nlgroup 33', 'iptables -A INPUT -j ULOG --ulog-qthreshold 51',
      'iptables -t raw -S', 'iptables -t raw -L -n', 'iptables -t raw -L -n -v', 'iptables -t mangle -S', ...LIST,
    ],
  },
  {
    name: 'logging targets restored',
    steps: [
      {
        line: 'iptables-restore',
        stdin: '*filter\n:INPUT DROP [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:WEAVE-NPC-EGRESS - [0:0]\n-A INPUT -m state --state INVALID -j NFLOG --nflog-group 86\n-A INPUT -p tcp -m tcp --dport 22 -j NFQUEUE --queue-num 1 --queue-bypass\n-A INPUT -j AUDIT --type drop\n-A INPUT -j LOG --log-prefix "INPUT drop: " --log-level 6 --log-uid\n-A WEAVE-NPC-EGRESS -m physdev --physdev-in vethwe-bridge --physdev-is-bridged -j RETURN\n-A WEAVE-NPC-EGRESS -j NFLOG --nflog-group 86\nCOMMIT\n',
      },
      'iptables-save -t filter', 'iptables -L -n -v',
      { line: 'iptables-restore', stdin: '*filter\n-A INPUT -j NFLOG --nflog-group 70000\nCOMMIT\n' },
      { line: 'iptables-restore', stdin: '*filter\n-A INPUT -j NFQUEUE --queue-balance 5:1\nCOMMIT\n' },
      { line: 'iptables-restore', stdin: '*filter\n-A INPUT -j ULOG\nCOMMIT\n' },
      'iptables-save -t filter',
    ],
  },
]
