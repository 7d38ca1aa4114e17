/**
 * Just enough ipset for `-m set --match-set NAME DIRS`: sets of addresses (hash:ip) created, filled and
 * tested from the console, and the membership test a node's NodeNetView.ipsetTest can delegate to.
 * `ipset list` and the other set types are not simulated (their output would not match the real tool).
 */
import type { Ruleset } from './ruleset.ts'
import type { CommandResult } from './iptables-command.ts'
import type { Packet } from './types.ts'

/** Whether the set exists and holds the packet's address for the first direction (hash:ip). */
export function ipsetContains(ruleset: Ruleset, name: string, packet: Packet, dirs: ('src' | 'dst')[]): boolean | undefined {
  const set = ruleset.ipsets.get(name)
  if (!set) return undefined
  return set.has(dirs[0] === 'dst' ? packet.dst : packet.src)
}

/** Minimal ipset: create/destroy/add/del/test/list of hash:ip sets, so `-m set --match-set` can refer to them. */
export function runIpset(ruleset: Ruleset, argv: string[]): CommandResult {
  const [cmd, name, ...rest] = argv
  switch (cmd) {
    case 'create': case '-N': case 'n':
      if (!name || rest.length === 0) return { rc: 1, out: '', err: 'ipset v7.17: Syntax error: Missing mandatory argument\n' }
      if (ruleset.ipsets.has(name)) return { rc: 1, out: '', err: 'ipset v7.17: Set cannot be created: set with the same name already exists\n' }
      ruleset.ipsets.set(name, new Set())
      return { rc: 0, out: '', err: '' }
    case 'destroy': case '-X': case 'x':
      if (name === undefined) { ruleset.ipsets.clear(); return { rc: 0, out: '', err: '' } }
      if (!ruleset.ipsets.delete(name)) return { rc: 1, out: '', err: 'ipset v7.17: The set with the given name does not exist\n' }
      return { rc: 0, out: '', err: '' }
    case 'add': case 'del': case 'test': {
      const set = name === undefined ? undefined : ruleset.ipsets.get(name)
      if (!set) return { rc: 1, out: '', err: 'ipset v7.17: The set with the given name does not exist\n' }
      const entry = rest[0] ?? ''
      if (cmd === 'add') set.add(entry)
      else if (cmd === 'del') set.delete(entry)
      else if (!set.has(entry)) return { rc: 1, out: '', err: `${entry} is NOT in set ${name}.\n` }
      else return { rc: 0, out: '', err: `${entry} is in set ${name}.\n` }
      return { rc: 0, out: '', err: '' }
    }
    default:
      return { rc: 1, out: '', err: `ipset v7.17: No command specified: unknown argument ${cmd ?? ''}\n` }
  }
}

