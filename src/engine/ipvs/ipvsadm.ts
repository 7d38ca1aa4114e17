/**
 * `ipvsadm` for a node console, printing as ipvsadm 1.31 does (ipvsadm.c: list_all, print_title,
 * print_service_entry, print_largenum, list_conn/print_conn, list_timeout). The kernel here has no IPVS,
 * so formats come from ipvsadm's source and the format strings in Debian's ipvsadm 1.31 binary
 * (`strings /usr/sbin/ipvsadm`), not from a measurement of its output:
 *   header   "IP Virtual Server version %d.%d.%d (size=%d)"
 *   service  "%-4s %s" (protocol, addr:port), cut at 33 characters, then " %s" scheduler,
 *            " (flags)" for scheduler flags, " persistent %u" for persistence
 *   dest     "  -> %-28s %-7s %-6d %-10u %-10u"
 *   stats    "%-33s" + "%9llu" per counter (K/M/G/T above 10^8)
 *   conns    "%-3s %-6s %-11s %-18s %-18s %s" with expire as MM:SS
 * Services are sorted with libipvs's ipvs_cmp_services (protocol, then `ntohl(a) - ntohl(b)` as a signed
 * int — so 172.18.0.2 sorts before 10.96.0.1 — then port); destinations with ipvs_cmp_dests.
 */
import { parseXtablesIPv4 } from '../net/ipv4.ts'
import type { Counters, IpvsTable, VirtualService } from './table.ts'
import { IPVS_SVC_F_PERSISTENT, IPVS_SVC_F_SCHED1, IPVS_SVC_F_SCHED2, IPVS_SVC_F_SCHED3 } from './types.ts'
import type { IpvsProtocol } from './types.ts'

export interface IpvsadmResult {
  rc: number
  out: string
  err: string
}

export const IPVSADM_VERSION = 'ipvsadm v1.31 2019/12/24 (compiled with popt and IPVS v1.2.1)'

const PROTO_ORDER: Record<IpvsProtocol, number> = { TCP: 6, UDP: 17, SCTP: 132 }

/** /etc/services names ipvsadm prints without -n (getservbyport) for the ports clusters commonly use. */
const SERVICES: Record<string, string> = { 'TCP/80': 'http', 'TCP/443': 'https', 'TCP/53': 'domain', 'UDP/53': 'domain', 'TCP/9153': '9153' }

/** `ntohl(a) - ntohl(b)` evaluated in C's int: wraps for addresses more than 2^31 apart. */
function cmpAddr(a: string, b: string): number {
  return ((parseXtablesIPv4(a) ?? 0) - (parseXtablesIPv4(b) ?? 0)) | 0
}

export function sortServices(services: readonly VirtualService[]): VirtualService[] {
  return [...services].sort((x, y) => (PROTO_ORDER[x.protocol] - PROTO_ORDER[y.protocol]) || cmpAddr(x.address, y.address) || (x.port - y.port))
}

function addrPort(address: string, port: number, protocol: IpvsProtocol, numeric: boolean): string {
  return `${address}:${numeric ? port : SERVICES[`${protocol}/${port}`] ?? port}`
}

function schedFlags(svc: VirtualService): string {
  const f = svc.flags
  if (!(f & (IPVS_SVC_F_SCHED1 | IPVS_SVC_F_SCHED2 | IPVS_SVC_F_SCHED3))) return ''
  const names = svc.scheduler === 'sh' || svc.scheduler === 'mh'
    ? [[IPVS_SVC_F_SCHED1, `${svc.scheduler}-fallback`], [IPVS_SVC_F_SCHED2, `${svc.scheduler}-port`], [IPVS_SVC_F_SCHED3, 'flag-3']] as const
    : [[IPVS_SVC_F_SCHED1, 'flag-1'], [IPVS_SVC_F_SCHED2, 'flag-2'], [IPVS_SVC_F_SCHED3, 'flag-3']] as const
  return ` (${names.filter(([bit]) => f & bit).map(([, n]) => n).join(',')})`
}

function serviceName(svc: VirtualService, numeric: boolean): string {
  // "%-4s %s" (ipvsadm 1.31): TCP and UDP get two spaces, SCTP one; cut at 33 characters for IPv4.
  return `${svc.protocol.padEnd(4)} ${addrPort(svc.address, svc.port, svc.protocol, numeric)}`.slice(0, 33)
}

const left = (s: string | number, w: number) => String(s).padEnd(w)

/** print_largenum without --exact. */
export function largenum(i: number, exact = false): string {
  if (exact) {
    const s = String(i)
    return s.padStart(s.length <= 8 ? 9 : s.length + 1)
  }
  if (i < 1e8) return String(i).padStart(9)
  if (i < 1e9) return `${Math.floor(i / 1e3)}`.padStart(8) + 'K'
  if (i < 1e11) return `${Math.floor(i / 1e6)}`.padStart(8) + 'M'
  if (i < 1e14) return `${Math.floor(i / 1e9)}`.padStart(8) + 'G'
  return `${Math.floor(i / 1e12)}`.padStart(8) + 'T'
}

const counters = (c: Counters, exact: boolean) => [c.conns, c.inpkts, c.outpkts, c.inbytes, c.outbytes].map((n) => largenum(n, exact)).join('')

export interface ListOptions {
  numeric?: boolean
  stats?: boolean
  rate?: boolean
  exact?: boolean
  /** Only this service (`-t addr:port` / `-u` / `--sctp-service`): no version header. */
  only?: VirtualService
}

/** `ipvsadm -L` (list_all / list_service). */
export function listTable(table: IpvsTable, o: ListOptions = {}): string {
  const numeric = o.numeric ?? false
  let out = o.only ? '' : `IP Virtual Server version ${table.version} (size=${table.connTabSize})\n`
  if (o.stats || o.rate) {
    const cols = o.stats ? ['Conns', 'InPkts', 'OutPkts', 'InBytes', 'OutBytes'] : ['CPS', 'InPPS', 'OutPPS', 'InBPS', 'OutBPS']
    out += `${left('Prot LocalAddress:Port', 33)} ${cols.map((c) => c.padStart(8)).join(' ')}\n  -> RemoteAddress:Port\n`
  } else {
    out += 'Prot LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n'
  }
  const rateZero: Counters = { conns: 0, inpkts: 0, outpkts: 0, inbytes: 0, outbytes: 0 }
  for (const svc of o.only ? [o.only] : sortServices(table.list())) {
    const name = serviceName(svc, numeric)
    if (o.stats || o.rate) out += left(name, 33) + counters(o.stats ? svc.stats : rateZero, o.exact ?? false) + '\n'
    else {
      out += `${name} ${svc.scheduler}${schedFlags(svc)}`
      if (svc.flags & IPVS_SVC_F_PERSISTENT) out += ` persistent ${svc.timeout}`
      out += '\n'
    }
    const dests = [...svc.dests].sort((a, b) => cmpAddr(a.address, b.address) || (a.port - b.port))
    for (const d of dests) {
      const dname = addrPort(d.address, d.port, svc.protocol, numeric).slice(0, 28)
      if (o.stats) out += `  -> ${left(dname, 28)}${counters(d.stats, o.exact ?? false)}\n`
      else if (o.rate) out += `  -> ${left(dname, 28)} ${'0'.padStart(8)} ${'0'.padStart(8)} ${'0'.padStart(8)}${largenum(0)}${largenum(0)}\n`
      else out += `  -> ${left(dname, 28)} ${left(d.forward, 7)} ${left(d.weight, 6)} ${left(d.activeConns, 10)} ${left(d.inactConns, 10)}\n`
    }
  }
  return out
}

/** `ipvsadm -Lc` (list_conn): the connection table with MM:SS until expiry. */
export function listConnections(table: IpvsTable, now: number, numeric = false): string {
  let out = 'IPVS connection entries\n'
  out += `pro expire ${left('state', 11)} ${left('source', 18)} ${left('virtual', 18)} destination\n`
  for (const c of table.connectionsAt(now)) {
    const secs = Math.max(0, Math.ceil((c.expiresAt - now) / 1000))
    const expire = `${String(Math.floor(secs / 60)).padStart(2, '0')}:${String(secs % 60).padStart(2, '0')}`
    out += `${left(c.protocol, 3)} ${left(expire, 6)} ${left(c.state, 11)} ${left(addrPort(c.client.address, c.client.port, c.protocol, numeric), 18)} ` +
      `${left(addrPort(c.virtual.address, c.virtual.port, c.protocol, numeric), 18)} ${addrPort(c.dest.address, c.dest.port, c.protocol, numeric)}\n`
  }
  return out
}

/** `ipvsadm -S` (FMT_RULE). */
export function saveTable(table: IpvsTable, numeric = false): string {
  let out = ''
  for (const svc of sortServices(table.list())) {
    const flag = svc.protocol === 'TCP' ? '-t' : svc.protocol === 'UDP' ? '-u' : '--sctp-service'
    const name = `${flag} ${addrPort(svc.address, svc.port, svc.protocol, numeric)}`
    out += `-A ${name} -s ${svc.scheduler}${svc.flags & IPVS_SVC_F_PERSISTENT ? ` -p ${svc.timeout}` : ''}\n`
    for (const d of [...svc.dests].sort((a, b) => cmpAddr(a.address, b.address) || (a.port - b.port))) {
      out += `-a ${name} -r ${addrPort(d.address, d.port, svc.protocol, numeric)} -m -w ${d.weight}\n`
    }
  }
  return out
}

/**
 * Run `ipvsadm ARGS` against a node's table (list family, --timeout, -S, -Z, -C, -v, -h).
 * Commands that change the table (-A/-E/-D/-a/-e/-d) are refused: kube-proxy owns the table here.
 */
export function runIpvsadm(table: IpvsTable, argv: string[], now: number): IpvsadmResult {
  let cmd = ''
  let numeric = false
  let stats = false
  let rate = false
  let exact = false
  let conns = false
  let timeout = false
  let service: { protocol: IpvsProtocol; text: string } | undefined
  const fail = (msg: string, rc = 2): IpvsadmResult => ({ rc, out: '', err: `${msg}\n` })
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    // Bundled short options (-Ln, -lnc): split into single letters.
    if (/^-[a-zA-Z]{2,}$/.test(a)) {
      argv.splice(i, 1, ...[...a.slice(1)].map((c) => `-${c}`))
      i--
      continue
    }
    switch (a) {
      case '-L': case '-l': case '--list': if (cmd && cmd !== 'list') return fail('multiple commands specified'); cmd = 'list'; break
      case '-S': case '--save': cmd = 'save'; break
      case '-Z': case '--zero': cmd = 'zero'; break
      case '-C': case '--clear': cmd = 'clear'; break
      case '-v': case '--version': cmd = 'version'; break
      case '-h': case '--help': cmd = 'help'; break
      case '-A': case '-E': case '-D': case '-a': case '-e': case '-d': case '--add-service': case '--edit-service':
      case '--delete-service': case '--add-server': case '--edit-server': case '--delete-server':
        return { rc: 1, out: '', err: 'ipvsadm: this simulated node lets kube-proxy own the IPVS table; use the listing commands (-Ln, --stats, -c)\n' }
      case '-n': case '--numeric': numeric = true; break
      case '--stats': stats = true; break
      case '--rate': rate = true; break
      case '--exact': exact = true; break
      case '-c': case '--connection': conns = true; break
      case '--timeout': timeout = true; break
      case '--sort': case '--nosort': break
      case '-t': case '--tcp-service': case '-u': case '--udp-service': case '--sctp-service': {
        const text = argv[++i]
        if (text === undefined) return fail(`ipvsadm: option '${a}' requires an argument`)
        service = { protocol: a === '-t' || a === '--tcp-service' ? 'TCP' : a === '-u' || a === '--udp-service' ? 'UDP' : 'SCTP', text }
        break
      }
      default:
        return fail(`invalid option \`${a}'`)
    }
  }
  if (!cmd && (conns || timeout || stats || rate)) cmd = 'list'
  switch (cmd) {
    case 'version': return { rc: 0, out: `${IPVSADM_VERSION}\n`, err: '' }
    case 'help': return { rc: 0, out: `${IPVSADM_VERSION}\nUsage:\n  ipvsadm -L|l [options]\n  ipvsadm -S [-n]\n  ipvsadm -Z [-t|u|f service-address]\n  ipvsadm -C\n`, err: '' }
    case 'zero': table.zero(); return { rc: 0, out: '', err: '' }
    case 'clear': table.clear(); return { rc: 0, out: '', err: '' }
    case 'save': return { rc: 0, out: saveTable(table, numeric), err: '' }
    case 'list': case '': {
      if ((conns || timeout) && (stats || rate)) return fail('options conflicts in the list command')
      if (conns) return { rc: 0, out: listConnections(table, now, numeric), err: '' }
      if (timeout) return { rc: 0, out: `Timeout (tcp tcpfin udp): ${table.timeouts.tcp} ${table.timeouts.tcpfin} ${table.timeouts.udp}\n`, err: '' }
      let only: VirtualService | undefined
      if (service) {
        const m = /^(\d+\.\d+\.\d+\.\d+):(\d+)$/.exec(service.text)
        only = m ? table.get(service.protocol, m[1], Number(m[2])) : undefined
        if (!only) return { rc: 1, out: '', err: 'No such service\n' }
      }
      return { rc: 0, out: listTable(table, { numeric, stats, rate, exact, only }), err: '' }
    }
  }
  return fail('ipvsadm: no command specified')
}
