import { describe, expect, it } from 'vitest'
import { freshNode } from './host.ts'
import { runConsoleLine } from './console.ts'

// Recorded with iproute2 6.1 in a network namespace set up as freshNode (eth0 172.18.0.2/16, default via
// 172.18.0.1): the argument, what `ip route get ARG` printed (stderr, then stdout) and its exit status.
const RECORDED: [string, string, number][] = [
  ["9007199254740993.8.8.8", "Error: any valid prefix is expected rather than \"9007199254740993.8.8.8\".\n", 1],
  ["1.2.3.4.5", "Error: any valid prefix is expected rather than \"1.2.3.4.5\".\n", 1],
  ["256.1.1.1", "Error: any valid prefix is expected rather than \"256.1.1.1\".\n", 1],
  ["1.2.3", "1.2.3.0 via 172.18.0.1 dev eth0 src 172.18.0.2 uid 0 \n    cache \n", 0],
  ["abc", "Error: any valid prefix is expected rather than \"abc\".\n", 1],
  ["01.2.3.4", "1.2.3.4 via 172.18.0.1 dev eth0 src 172.18.0.2 uid 0 \n    cache \n", 0],
  ["1", "1.0.0.0 via 172.18.0.1 dev eth0 src 172.18.0.2 uid 0 \n    cache \n", 0],
  ["0x7f.1", "local 127.1.0.0 dev lo src 127.0.0.1 uid 0 \n    cache <local> \n", 0],
  ["10.0.0.1/24", "Warning: /24 as prefix is invalid, only /32 (or none) is supported.\n10.0.0.1 via 172.18.0.1 dev eth0 src 172.18.0.2 uid 0 \n    cache \n", 0],
  ["10.0.0.1/32", "10.0.0.1 via 172.18.0.1 dev eth0 src 172.18.0.2 uid 0 \n    cache \n", 0],
  ["10.0.0.1/33", "Error: any valid prefix is expected rather than \"10.0.0.1/33\".\n", 1],
  ["10.0.0.1/x", "Error: any valid prefix is expected rather than \"10.0.0.1/x\".\n", 1],
  ["-1.2.3.4", "Error: any valid prefix is expected rather than \"-1.2.3.4\".\n", 1],
  ["-0.1.2.3", "0.1.2.3 via 172.18.0.1 dev eth0 src 172.18.0.2 uid 0 \n    cache \n", 0],
  ["+8.8.8.8", "8.8.8.8 via 172.18.0.1 dev eth0 src 172.18.0.2 uid 0 \n    cache \n", 0],
  ["4294967296", "Error: any valid prefix is expected rather than \"4294967296\".\n", 1],
  ["0x", "Error: any valid prefix is expected rather than \"0x\".\n", 1],
  ["08.1.1.1", "Error: any valid prefix is expected rather than \"08.1.1.1\".\n", 1],
  ["172.18.0.2", "local 172.18.0.2 dev lo src 172.18.0.2 uid 0 \n    cache <local> \n", 0],
  ["172.18.0.5", "172.18.0.5 dev eth0 src 172.18.0.2 uid 0 \n    cache \n", 0],
  ["127.0.0.1", "local 127.0.0.1 dev lo src 127.0.0.1 uid 0 \n    cache <local> \n", 0],
  ["1.", "Error: any valid prefix is expected rather than \"1.\".\n", 1],
  ["1..2", "Error: any valid prefix is expected rather than \"1..2\".\n", 1],
  ["0xff.0377.255.0", "255.255.255.0 via 172.18.0.1 dev eth0 src 172.18.0.2 uid 0 \n    cache \n", 0],
]

describe('ip route get: the address as iproute2 reads it', () => {
  it('reads one to four parts in any base, refuses the rest, as iproute2 6.1 does', () => {
    const host = freshNode()
    for (const [arg, printed, rc] of RECORDED) {
      const r = runConsoleLine(host, `ip route get ${arg}`)
      expect({ arg, printed: r.err + r.out, rc: r.rc }).toEqual({ arg, printed, rc })
    }
  })
})
