/**
 * The iptables command line over a Ruleset: `iptables ...`, `iptables-save`, `iptables-restore`, with the
 * same output, error text and exit status as iptables 1.8.9 (nf_tables backend). Every command works on a
 * copy and is committed only when it fully succeeds (as the kernel commits an nf_tables batch).
 */
import type { Rule, TableName } from './types.ts'
import { Ruleset, SAVE_TABLE_ORDER, isBuiltinChain, isTableName, cloneRule } from './ruleset.ts'
import { CommandFailure, parseIptablesArgs, primaryCommand, type ParsedCommand } from './parse-command.ts'
import { listRulesTable, listTable, ruleVerboseLine } from './list-rules.ts'
import { appendLine, rulePrintWarnings, ruleToSaveText } from './format-rule.ts'
import { ERRNO_TEXT, checkRuleInTable, validateTable } from './validate.ts'
import type { KernelErrno, KernelState } from './module-api.ts'
import { IPTABLES_HELP, IPTABLES_RESTORE_HELP } from './help-text.ts'

export interface CommandResult {
  rc: number
  out: string
  err: string
}

export const VERSION = 'v1.8.9 (nf_tables)'

/** A failure reported by the (simulated) kernel when committing, exit status 4. */
export class KernelFailure extends Error {
  constructor(readonly op: string, readonly errno: KernelErrno | 'EBUSY', readonly what: string) {
    super(`${op} failed`)
    this.name = 'KernelFailure'
  }
}

const ERRNO: Record<string, string> = { ...ERRNO_TEXT, EBUSY: 'Device or resource busy' }

export function kernelFailureText(f: KernelFailure): string {
  return `${f.op} failed (${ERRNO[f.errno]}): ${f.what}`
}

function other(message: string): CommandFailure {
  return new CommandFailure(1, 'other', message)
}

/** Text for a failure of the `iptables` program (not restore). */
export function formatFailure(f: CommandFailure, prog = 'iptables', line?: number): CommandResult {
  const r = failureText(f, prog, line)
  return f.warnings ? { ...r, err: f.warnings + r.err } : r
}

function failureText(f: CommandFailure, prog: string, line: number | undefined): CommandResult {
  const tryHelp = `${line !== undefined ? `Error occurred at line: ${line}\n` : ''}Try \`${prog} -h' or '${prog} --help' for more information.\n`
  switch (f.kind) {
    case 'parameter': return { rc: f.rc, out: '', err: `${prog} ${VERSION}: ${f.message}\n${tryHelp}` }
    case 'bad-argument': return { rc: f.rc, out: '', err: `${f.message}\n${tryHelp}` }
    case 'version': return { rc: 3, out: '', err: `${prog} ${VERSION}: ${f.message}\nPerhaps iptables or your kernel needs to be upgraded.\n` }
    case 'plain': return { rc: f.rc, out: '', err: `${prog} ${VERSION}: ${f.message}\n` }
    case 'other':
      if (line !== undefined) return { rc: 1, out: '', err: `${prog}: line ${line} failed: ${f.message}.\n` }
      return { rc: 1, out: '', err: `iptables: ${f.message}.\n` }
  }
}

/** One rule added while running commands: what the kernel would validate at commit. */
interface Addition {
  rule: Rule
  table: TableName
  chain: string
  op: string
  line?: number
}

/**
 * The first problem found while building a restore batch, reported at COMMIT: a missing jump target (a
 * parameter problem at the COMMIT line), a command that failed in userspace (missing chain...) at its own
 * line, or a listing (-L, -S) of a chain that is not there.
 */
type DeferredFailure =
  | { kind: 'jump'; chain: string }
  | { kind: 'user'; line: number; message: string }
  | { kind: 'list'; failure: CommandFailure }

interface ExecOptions {
  restore: boolean
  /** iptables-restore --test: no chain-existence check for jumps. */
  test?: boolean
  /** Rule additions for deferred validation (restore); when absent, validate at once. */
  additions?: Addition[]
  /**
   * Restore: kernel refusals found while building the batch (the batch goes on; all are reported).
   * `blockers` are the rules that keep a chain busy: if the kernel refuses all of them, the deletion works.
   */
  kernelFailures?: { line: number; failure: KernelFailure; blockers?: Rule[] }[]
  /** Restore: the first problem the real tool only reports at COMMIT. */
  deferred?: { first?: DeferredFailure }
  /**
   * Restore: the rules the kernel already has for this table (none when the table was flushed). A batch
   * can only insert before a rule the kernel knows: `-I CHAIN N` with N > 1 refers to committed rules.
   */
  committed?: Ruleset
  line?: number
}

function ruleKey(rule: Rule): string {
  return ruleToSaveText(rule)
}

function chainExists(rs: Ruleset, table: TableName, chain: string): boolean {
  return rs.chain(table, chain) !== undefined
}

/** Per-rule kernel checks then the whole table, as one nf_tables rule addition. */
/** The kernel objects of a rule set's node: rules of every table that exists. */
export function kernelStateOf(rs: Ruleset): KernelState {
  return {
    *rules() {
      for (const t of SAVE_TABLE_ORDER) {
        if (!rs.exists(t)) continue
        for (const c of rs.chainsInOrder(t)) for (const rule of c.rules) yield { table: t, rule }
      }
    },
    enableConntrackAccounting: () => { rs.conntrackAccounting = true },
  }
}

function validateAddition(rs: Ruleset, a: Addition): void {
  const table = rs.table(a.table)
  const err = checkRuleInTable(a.rule, table, a.chain, kernelStateOf(rs)) ?? validateTable(table)
  if (err) throw new KernelFailure(a.op, err, `rule in chain ${a.chain}`)
}

function addRule(rs: Ruleset, opts: ExecOptions, a: Addition): void {
  if (opts.additions) opts.additions.push(a)
  else validateAddition(rs, a)
}

/** Run one parsed command on `rs` (a working copy). Returns stdout text. */
function execute(rs: Ruleset, cmd: ParsedCommand, opts: ExecOptions): { out: string; after?: KernelFailure; err?: string } {
  const primary = primaryCommand(cmd)
  const table = cmd.table
  // The jump target must be a chain of this table (checked before the table itself, as do_parse does).
  const t = cmd.rule.target
  if (['A', 'I', 'R', 'D', 'C'].includes(primary) && t && t.kind !== 'module' && isTableName(table) && !chainExists(rs, table, t.chain)) {
    // iptables-restore (nf_tables) checks jump targets when it builds the batch, at COMMIT.
    if (!opts.restore) throw new CommandFailure(2, 'parameter', `Chain '${t.chain}' does not exist`)
    if (opts.deferred && !opts.test) opts.deferred.first ??= { kind: 'jump', chain: t.chain }
  }
  if (!isTableName(table)) throw new CommandFailure(3, 'version', `table '${table}' does not exist`)
  const chain = cmd.chain
  const exists = rs.exists(table)
  const rule = cmd.rule
  switch (primary) {
    case 'A': {
      if (!chain || !chainExists(rs, table, chain)) throw other('No chain/target/match by that name')
      rs.touchChain(table, chain)
      let out = ''
      for (const each of cmd.rules) {
        if (cmd.verbose) out += ruleVerboseLine(each)
        const r = cloneRule(each)
        rs.appendRule(table, chain, r)
        addRule(rs, opts, { rule: r, table, chain, op: 'RULE_APPEND', line: opts.line })
      }
      return { out, err: verboseWarnings(cmd) }
    }
    case 'I': {
      if (!chain || !chainExists(rs, table, chain)) throw other('No chain/target/match by that name')
      const n = cmd.ruleNumber ?? 1
      const c = rs.chain(table, chain)!
      if (n > c.rules.length + 1) throw other('Index of insertion too big')
      if (opts.committed && n > 1 && (opts.committed.chain(table, chain)?.rules.length ?? 0) < n - 1) {
        throw new KernelFailure('RULE_INSERT', 'ENOENT', `rule in chain ${chain}`)
      }
      rs.touchChain(table, chain)
      let out = ''
      for (const each of cmd.rules) {
        if (cmd.verbose) out += ruleVerboseLine(each)
        const r = cloneRule(each)
        rs.insertRule(table, chain, n - 1, r)
        addRule(rs, opts, { rule: r, table, chain, op: 'RULE_INSERT', line: opts.line })
      }
      return { out, err: verboseWarnings(cmd) }
    }
    case 'R': {
      if (!chain || !rs.chainInKernel(table, chain)) throw other('No chain/target/match by that name')
      const n = cmd.ruleNumber ?? 1
      const c = rs.chain(table, chain)!
      if (n > c.rules.length) throw other('Index of replacement too big')
      const r = cloneRule(rule)
      rs.replaceRule(table, chain, n - 1, r)
      addRule(rs, opts, { rule: r, table, chain, op: 'RULE_REPLACE', line: opts.line })
      return { out: cmd.verbose ? ruleVerboseLine(rule) : '', err: verboseWarnings(cmd) }
    }
    case 'D': {
      if (cmd.ruleNumber !== undefined) {
        if (!chain || !rs.chainInKernel(table, chain)) throw other('No chain/target/match by that name')
        const c = rs.chain(table, chain)!
        if (cmd.ruleNumber > c.rules.length) throw other('Index of deletion too big')
        rs.deleteRule(table, chain, cmd.ruleNumber - 1)
        return { out: '' }
      }
      const c = exists && chain ? rs.chain(table, chain) : undefined
      let out = ''
      for (const each of cmd.rules) {
        if (cmd.verbose) out += ruleVerboseLine(each)
        const key = ruleKey(each)
        const idx = c ? c.rules.findIndex((r) => ruleKey(r) === key) : -1
        if (!c || idx < 0) throw other('Bad rule (does a matching rule exist in that chain?)')
        rs.deleteRule(table, chain!, idx)
      }
      return { out, err: verboseWarnings(cmd) }
    }
    case 'C': {
      const c = exists && chain ? rs.chain(table, chain) : undefined
      let out = ''
      for (const each of cmd.rules) {
        if (cmd.verbose) out += ruleVerboseLine(each)
        const key = ruleKey(each)
        if (!c || !c.rules.some((r) => ruleKey(r) === key)) throw other('Bad rule (does a matching rule exist in that chain?)')
      }
      return { out, err: verboseWarnings(cmd) }
    }
    case 'L': case 'S': {
      if (chain !== undefined && !chainExists(rs, table, chain)) {
        const failure = new CommandFailure(1, 'plain', `chain \`${chain}' in table \`${table}' is incompatible, use 'nft' tool.`)
        // iptables-restore runs its commands at COMMIT, in order: an earlier one's failure is the one reported.
        if (opts.deferred) {
          opts.deferred.first ??= { kind: 'list', failure }
          return { out: '' }
        }
        throw failure
      }
      let out = primary === 'L'
        ? listTable(rs, table, cmd, chain, cmd.ruleNumber)
        : listRulesTable(rs, table, cmd.verbose, chain, cmd.ruleNumber)
      const err = listedRules(rs, table, chain, cmd.ruleNumber).map(rulePrintWarnings).join('')
      if (primary === 'L' && cmd.commands.has('Z')) {
        const zeroed = chain === undefined ? rs.chainsInOrder(table).map((c) => c.name) : [chain]
        // Listing zeroes what the kernel has; only a table that does not exist at all fails (measured).
        if (!exists) return { out, err, after: new KernelFailure('CHAIN_ZERO', 'ENOENT', `chain ${zeroed[0]}`) }
        for (const name of zeroed) {
          rs.zeroChain(table, name)
          if (cmd.verbose) out += `Zeroing chain \`${name}'\n`
        }
      }
      return { out, err }
    }
    case 'F': {
      if (chain === undefined) {
        let out = ''
        if (exists) {
          for (const c of rs.chainsInOrder(table)) {
            if (cmd.verbose) out += `Flushing chain \`${c.name}'\n`
            rs.flushChain(table, c.name)
          }
        }
        return { out }
      }
      if (!chainExists(rs, table, chain)) throw other('No chain/target/match by that name')
      rs.touchChain(table, chain)
      rs.flushChain(table, chain)
      return { out: cmd.verbose ? `Flushing chain \`${chain}'\n` : '' }
    }
    case 'Z': {
      if (chain === undefined) {
        let out = ''
        if (exists) {
          for (const c of rs.chainsInOrder(table)) {
            if (cmd.verbose) out += `Zeroing chain \`${c.name}'\n`
            rs.zeroChain(table, c.name)
          }
        }
        return { out }
      }
      const c = rs.chainInKernel(table, chain) ? rs.chain(table, chain) : undefined
      if (!c && cmd.ruleNumber !== undefined) throw other('Bad rule (does a matching rule exist in that chain?)')
      if (!c) throw other('No chain/target/match by that name')
      if (cmd.ruleNumber !== undefined) {
        // An out-of-range rule number is silently ignored (measured).
        rs.zeroRule(table, chain, cmd.ruleNumber - 1)
        return { out: '' }
      }
      rs.zeroChain(table, chain)
      return { out: cmd.verbose ? `Zeroing chain \`${chain}'\n` : '' }
    }
    case 'N': {
      if (chainExists(rs, table, chain ?? '')) throw other('Chain already exists')
      rs.touch(table)
      rs.newChain(table, chain ?? '')
      return { out: '' }
    }
    case 'X': {
      const userChains = chain === undefined
        ? (exists ? rs.chainsInOrder(table).filter((c) => !c.policy).map((c) => c.name) : [])
        : [chain]
      if (chain !== undefined && (isBuiltinChain(table, chain) || !chainExists(rs, table, chain))) {
        throw other('No chain/target/match by that name')
      }
      // References from chains that stay (a chain being deleted must be empty anyway).
      const deleting = new Set(userChains)
      const referencing = new Map<string, Rule[]>()
      for (const o of rs.table(table).chains.values()) {
        if (deleting.has(o.name)) continue
        for (const r of o.rules) {
          if (r.target?.kind === 'jump' || r.target?.kind === 'goto') {
            referencing.set(r.target.chain, [...(referencing.get(r.target.chain) ?? []), r])
          }
        }
      }
      for (const name of userChains) {
        const c = rs.chain(table, name)!
        const blockers = [...c.rules, ...(referencing.get(name) ?? [])]
        if (blockers.length > 0) {
          const failure = new KernelFailure('CHAIN_DEL', 'EBUSY', `chain ${name}`)
          // iptables-restore drops the chain from its view and lets the kernel refuse it at COMMIT.
          if (opts.kernelFailures) opts.kernelFailures.push({ line: opts.line ?? 0, failure, blockers })
          else throw failure
        }
      }
      let out = ''
      for (const name of userChains) {
        if (cmd.verbose) out += `Deleting chain \`${name}'\n`
        rs.deleteChain(table, name)
      }
      return { out }
    }
    case 'E': {
      if (!chain || isBuiltinChain(table, chain) || !chainExists(rs, table, chain)) throw other('No chain/target/match by that name')
      if (chainExists(rs, table, cmd.newName ?? '')) throw other('File exists')
      rs.renameChain(table, chain, cmd.newName ?? '')
      return { out: '' }
    }
    case 'P': {
      if (table === 'nat' && cmd.policy === 'DROP') {
        throw new CommandFailure(2, 'parameter', '\nThe "nat" table is not intended for filtering, the use of DROP is therefore inhibited.\n\n')
      }
      if (!chain || !isBuiltinChain(table, chain)) throw other('Bad built-in chain name')
      if (cmd.policy !== 'ACCEPT' && cmd.policy !== 'DROP') throw other("Bad policy name. Run `dmesg' for more information")
      rs.touchChain(table, chain)
      // `-c` with -P is accepted but the nf_tables backend does not set the policy counters (measured).
      rs.setPolicy(table, chain, cmd.policy)
      return { out: '' }
    }
  }
  return { out: '' }
}

/** The rules `-L`/`-S` print: a chain's, one rule, or the whole table's. */
function listedRules(rs: Ruleset, table: TableName, chain: string | undefined, ruleNumber: number | undefined): Rule[] {
  const chains = rs.chainsInOrder(table).filter((c) => chain === undefined || c.name === chain)
  if (chain !== undefined && ruleNumber !== undefined) {
    const r = chains[0]?.rules[ruleNumber - 1]
    return r ? [r] : []
  }
  return chains.flatMap((c) => c.rules)
}

/** `-v` prints each rule it adds, deletes or checks; printing may warn (see rulePrintWarnings). */
function verboseWarnings(cmd: ParsedCommand): string {
  return cmd.verbose ? cmd.rules.map(rulePrintWarnings).join('') : ''
}

function ipsetChecker(rs: Ruleset) {
  return (name: string) => rs.ipsets.get(name) !== undefined
}

/** `iptables ARGS...` (argv after the word iptables). */
export function runIptables(ruleset: Ruleset, argv: string[], _opts: { now?: Date } = {}): CommandResult {
  let parsed: ParsedCommand
  try {
    parsed = parseIptablesArgs(argv, { restore: false, ipsetExists: ipsetChecker(ruleset) })
  } catch (e) {
    if (e instanceof CommandFailure) return formatFailure(e)
    throw e
  }
  const warnings = parsed.warnings
  if (parsed.version) return { rc: 0, out: `iptables ${VERSION}\n`, err: warnings }
  if (parsed.help) return { rc: 0, out: IPTABLES_HELP, err: warnings }
  const work = isTableName(parsed.table) ? ruleset.fork(parsed.table) : ruleset.clone()
  try {
    const { out, after, err } = execute(work, parsed, { restore: false })
    if (after) return { rc: 4, out, err: `${warnings}${err ?? ''}iptables ${VERSION}:  ${kernelFailureText(after)}\n` }
    ruleset.adopt(work)
    return { rc: 0, out, err: warnings + (err ?? '') }
  } catch (e) {
    if (e instanceof CommandFailure) {
      e.warnings = warnings + e.warnings
      return formatFailure(e)
    }
    if (e instanceof KernelFailure) return { rc: 4, out: '', err: `${warnings}iptables ${VERSION}:  ${kernelFailureText(e)}\n` }
    throw e
  }
}

// ------------------------------------------------------------------------------------ iptables-save

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/** ctime(3) format in UTC, e.g. `Tue Nov 24 20:24:16 2026`. */
export function ctime(d: Date): string {
  const p2 = (n: number) => String(n).padStart(2, '0')
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2)} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} ${d.getUTCFullYear()}`
}

/** The deterministic default date of iptables-save's comment lines. */
export const DEFAULT_SAVE_DATE = new Date(Date.UTC(2026, 0, 1, 0, 0, 0))

/** iptables-save's text for one table. */
export function saveTable(ruleset: Ruleset, table: TableName, opts: { counters?: boolean; now?: Date } = {}): string {
  const date = ctime(opts.now ?? DEFAULT_SAVE_DATE)
  let s = `# Generated by iptables-save ${VERSION} on ${date}\n*${table}\n`
  const chains = ruleset.chainsInOrder(table)
  for (const c of chains) {
    const pc = c.policyCounters ?? { packets: 0, bytes: 0 }
    s += c.policy ? `:${c.name} ${c.policy} [${pc.packets}:${pc.bytes}]\n` : `:${c.name} - [0:0]\n`
  }
  for (const c of chains) {
    for (const r of c.rules) {
      const text = appendLine(c.name, r)
      s += opts.counters ? `[${r.counters.packets}:${r.counters.bytes}] ${text}\n` : `${text}\n`
    }
  }
  return `${s}COMMIT\n# Completed on ${date}\n`
}

/** getopt's complaint about an unknown option (the program then points to its help). */
function unknownOption(prog: string, word: string, hint: string): CommandResult {
  const what = word.startsWith('--') ? `unrecognized option '${word}'` : `invalid option -- '${word.slice(1, 2)}'`
  return { rc: 1, out: '', err: `${prog}: ${what}\n${hint}\n` }
}

/** `iptables-save [-c] [-t TABLE]`. */
export function runIptablesSave(ruleset: Ruleset, argv: string[], opts: { now?: Date } = {}): CommandResult {
  let counters = false
  let only: string | undefined
  const hint = "Look at manual page `iptables-save.8' for more information."
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a === '-c' || a === '--counters') counters = true
    else if (a === '-t' || a === '--table') {
      only = argv[++i]
      if (only === undefined) return { rc: 1, out: '', err: `iptables-save: option requires an argument -- 't'\n${hint}\n` }
    } else if (a.startsWith('--table=')) only = a.slice(8)
    else if (a.startsWith('-t') && a.length > 2) only = a.slice(2)
    else if (a === '-M' || a === '--modprobe') i++
    else if (a.startsWith('-')) return unknownOption('iptables-save', a, hint)
    else return { rc: 1, out: '', err: `Unknown arguments found on commandline\n` }
  }
  if (only !== undefined && !isTableName(only)) return { rc: 1, out: '', err: `Table \`${only}' does not exist\n` }
  let out = ''
  let err = ''
  for (const t of SAVE_TABLE_ORDER) {
    if (only !== undefined && t !== only) continue
    // Asked for by name, a table is printed (with its built-in chains) even before it exists.
    if (only === undefined && !ruleset.exists(t)) continue
    out += saveTable(ruleset, t, { counters, now: opts.now })
    for (const c of ruleset.chainsInOrder(t)) for (const r of c.rules) err += rulePrintWarnings(r)
  }
  return { rc: 0, out, err }
}

// ------------------------------------------------------------------------------------ iptables-restore

/**
 * Split a restore line into words as iptables-restore does (add_param_to_argv): blanks separate words,
 * double quotes group, a backslash inside quotes escapes the next character; a closing quote ends the word.
 * The line keeps its newline, so an unterminated quote swallows it (as the real tool does).
 */
export function splitRestoreLine(line: string): string[] {
  const words: string[] = []
  let param = ''
  let quoteOpen = false
  let escaped = false
  let quoted = false
  for (const ch of line) {
    if (quoteOpen) {
      if (escaped) { param += ch; escaped = false; continue }
      if (ch === '\\') { escaped = true; continue }
      if (ch === '"') { quoteOpen = false } else { param += ch; continue }
    } else if (ch === '"') {
      quoteOpen = true
      quoted = true
      continue
    }
    if (ch === '"') {
      // closing quote: ends the word
    } else if (ch === ' ' || ch === '\t' || ch === '\n') {
      if (param.length === 0 && !quoted) continue
    } else {
      param += ch
      continue
    }
    words.push(param)
    param = ''
    quoted = false
  }
  if (param.length > 0 || quoted) words.push(param)
  return words
}

interface RestoreOptions {
  noflush: boolean
  test: boolean
  counters: boolean
  table?: string
}

function parseRestoreArgs(argv: string[]): RestoreOptions | CommandResult {
  const o: RestoreOptions = { noflush: false, test: false, counters: false }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a === '-n' || a === '--noflush') o.noflush = true
    else if (a === '-t' || a === '--test') o.test = true
    else if (a === '-c' || a === '--counters') o.counters = true
    else if (a === '-v' || a === '--verbose') continue
    else if (a === '-h' || a === '--help') return { rc: 0, out: '', err: IPTABLES_RESTORE_HELP }
    else if (a === '-w' || a === '--wait' || a === '-W' || a === '--wait-interval') {
      if (argv[i + 1] !== undefined && /^[0-9]+$/.test(argv[i + 1])) i++
    } else if (a === '-T' || a === '--table') {
      o.table = argv[++i]
      if (o.table === undefined) return { rc: 1, out: '', err: "iptables-restore: option '--table' requires an argument\n" }
    } else if (a.startsWith('--table=')) o.table = a.slice(8)
    else if (a.startsWith('-T') && a.length > 2) o.table = a.slice(2)
    else if (a.startsWith('--wait=') || a.startsWith('--wait-interval=') || a.startsWith('--modprobe=')) continue
    else if (a === '-M' || a === '--modprobe') i++
    else if (/^-[ntcv]+$/.test(a)) {
      for (const c of a.slice(1)) {
        if (c === 'n') o.noflush = true
        if (c === 't') o.test = true
        if (c === 'c') o.counters = true
      }
    } else if (a.startsWith('-')) return unknownOption('iptables-restore', a, "Try `iptables-restore -h' for more information.")
    else return { rc: 1, out: '', err: `Unknown arguments found on commandline\n` }
  }
  return o
}


function tableWithout(t: ReturnType<Ruleset['table']>, skip: Set<Rule>): ReturnType<Ruleset['table']> {
  if (skip.size === 0) return t
  const chains = new Map([...t.chains].map(([name, c]) => [name, { ...c, rules: c.rules.filter((r) => !skip.has(r)) }]))
  return { name: t.name, chains }
}

/**
 * The kernel's verdict on a restore batch: every rule addition is checked in order (its own checks, then
 * the table as it stands with the rules added so far). When the table walk fails, the kernel replays the
 * batch validating the table after each addition; a refused rule stays in the table being built, so the
 * first rule that makes the table invalid and every addition after it are refused, with the same errno
 * (measured: a 17-deep jump chain followed by `-A OUTPUT -j ACCEPT` fails on the last three lines).
 */
function validateSection(rs: Ruleset, table: TableName, additions: Addition[]): { line: number; failure: KernelFailure; rule: Rule }[] {
  const t = rs.table(table)
  const failures: { line: number; failure: KernelFailure; rule: Rule }[] = []
  const fail = (a: Addition, err: KernelErrno) => {
    failures.push({ line: a.line ?? 0, failure: new KernelFailure(a.op, err, `rule in chain ${a.chain}`), rule: a.rule })
  }
  const kernel = kernelStateOf(rs)
  for (const a of additions) {
    const e = checkRuleInTable(a.rule, t, a.chain, kernel)
    if (e) fail(a, e)
  }
  // Once rules were refused at initialisation the batch is lost; the table walk is not reported (measured).
  if (failures.length > 0 || !validateTable(t)) return failures.sort((x, y) => x.line - y.line)
  // Adding rules never makes an invalid table valid again: binary-search the first addition that fails.
  // Every later addition fails with the same error (measured: the table walk keeps finding it first).
  const errnoWith = (k: number) => validateTable(tableWithout(t, new Set(additions.slice(k + 1).map((a) => a.rule))))
  let lo = 0
  let hi = additions.length - 1
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (errnoWith(mid)) hi = mid
    else lo = mid + 1
  }
  const errno = errnoWith(lo) ?? 'EINVAL'
  for (const a of additions.slice(lo)) fail(a, errno)
  return failures.sort((x, y) => x.line - y.line)
}

/** nft_action's errmsg: where iptables-nft gathers a batch's error lines. */
const BATCH_ERROR_BUFFER = 1024

/**
 * The error lines of a refused batch as iptables-nft prints them: each `\nline N: ...` is appended to a
 * 1024-byte buffer while it fits; one that does not is written truncated (snprintf) at the end, where the
 * next one overwrites it, so a long list ends with a cut-off copy of its last line (measured: 40 refused
 * rules print 15 lines, then `line 42`).
 */
function batchErrorText(entries: readonly string[]): string {
  let text = ''
  let room = BATCH_ERROR_BUFFER
  let tail = ''
  for (const entry of entries) {
    const bytes = utf8Length(entry)
    if (bytes <= room) {
      text += utf8Prefix(entry, room - 1)
      room -= bytes
      tail = ''
    } else {
      tail = utf8Prefix(entry, room - 1)
    }
  }
  return text + tail
}

const utf8Width = (codePoint: number): number => (codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4)

function utf8Length(text: string): number {
  let bytes = 0
  for (const ch of text) bytes += utf8Width(ch.codePointAt(0)!)
  return bytes
}

/** The longest start of `text` that fits in `limit` bytes of UTF-8 (a character is never cut). */
function utf8Prefix(text: string, limit: number): string {
  let bytes = 0
  let end = 0
  for (const ch of text) {
    bytes += utf8Width(ch.codePointAt(0)!)
    if (bytes > limit) break
    end += ch.length
  }
  return text.slice(0, end)
}

/** `iptables-restore [--noflush] [--test] [-c] [-T TABLE]` reading `input`. */
export function runIptablesRestore(ruleset: Ruleset, input: string, argv: string[] = []): CommandResult {
  // Standard error as the tool writes it: warnings while reading lines, then the outcome's own text.
  const stderr = { text: '', warned: new Set<string>() }
  const r = restore(ruleset, input, argv, stderr)
  return stderr.text ? { ...r, err: stderr.text + r.err } : r
}

function restore(ruleset: Ruleset, input: string, argv: string[], stderr: { text: string; warned: Set<string> }): CommandResult {
  const parsedArgs = parseRestoreArgs(argv)
  if ('rc' in parsedArgs) return parsedArgs
  const o = parsedArgs
  const prog = 'iptables-restore'
  const lines = input.split('\n')
  // A final newline does not start another line.
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop()
  let current: TableName | undefined
  let skipping = false
  let work: Ruleset | undefined
  let additions: Addition[] = []
  let committed: Ruleset | undefined
  let output = ''
  /** Kernel refusals in this batch: the real tool reports every failing line at COMMIT. */
  let kernelErrors: { line: number; failure: KernelFailure; blockers?: Rule[] }[] = []
  /** The first problem found while building the batch (see DeferredFailure), reported at COMMIT. */
  let deferred: { first?: DeferredFailure } = {}
  for (let idx = 0; idx < lines.length; idx++) {
    const lineNo = idx + 1
    const raw = lines[idx]
    const text = `${raw}\n`
    if (raw === '' || raw.startsWith('#')) continue
    if (current === undefined && !skipping) {
      if (raw.startsWith('*')) {
        const name = raw.slice(1).trim()
        if (!isTableName(name)) {
          return formatFailure(new CommandFailure(2, 'parameter', `${prog}: line ${lineNo} table name '${name}' invalid`), prog, lineNo)
        }
        if (o.table !== undefined && o.table !== name) {
          skipping = true
          continue
        }
        current = name
        work = ruleset.fork(name)
        additions = []
        kernelErrors = []
        deferred = {}
        if (!o.noflush) work.resetTable(name)
        committed = work.fork(name)
        continue
      }
      return { rc: 1, out: '', err: `${prog}: line ${lineNo} failed\n` }
    }
    if (skipping) {
      if (raw.trim() === 'COMMIT') skipping = false
      continue
    }
    const rs = work!
    const table = current!
    if (raw.trim() === 'COMMIT') {
      if (!o.test) {
        // At COMMIT, in the order the real tool reports them: a missing jump target, a command that
        // failed in userspace (missing chain...), then every rule the kernel refuses.
        const first = deferred.first
        if (first?.kind === 'jump') {
          return formatFailure(new CommandFailure(2, 'parameter', `Chain '${first.chain}' does not exist`), prog, lineNo)
        }
        if (first?.kind === 'user') return { rc: 1, out: output, err: `${prog}: line ${first.line} failed: ${first.message}.\n` }
        if (first?.kind === 'list') return { ...formatFailure(first.failure, prog), out: output }
        const refusedRules = validateSection(rs, table, additions)
        const refused = new Set(refusedRules.map((f) => f.rule))
        // A chain deletion is refused only if a rule the kernel actually accepted keeps the chain busy.
        kernelErrors = kernelErrors.filter((k) => !k.blockers || k.blockers.some((r) => !refused.has(r)))
        kernelErrors.push(...refusedRules)
        if (kernelErrors.length > 0) {
          const entries = kernelErrors.sort((a, b) => a.line - b.line).map((k) => `\nline ${k.line}: ${kernelFailureText(k.failure)}`)
          return { rc: 4, out: output, err: `iptables-restore ${VERSION}: ${batchErrorText(entries)}\n` }
        }
        ruleset.adopt(rs)
      }
      current = undefined
      work = undefined
      continue
    }
    if (raw.startsWith(':')) {
      const words = raw.slice(1).trim().split(/\s+/)
      const [chain, policy, countersText] = words
      if (!chain) return { rc: 1, out: '', err: `${prog}: line ${lineNo}: no chain name specified\n` }
      if (isBuiltinChain(table, chain)) {
        if (policy !== 'ACCEPT' && policy !== 'DROP') return { rc: 1, out: '', err: `${prog}: line ${lineNo} failed: Bad policy name.\n` }
        let counters: { packets: number; bytes: number } | undefined
        const m = /^\[(\d+):(\d+)\]$/.exec(countersText ?? '')
        if (o.counters && m) counters = { packets: Number(m[1]), bytes: Number(m[2]) }
        rs.touchChain(table, chain)
        rs.setPolicy(table, chain, policy, counters ?? { packets: 0, bytes: 0 })
      } else {
        if (chain.length >= 29) {
          return formatFailure(new CommandFailure(2, 'parameter', `chain name \`${chain}' too long (must be under 29 chars)`), prog, lineNo)
        }
        rs.touch(table)
        if (rs.chain(table, chain)) rs.flushChain(table, chain)
        else rs.newChain(table, chain)
      }
      continue
    }
    // A rule line, optionally with [packets:bytes] first.
    let words = splitRestoreLine(text)
    let counters: { packets: number; bytes: number } | undefined
    if (raw.startsWith('[')) {
      const m = /^\[(\d+):(\d+)\]$/.exec(words[0] ?? '')
      if (!m) return formatFailure(new CommandFailure(2, 'parameter', `Bad line ${lineNo}: need ]`), prog, lineNo)
      counters = { packets: Number(m[1]), bytes: Number(m[2]) }
      words = words.slice(1)
    }
    try {
      const parsed = parseIptablesArgs(words, { restore: true, defaultTable: table, ipsetExists: ipsetChecker(rs), warned: stderr.warned })
      stderr.text += parsed.warnings
      if (o.counters && counters) parsed.rule.counters = counters
      const done = execute(rs, parsed, { restore: true, test: o.test, additions, committed, deferred, kernelFailures: kernelErrors, line: lineNo })
      output += done.out
      stderr.text += done.err ?? ''
    } catch (e) {
      if (e instanceof CommandFailure && e.kind === 'other') {
        deferred.first ??= { kind: 'user', line: lineNo, message: e.message }
        continue
      }
      if (e instanceof CommandFailure) return formatFailure(e, prog, lineNo)
      if (e instanceof KernelFailure) {
        kernelErrors.push({ line: lineNo, failure: e })
        continue
      }
      throw e
    }
  }
  if (current !== undefined) return { rc: 1, out: output, err: `${prog}: COMMIT expected at line ${lines.length + 1}\n` }
  return { rc: 0, out: output, err: '' }
}
