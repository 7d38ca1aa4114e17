/**
 * The node console: what a learner types into a root shell on the node, run by the node's shell
 * (src/engine/shell: pipes, lists, quoting, variables, $(…), redirects to the node's files, the text tools).
 * The node's own tools are commands of that shell: iptables, iptables-save and iptables-restore (standard
 * input from a pipe, a redirect or pasted text), ipset, `conntrack -L/-F/-C`, `ip addr`, `ip route`,
 * `dmesg`, `sysctl`, `help`, and what the node's kube-proxy mode brings (nft, ipvsadm). Anything else is
 * "command not found" as bash says it (exit status 127).
 */
import { formatConntrackLine } from '../netfilter/conntrack.ts'
import { DEFAULT_SAVE_DATE, runIptables, runIptablesRestore, runIptablesSave } from '../netfilter/iptables-command.ts'
import { runIpset } from '../ipset/command.ts'
import type { ConntrackEntry } from '../netfilter/types.ts'
import { FsError } from '../shell/filesystem.ts'
import { rerunWatch, runShell, type ShellEnvironment } from '../shell/shell.ts'
import type { Host } from './host.ts'
import { ipAddr, ipRoute, ipRouteGet } from './ip-output.ts'
import type { ConsoleResult } from './console-types.ts'

const CONNTRACK_VERSION = 'conntrack v1.4.7 (conntrack-tools)'

export const CONSOLE_HELP = `A root shell on this node: bash with pipes (|), lists (&& || ;), quotes, $VAR, $(...),
redirects (> >> < 2>&1 <<EOF), for/while/if/case; a leading sudo is accepted. Files you write stay on
this node (home /root; /tmp, /etc, /var/log).

Node tools (they read a pipe or a file too: iptables-save | grep -c KUBE, iptables-restore < FILE):
  iptables [-t TABLE] ...           change or list rules (-A -I -D -R -C -F -Z -N -X -E -P -L -S)
  iptables-save [-c] [-t TABLE]     print the rule set
  iptables-restore [--noflush]      load rules from standard input
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
  sysctl net.ipv4.ip_forward[=0|1]  show or set IP forwarding (also /proc/sys/net/ipv4/ip_forward)

Shell tools: grep head tail wc sort uniq cut awk sed tr diff cat echo printf tee less more xargs seq
  test [ watch ls cd pwd mkdir rm touch cp mv env export history type which clear exit
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
 * Run one console line on the host's shell. `stdin` is text pasted after the command: the body of a
 * here-document the line opens (`iptables-restore <<EOF`), else the line's standard input. The line is kept
 * in the host's history.
 */
export function runConsoleLine(host: Host, line: string, stdin?: string): ConsoleResult {
  const trimmed = line.trim()
  if (trimmed === '' || trimmed.startsWith('#')) return { rc: 0, out: '', err: '' }
  host.history.push(trimmed)
  return runShell(host.shell, trimmed, shellEnvironment(host), stdin)
}

/** The last `watch` typed on this node, run again (the console does so on each scenario step). */
export function rerunConsoleWatch(host: Host): ConsoleResult | undefined {
  return rerunWatch(host.shell, shellEnvironment(host))
}

/** The kernel settings a node's files show: /proc/sys/net/ipv4/ip_forward and conf/all/forwarding. */
const FORWARDING_FILES = ['/proc/sys/net/ipv4/ip_forward', '/proc/sys/net/ipv4/conf/all/forwarding']

function shellEnvironment(host: Host): ShellEnvironment {
  // Mounted on every line: a cloned host's filesystem must answer for that host.
  for (const path of FORWARDING_FILES) {
    host.shell.fs.mount(path, {
      read: () => `${host.ipForward ? 1 : 0}\n`,
      write: (text) => {
        // The kernel takes any integer (non-zero turns forwarding on); this node keeps on or off.
        if (!/^\s*-?\d+\s*$/.test(text)) throw new FsError('EINVAL', path)
        host.ipForward = Number(text) !== 0
      },
    })
  }
  return {
    hostname: host.name,
    history: host.history,
    // Wall-clock time: the date iptables-save prints, moved on by the node's uptime.
    now: () => DEFAULT_SAVE_DATE.getTime() + host.now(),
    nodeCommand: (argv, stdin) => nodeCommand(host, argv, stdin),
    nodeCommandPaths: NODE_COMMAND_PATHS,
  }
}

/** Where a Debian 12 (kind) node has its tools, for `which` and `type`. */
const NODE_COMMAND_PATHS: Readonly<Record<string, string>> = Object.fromEntries([
  ...['iptables', 'iptables-save', 'iptables-restore', 'iptables-nft', 'iptables-nft-save', 'iptables-nft-restore', 'ipset', 'conntrack', 'ip', 'sysctl', 'nft', 'ipvsadm']
    .map((c) => [c, `/usr/sbin/${c}`]),
  ['dmesg', '/usr/bin/dmesg'],
])

/** Commands that read standard input (the rest are not given it, so pasted text waits for one that does). */
function readsStdin(words: readonly string[]): boolean {
  const [cmd, ...args] = words
  if (/^iptables(-nft|-legacy)?-restore$/.test(cmd) || cmd === 'ipvsadm-restore') return true
  if (cmd === 'ipset') return args[0] === 'restore' || args[0] === '-R'
  if (cmd === 'nft') return args.includes('-f') && ['-', '/dev/stdin'].includes(args[args.indexOf('-f') + 1] ?? '')
  if (cmd === 'ipvsadm') return args.includes('-R') || args.includes('--restore')
  return false
}

/** The node's own tools; undefined when argv[0] is not one (the shell goes on to its own commands). */
function nodeCommand(host: Host, words: string[], stdin: () => string): ConsoleResult | undefined {
  const input = readsStdin(words) ? stdin() : undefined
  // The node's kube-proxy mode answers its own tools first (nft, ipvsadm, ip addr show kube-ipvs0).
  const extra = host.extensions.console?.(words, input)
  if (extra) return extra
  const [cmd, ...args] = words
  switch (cmd) {
    case 'iptables': case 'iptables-nft': return runIptables(host.ruleset, args)
    case 'iptables-save': case 'iptables-nft-save': return runIptablesSave(host.ruleset, args)
    case 'iptables-restore': case 'iptables-nft-restore': return runIptablesRestore(host.ruleset, input ?? '', args)
    case 'ipset': return runIpset(host.ruleset.ipsets, args, input ?? '')
    case 'conntrack': return conntrackCommand(host, args)
    case 'ip': return ipCommand(host, args)
    case 'dmesg': return { rc: 0, out: host.dmesgLines.map((l) => l + '\n').join(''), err: '' }
    case 'sysctl': return sysctlCommand(host, args)
    case 'help': return { rc: 0, out: CONSOLE_HELP, err: '' }
    default: return undefined
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
