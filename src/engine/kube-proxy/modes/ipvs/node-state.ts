/**
 * A node's IPVS-mode state after kube-proxy's syncs: the ipsets (ipset model, as the kernel keeps them), the
 * IPVS table, the kube-ipvs0 addresses and the iptables tables kube-proxy touched. `applyIpvsSync` does what
 * one syncProxyRules does to a node, in its order: ensure the dummy device and every set (`ipset create
 * -exist`), delete stale set entries and add new ones (sorted), iptables jump rules + restore, unbind stale
 * addresses, and sync the virtual servers.
 */
import { IpsetStore, listSets, saveSets } from '../../../ipset/store.ts'
import { parseElement } from '../../../ipset/model.ts'
import { defaultInitval } from '../../../ipset/command.ts'
import { IpvsTable } from '../../../ipvs/table.ts'
import { listTable } from '../../../ipvs/ipvsadm.ts'
import { applyPayload, renderIptablesSave } from '../../node-iptables/node-tables.ts'
import type { NodeTables } from '../../node-iptables/node-tables.ts'
import { ensureJumpRules, nodeTablesWriter } from '../../node-iptables/writer.ts'
import type { IpvsCompileResult } from './compile.ts'

export interface IpvsNodeState {
  ipsets: IpsetStore
  ipvs: IpvsTable
  /** Addresses on kube-ipvs0, in bind order. */
  dummyAddresses: string[]
  tables: NodeTables
}

/** The number of rules in the node's tables that use each set (the kernel's `References:`). */
export function setReferences(tables: NodeTables): (name: string) => number {
  return (name: string) => {
    let n = 0
    for (const t of Object.values(tables)) {
      for (const c of Object.values(t ?? {})) for (const r of c.rules) if (r.includes(`--match-set ${name} `)) n++
    }
    return n
  }
}

/**
 * A node's state before kube-proxy's first sync. `ipsets`: the host's ipsets, whose references the host
 * counts in its own rule set; without it (no host: `compile`, upstream's tests) a store of its own, whose
 * references are the rules of `tables`.
 */
export function newIpvsNodeState(tables: NodeTables = {}, ipsets?: IpsetStore): IpvsNodeState {
  const state: IpvsNodeState = { ipsets: ipsets ?? new IpsetStore(), ipvs: new IpvsTable(), dummyAddresses: [], tables }
  if (!ipsets) state.ipsets.references = (name) => setReferences(state.tables)(name)
  return state
}

/**
 * Apply one full sync's result to the node. Returns the ipset commands kube-proxy ran for it, in order
 * (`ipset create NAME TYPE ... -exist` for every set, then per set `ipset del` of stale and `ipset add ...
 * -exist` of missing entries), so a sync can be shown or replayed.
 */
export function applyIpvsSync(state: IpvsNodeState, result: IpvsCompileResult): string[][] {
  const commands: string[][] = []
  for (const addr of result.dummyInterface.addresses) if (!state.dummyAddresses.includes(addr)) state.dummyAddresses.push(addr)
  for (const info of result.ipsets) {
    const bitmap = info.type === 'bitmap:port'
    commands.push(['create', info.name, info.type, ...(bitmap ? ['range', '0-65535'] : ['family', 'inet', 'hashsize', '1024', 'maxelem', '65536']), '-exist'])
    const set = state.ipsets.get(info.name) ?? state.ipsets.create(info.name, info.type, bitmap
      ? { family: 'inet', hashsize: 1024, maxelem: 65536, bucketsize: 12, initval: 0, comment: false, range: { first: 0, last: 65535 } }
      : { family: 'inet', hashsize: 1024, maxelem: 65536, bucketsize: 12, initval: defaultInitval(info.name), comment: false })
    const wanted = new Set(info.entries)
    const current = set.members().map((m) => ({ m, text: formatEntry(info.type, m.element) }))
    // syncIPSetEntries: stale entries deleted (sorted), then missing ones added (sorted).
    for (const { m, text } of current.sort((a, b) => (a.text < b.text ? -1 : 1))) {
      if (wanted.has(text)) continue
      set.del(m.element, true)
      commands.push(['del', info.name, text])
    }
    const have = new Set(current.map((c) => c.text))
    for (const e of info.entries) {
      if (have.has(e)) continue
      set.add(parseElement(info.type, e, set.options.range), undefined, true)
      commands.push(['add', info.name, e, '-exist'])
    }
  }
  const tables: NodeTables = { ...state.tables }
  ensureJumpRules(nodeTablesWriter(tables), result.jumpRules)
  state.tables = applyPayload(tables, result)
  state.dummyAddresses = state.dummyAddresses.filter((a) => result.dummyInterface.addresses.includes(a))
  state.ipvs.sync(result.virtualServers)
  return commands
}

function formatEntry(type: Parameters<typeof parseElement>[0], e: ReturnType<typeof parseElement>): string {
  // Same text kube-proxy writes: ipset prints entries exactly in its input form for these types.
  const ip = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.')
  const proto = { 6: 'tcp', 17: 'udp', 132: 'sctp' }[e.proto] ?? String(e.proto)
  switch (type) {
    case 'hash:ip': return ip(e.ip)
    case 'hash:ip,port': return `${ip(e.ip)},${proto}:${e.port}`
    case 'hash:ip,port,ip': return `${ip(e.ip)},${proto}:${e.port},${ip(e.ip2)}`
    case 'hash:ip,port,net': return `${ip(e.ip)},${proto}:${e.port},${ip(e.ip2)}/${e.cidr}`
    case 'hash:net': return `${ip(e.ip)}/${e.cidr}`
    case 'bitmap:port': return String(e.port)
  }
}

/**
 * `ip addr show kube-ipvs0` on a kube-proxy node. There are no dummy devices in this sandbox's kernel, so the
 * layout was measured with another device type in a namespace (iproute2 6.x: `qdisc noop state DOWN group
 * default qlen 1000`, each address `inet A/32 scope global kube-ipvs0` + `valid_lft forever preferred_lft
 * forever`); the flags are a dummy device's (dummy_setup: NOARP, no MULTICAST), as published outputs show.
 */
export function dummyInterfaceText(addresses: readonly string[], index = 3, mac = 'be:8c:6c:9b:1a:2f'): string {
  const lines = [`${index}: kube-ipvs0: <BROADCAST,NOARP> mtu 1500 qdisc noop state DOWN group default qlen 1000`, `    link/ether ${mac} brd ff:ff:ff:ff:ff:ff`]
  for (const a of addresses) lines.push(`    inet ${a}/32 scope global kube-ipvs0`, '       valid_lft forever preferred_lft forever')
  return lines.join('\n') + '\n'
}

/** What `compile --mode ipvs` prints: iptables-save, then `ipset list`, then `ipvsadm -Ln`. */
export function renderIpvsNode(state: IpvsNodeState, options: { now?: Date } = {}): string {
  return [
    renderIptablesSave(state.tables, { now: options.now, tables: ['filter', 'nat'] }),
    listSets(state.ipsets),
    listTable(state.ipvs, { numeric: true }),
  ].join('\n')
}

/** `ipset save` of the node (what `ipset restore` in a namespace needs to rebuild the same sets). */
export function ipsetSaveText(state: IpvsNodeState): string {
  return saveSets(state.ipsets)
}
