/**
 * A node's netfilter rule set: the five iptables tables with their built-in chains and policies, user
 * chains, rules and counters — the data behind `iptables`, `iptables-save`/`-restore` and traversal.
 *
 * With the nf_tables backend a table exists in the kernel only once something was written to it
 * (`iptables -A`, `-N`, `-P`, `-F CHAIN`, a restore that declares a chain or adds a rule); iptables-save
 * prints only those tables, while `iptables -L`/`-S` show every table's built-in chains anyway. `exists`
 * models that. Built-in chains, too, are created in the kernel on demand — by a rule (`-A`, `-I`), a
 * policy (`-P`, a restore's `:CHAIN POLICY`) or `-F CHAIN` — and `-Z CHAIN`, `-D CHAIN N` and
 * `-R CHAIN N` fail on one that is not there yet (measured); `builtinInKernel` models that. Only a chain
 * in the kernel has a hook: packets pass a missing one without counting.
 */
import { IpsetStore } from '../ipset/store.ts'
import type { Chain, Hook, Policy, Rule, Table, TableName } from './types.ts'
import { BUILTIN_CHAINS } from './types.ts'
import { getMatch, getTarget } from './registry.ts'

let nextRuleId = 1
/** Generations are unique across rule sets, so a cache keyed by a shared Table cannot mistake one rule set's for another's. */
let nextGeneration = 1

export const TABLE_NAMES: readonly TableName[] = ['raw', 'mangle', 'filter', 'security', 'nat']

/** The order iptables-save (nf_tables backend) prints tables in: enum nft_table_type (measured). */
export const SAVE_TABLE_ORDER: readonly TableName[] = ['mangle', 'security', 'raw', 'filter', 'nat']

export function isTableName(name: string): name is TableName {
  return (TABLE_NAMES as readonly string[]).includes(name)
}

export function isBuiltinChain(table: TableName, chain: string): chain is Hook {
  return (BUILTIN_CHAINS[table] as readonly string[]).includes(chain)
}

/** The ipsets a rule holds references to, one entry per reference (a set named twice counts twice). */
function ipsetReferencesOf(rule: Rule): string[] {
  const names = rule.matches.flatMap((m) => getMatch(m.module)?.ipsetReferences?.(m.options as never) ?? [])
  const t = rule.target
  if (t?.kind === 'module') names.push(...(getTarget(t.module)?.ipsetReferences?.(t.options as never) ?? []))
  return names
}

function freshTable(name: TableName): Table {
  const chains = new Map<string, Chain>()
  for (const hook of BUILTIN_CHAINS[name]) {
    chains.set(hook, { name: hook, policy: 'ACCEPT', policyCounters: { packets: 0, bytes: 0 }, rules: [] })
  }
  return { name, chains }
}

export function cloneRule(rule: Rule): Rule {
  // Options objects are treated as immutable once parsed, so sharing them is safe.
  return { ...rule, matches: rule.matches.map((m) => ({ ...m })), counters: { ...rule.counters } }
}

/**
 * Copy a table. With `deep`, rules are copied too; without, the copy shares the rule objects, which the
 * rule set never changes in place (it replaces a rule to change it), so traces and caches keyed by rule
 * objects stay valid across commands.
 */
function cloneTable(table: Table, deep = true): Table {
  const chains = new Map<string, Chain>()
  for (const [name, chain] of table.chains) {
    chains.set(name, {
      ...chain,
      ...(chain.policyCounters ? { policyCounters: { ...chain.policyCounters } } : {}),
      rules: deep ? chain.rules.map(cloneRule) : [...chain.rules],
    })
  }
  return { name: table.name, chains }
}

/** strcmp order, as iptables-nft sorts user-defined chains. */
export function compareChainNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

export class Ruleset {
  private readonly tables: Map<TableName, Table>
  private readonly present: Set<TableName>
  /** Built-in chains created in the kernel, as `table/CHAIN`. */
  private readonly builtinsPresent: Set<string>
  /**
   * The node's ipsets (the kernel's set list: `-m set` looks sets up there, `ipset` changes them). Shared
   * by a working copy (fork), copied by clone().
   */
  readonly ipsets: IpsetStore
  /**
   * Changes on every mutation through this class (chains, rules, tables), so per-ruleset caches (rule
   * handles for traces) can tell that they are stale without walking the tables.
   */
  generation = nextGeneration++
  /**
   * net.netfilter.nf_conntrack_acct: xt_connbytes turns per-connection accounting on when a rule using it
   * is added, and it stays on (measured: flushing the rules leaves the sysctl at 1). New connections then
   * count packets and bytes per direction, and `conntrack -L` prints them.
   */
  conntrackAccounting = false

  private constructor(tables: Map<TableName, Table>, present: Set<TableName>, ipsets: IpsetStore, builtinsPresent: Set<string>) {
    this.tables = tables
    this.present = present
    this.ipsets = ipsets
    this.builtinsPresent = builtinsPresent
  }

  static create(): Ruleset {
    const tables = new Map<TableName, Table>()
    for (const name of TABLE_NAMES) tables.set(name, freshTable(name))
    return new Ruleset(tables, new Set(), Ruleset.setsReferencedBy(tables, new IpsetStore()), new Set())
  }

  /** The kernel refuses to destroy or rename a set a rule uses: the store counts the rules of `tables`. */
  private static setsReferencedBy(tables: Map<TableName, Table>, store: IpsetStore): IpsetStore {
    store.references = (name) => {
      let n = 0
      for (const t of tables.values()) {
        for (const c of t.chains.values()) {
          for (const r of c.rules) n += ipsetReferencesOf(r).filter((s) => s === name).length
        }
      }
      return n
    }
    return store
  }

  clone(): Ruleset {
    const tables = new Map<TableName, Table>()
    for (const [name, table] of this.tables) tables.set(name, cloneTable(table))
    const copy = new Ruleset(tables, new Set(this.present), Ruleset.setsReferencedBy(tables, this.ipsets.clone()), new Set(this.builtinsPresent))
    copy.conntrackAccounting = this.conntrackAccounting
    return copy
  }

  /**
   * A working copy for a command that changes only `only`: that table is copied, the others are shared
   * (cheap with large rule sets). Commit it with adopt().
   */
  fork(only: TableName): Ruleset {
    const tables = new Map(this.tables)
    tables.set(only, cloneTable(this.table(only), false))
    const copy = new Ruleset(tables, new Set(this.present), this.ipsets, new Set(this.builtinsPresent))
    copy.conntrackAccounting = this.conntrackAccounting
    return copy
  }

  table(name: TableName): Table {
    const table = this.tables.get(name)
    if (!table) throw new Error(`no table ${name}`)
    return table
  }

  /** Whether the table exists in the (simulated) kernel, i.e. iptables-save prints it. */
  exists(name: TableName): boolean {
    return this.present.has(name)
  }

  /** Create the table in the kernel if it is not there yet (without its built-in chains). */
  touch(name: TableName): void {
    this.present.add(name)
  }

  /** Create the table and, for a built-in chain, that chain in the kernel. */
  touchChain(table: TableName, chain: string): void {
    this.present.add(table)
    if (isBuiltinChain(table, chain)) this.builtinsPresent.add(`${table}/${chain}`)
  }

  /**
   * Whether a chain exists in the (simulated) kernel: a user chain once created, a built-in chain once
   * something created it (see the class comment). The traversal should skip a built-in chain that is not.
   */
  chainInKernel(table: TableName, chain: string): boolean {
    if (!this.present.has(table)) return false
    if (isBuiltinChain(table, chain)) return this.builtinsPresent.has(`${table}/${chain}`)
    return this.table(table).chains.has(chain)
  }

  /** Remove a table entirely (iptables-restore without --noflush deletes it before re-creating). */
  resetTable(name: TableName): void {
    this.generation = nextGeneration++
    this.tables.set(name, freshTable(name))
    this.present.delete(name)
    for (const hook of BUILTIN_CHAINS[name]) this.builtinsPresent.delete(`${name}/${hook}`)
  }

  /** Replace one table's content (commit of a checked transaction). */
  replaceTable(table: Table, exists: boolean): void {
    this.generation = nextGeneration++
    // Keep the Table object others may hold; swap its content.
    const current = this.tables.get(table.name)
    if (current && current !== table) current.chains = table.chains
    else this.tables.set(table.name, table)
    if (exists) this.present.add(table.name)
    else this.present.delete(table.name)
  }

  /** Take over another rule set's tables (commit of a whole transaction; a working copy shares the ipsets). */
  adopt(other: Ruleset): void {
    for (const name of TABLE_NAMES) this.replaceTable(other.table(name), other.exists(name))
    if (other.conntrackAccounting) this.conntrackAccounting = true
    if (other.builtinsPresent !== this.builtinsPresent) {
      this.builtinsPresent.clear()
      for (const c of other.builtinsPresent) this.builtinsPresent.add(c)
    }
  }

  chain(table: TableName, name: string): Chain | undefined {
    return this.table(table).chains.get(name)
  }

  /** Built-in chains in hook order, then user chains sorted by name (the order -L, -S and save use). */
  chainsInOrder(table: TableName): Chain[] {
    const all = [...this.table(table).chains.values()]
    const builtin = all.filter((c) => c.policy !== undefined)
    const user = all.filter((c) => c.policy === undefined).sort((a, b) => compareChainNames(a.name, b.name))
    return [...builtin, ...user]
  }

  /** How many rules jump or go to this chain (the "N references" of `iptables -L`). */
  references(table: TableName, name: string): number {
    return this.referenceCounts(table).get(name) ?? 0
  }

  /** References of every chain of a table, counted in one pass. */
  referenceCounts(table: TableName): Map<string, number> {
    const counts = new Map<string, number>()
    for (const chain of this.table(table).chains.values()) {
      for (const rule of chain.rules) {
        const t = rule.target
        if (t && (t.kind === 'jump' || t.kind === 'goto')) counts.set(t.chain, (counts.get(t.chain) ?? 0) + 1)
      }
    }
    return counts
  }

  // ------------------------------------------------------------------ mutations (no checks: see iptables-command.ts)

  newChain(table: TableName, name: string): void {
    this.generation = nextGeneration++
    this.table(table).chains.set(name, { name, rules: [] })
  }

  deleteChain(table: TableName, name: string): void {
    this.generation = nextGeneration++
    this.table(table).chains.delete(name)
  }

  renameChain(table: TableName, from: string, to: string): void {
    this.generation = nextGeneration++
    const t = this.table(table)
    const chains = new Map<string, Chain>()
    for (const [name, chain] of t.chains) {
      if (name === from) chains.set(to, { ...chain, name: to })
      else chains.set(name, chain)
    }
    for (const chain of chains.values()) {
      chain.rules = chain.rules.map((rule) => {
        const target = rule.target
        if (target && (target.kind === 'jump' || target.kind === 'goto') && target.chain === from) {
          return { ...rule, target: { kind: target.kind, chain: to } }
        }
        return rule
      })
    }
    t.chains = chains
  }

  setPolicy(table: TableName, chain: string, policy: Policy, counters?: { packets: number; bytes: number }): void {
    const c = this.chain(table, chain)
    if (!c) return
    c.policy = policy
    if (counters) c.policyCounters = { ...counters }
  }

  /** Give a rule its stable id (used for per-rule match state) if it has none yet. */
  static assignId(rule: Rule): Rule {
    if (rule.id === undefined) rule.id = nextRuleId++
    return rule
  }

  /** Insert at a 0-based position (rules.length appends). */
  insertRule(table: TableName, chain: string, index: number, rule: Rule): void {
    this.generation = nextGeneration++
    this.chain(table, chain)?.rules.splice(index, 0, Ruleset.assignId(rule))
  }

  appendRule(table: TableName, chain: string, rule: Rule): void {
    this.generation = nextGeneration++
    this.chain(table, chain)?.rules.push(Ruleset.assignId(rule))
  }

  deleteRule(table: TableName, chain: string, index: number): void {
    this.generation = nextGeneration++
    this.chain(table, chain)?.rules.splice(index, 1)
  }

  replaceRule(table: TableName, chain: string, index: number, rule: Rule): void {
    this.generation = nextGeneration++
    const c = this.chain(table, chain)
    if (c && index < c.rules.length) c.rules[index] = Ruleset.assignId(rule)
  }

  flushChain(table: TableName, chain: string): void {
    this.generation = nextGeneration++
    const c = this.chain(table, chain)
    if (c) c.rules = []
  }

  zeroChain(table: TableName, chain: string): void {
    this.generation = nextGeneration++
    const c = this.chain(table, chain)
    if (!c) return
    c.rules = c.rules.map((rule) => ({ ...rule, counters: { packets: 0, bytes: 0 } }))
    if (c.policyCounters) c.policyCounters = { packets: 0, bytes: 0 }
  }

  /** Zero one rule's counters (0-based index). */
  zeroRule(table: TableName, chain: string, index: number): void {
    this.generation = nextGeneration++
    const c = this.chain(table, chain)
    if (c && c.rules[index]) c.rules[index] = { ...c.rules[index], counters: { packets: 0, bytes: 0 } }
  }
}
