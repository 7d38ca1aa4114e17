/**
 * The node console: one command line at a time, as a learner types it into a root shell on the node.
 * iptables, iptables-save and iptables-restore (with pasted text) go to the iptables command line;
 * `conntrack -L/-F`, `ip addr`, `ip route`, `dmesg`, `sysctl`, `history` and `help` are answered from
 * the host; anything else is "command not found" as bash says it (exit status 127).
 */
import { runCommandLine } from '../netfilter/command-line.ts'
import { formatConntrackLine } from '../netfilter/conntrack.ts'
import type { ConntrackEntry } from '../netfilter/types.ts'
import type { Host } from './host.ts'
import { ipAddr, ipRoute, ipRouteGet } from './ip-output.ts'
import type { ConsoleResult } from './console-types.ts'

const CONNTRACK_VERSION = 'conntrack v1.4.7 (conntrack-tools)'

export const CONSOLE_HELP = `Commands on this node (run as root; a leading sudo is accepted):
  iptables [-t TABLE] ...           change or list rules (-A -I -D -R -C -F -Z -N -X -E -P -L -S)
  iptables-save [-c] [-t TABLE]     print the rule set
  iptables-restore [--noflush]      load rules from pasted iptables-save text
  conntrack -L [-p P] [-s A] [-d A] [--sport N] [--dport N]    list tracked connections
  conntrack -F                      flush tracked connections
  ip addr | ip a                    interfaces and addresses
  ip route [show [table local]]     routing table
  ip route get ADDR                 the route a packet to ADDR takes
  ipset create|add|del|list ...     sets for -m set
  nft list ruleset | nft list table ip kube-proxy    kube-proxy's table (nftables mode)
  ipvsadm -Ln [--stats | -c]        IPVS virtual servers, counters, connections (IPVS mode)
  ip addr show kube-ipvs0           the addresses IPVS serves (IPVS mode)
  dmesg                             kernel log (LOG target lines)
  sysctl net.ipv4.ip_forward[=0|1]  show or set IP forwarding
  history                           commands typed so far
  help                              this text
`

/** Split a command line into words the way a shell does for simple commands (quotes, backslashes). */
export function shellWords(line: string): string[] {
  const words: string[] = []
  let cur = ''
  let inWord = false
  let quote: '"' | "'" | null = null
  for (let i = 0; i < line.length; i++) {
    const c = line[i]
    if (quote) {
      if (c === quote) quote = null
      else if (c === '\\' && quote === '"' && i + 1 < line.length && '"\\$`'.includes(line[i + 1])) cur += line[++i]
      else cur += c
      continue
    }
    if (c === "'" || c === '"') { quote = c; inWord = true; continue }
    if (c === '\\' && i + 1 < line.length) { cur += line[++i]; inWord = true; continue }
    if (c === '#' && !inWord) break
    if (c === ' ' || c === '\t') {
      if (inWord) { words.push(cur); cur = ''; inWord = false }
      continue
    }
    cur += c
    inWord = true
  }
  if (inWord) words.push(cur)
  return words
}

/**
 * Run one console line on the host. `stdin` is text pasted after the command (iptables-restore reads
 * its rules from it). The line is kept in the host's history.
 */
export function runConsoleLine(host: Host, line: string, stdin?: string): ConsoleResult {
  const trimmed = line.trim()
  if (trimmed === '' || trimmed.startsWith('#')) return { rc: 0, out: '', err: '' }
  host.history.push(trimmed)
  let words = shellWords(trimmed)
  let rest = trimmed
  while (words[0] === 'sudo') {
    words = words.slice(1)
    rest = rest.replace(/^sudo\s+/, '')
  }
  if (words.length === 0) return { rc: 0, out: '', err: '' }
  const cmd = words[0]
  // The node's kube-proxy mode answers its own tools first (nft, ipvsadm, ip addr show kube-ipvs0).
  const extra = host.extensions.console?.(words, stdin)
  if (extra) return extra
  switch (cmd) {
    case 'iptables':
    case 'iptables-save':
    case 'iptables-restore':
    case 'iptables-nft':
    case 'iptables-nft-save':
    case 'iptables-nft-restore':
    case 'ipset':
      return runCommandLine(host.ruleset, rest, stdin ?? '')
    case 'conntrack':
      return conntrackCommand(host, words.slice(1))
    case 'ip':
      return ipCommand(host, words.slice(1))
    case 'dmesg':
      return { rc: 0, out: host.dmesgLines.map((l) => l + '\n').join(''), err: '' }
    case 'sysctl':
      return sysctlCommand(host, words.slice(1))
    case 'history':
      return { rc: 0, out: host.history.map((h, i) => `${String(i + 1).padStart(5)}  ${h}\n`).join(''), err: '' }
    case 'help':
      return { rc: 0, out: CONSOLE_HELP, err: '' }
    default:
      return { rc: 127, out: '', err: `bash: ${cmd}: command not found\n` }
  }
}

function conntrackCommand(host: Host, args: string[]): ConsoleResult {
  const op = args[0]
  if (op === '-L' || op === '--dump') {
    const now = host.now()
    const filter = conntrackFilter(args.slice(1))
    if (typeof filter === 'string') return { rc: 2, out: '', err: `${CONNTRACK_VERSION}: ${filter}\nTry \`conntrack -h' or 'conntrack --help' for more information.\n` }
    const list = host.conntrack.list(now).filter((r) => filter(r.entry))
    const out = list.map((r) => formatConntrackLine(r, now) + '\n').join('')
    return { rc: 0, out, err: `${CONNTRACK_VERSION}: ${list.length} flow entries have been shown.\n` }
  }
  if (op === '-F' || op === '--flush') {
    host.conntrack.flush()
    return { rc: 0, out: '', err: `${CONNTRACK_VERSION}: connection tracking table has been emptied.\n` }
  }
  if (op === '-C' || op === '--count') {
    return { rc: 0, out: `${host.conntrack.list(host.now()).length}\n`, err: '' }
  }
  if (op === undefined) {
    return { rc: 2, out: '', err: `${CONNTRACK_VERSION}: no command specified\nTry \`conntrack -h' or 'conntrack --help' for more information.\n` }
  }
  return { rc: 2, out: '', err: `${CONNTRACK_VERSION}: this simulated node supports conntrack -L, -F and -C only\n` }
}

/**
 * The filters of `conntrack -L` learners use: -p PROTO, -s/--orig-src, -d/--orig-dst, --sport/--orig-port-src,
 * --dport/--orig-port-dst (original direction), -r/--reply-src, -q/--reply-dst, -m/--mark. Returns an error
 * text for what is not understood.
 */
function conntrackFilter(args: string[]): ((e: ConntrackEntry) => boolean) | string {
  const tests: ((e: ConntrackEntry) => boolean)[] = []
  for (let i = 0; i < args.length; i++) {
    const a = args[i]
    const v = args[i + 1]
    if (v === undefined) return `option \`${a}' requires an argument`
    i++
    switch (a) {
      case '-p': case '--proto': {
        const p = v.toLowerCase()
        if (!['tcp', 'udp', 'icmp', 'sctp'].includes(p)) return `\`${v}' unsupported protocol`
        tests.push((e) => e.original.proto === p)
        break
      }
      case '-s': case '--src': case '--orig-src': tests.push((e) => e.original.src === v); break
      case '-d': case '--dst': case '--orig-dst': tests.push((e) => e.original.dst === v); break
      case '-r': case '--reply-src': tests.push((e) => e.reply.src === v); break
      case '-q': case '--reply-dst': tests.push((e) => e.reply.dst === v); break
      case '--sport': case '--orig-port-src': tests.push((e) => e.original.sport === Number(v)); break
      case '--dport': case '--orig-port-dst': tests.push((e) => e.original.dport === Number(v)); break
      case '-m': case '--mark': tests.push((e) => e.mark === Number(v)); break
      default: return `this simulated node does not support conntrack option \`${a}'`
    }
  }
  return (e) => tests.every((t) => t(e))
}

function ipCommand(host: Host, args: string[]): ConsoleResult {
  const [object, ...rest] = args
  const isPrefix = (word: string | undefined, full: string, min = 1) =>
    word !== undefined && word.length >= min && full.startsWith(word)
  if (object === undefined) {
    return { rc: 255, out: '', err: 'Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }\n' }
  }
  if (isPrefix(object, 'address') || object === 'a') {
    const verb = rest[0]
    if (verb === undefined || isPrefix(verb, 'show') || isPrefix(verb, 'list')) {
      const devIdx = rest.indexOf('dev')
      const dev = devIdx >= 0 ? rest[devIdx + 1] : rest[1]
      return ipAddr(host, dev)
    }
    return { rc: 255, out: '', err: `Command "${verb}" is unknown, try "ip address help".\n` }
  }
  if (isPrefix(object, 'route') || object === 'r') {
    const verb = rest[0]
    if (verb === 'get') return ipRouteGet(host, rest[1] ?? '')
    if (verb === undefined || isPrefix(verb, 'show') || isPrefix(verb, 'list')) {
      const t = rest.indexOf('table')
      const table = t >= 0 ? rest[t + 1] : 'main'
      if (table !== 'main' && table !== 'local') return { rc: 0, out: '', err: '' }
      return { rc: 0, out: ipRoute(host, table), err: '' }
    }
    return { rc: 255, out: '', err: `Command "${verb}" is unknown, try "ip route help".\n` }
  }
  return { rc: 255, out: '', err: `Object "${object}" is unknown, try "ip help".\n` }
}

function sysctlCommand(host: Host, args: string[]): ConsoleResult {
  const words = args.filter((a) => a !== '-w' && a !== '-q')
  const quiet = args.includes('-q')
  if (words.length === 0) return { rc: 0, out: '', err: '' }
  let out = ''
  for (const w of words) {
    const [key, value] = w.split('=')
    const k = key.replace(/\//g, '.')
    if (k !== 'net.ipv4.ip_forward' && k !== 'net.ipv4.conf.all.forwarding') {
      return { rc: 255, out, err: `sysctl: cannot stat /proc/sys/${key.replace(/\./g, '/')}: No such file or directory\n` }
    }
    if (value !== undefined) {
      if (value !== '0' && value !== '1') return { rc: 255, out, err: `sysctl: setting key "${k}": Invalid argument\n` }
      host.ipForward = value === '1'
    }
    if (!quiet) out += `${k} = ${host.ipForward ? 1 : 0}\n`
  }
  return { rc: 0, out, err: '' }
}
