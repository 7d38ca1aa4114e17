/**
 * How a `-m` match module and a `-j` target module plug into the command line, iptables-save, `-L` and
 * evaluation. Each module lives in its own file under matches/ or targets/ and is registered once in
 * registry.ts. Parsing follows iptables' getopt model: the module declares its long options, receives them
 * one at a time (with a preceding `!`), and checks the whole at the end (`final_check`).
 */
import type { ClauseResult, EvalContext, Hook, TableName, TargetEffects } from './types.ts'

/**
 * 'two': the option takes two words (`--tcp-flags MASK COMP`), passed joined by NUL. 'next': no getopt
 * argument, but the module takes the next word when it does not start with `-` or `!` (rateest's
 * `--rateest-bps1 [RATE]`, read from argv[optind]).
 */
export type ArgKind = 'none' | 'required' | 'optional' | 'two' | 'next'

export interface OptionSpec {
  /** Long option name without dashes, e.g. `dport`. */
  name: string
  arg: ArgKind
  /** Whether `!` may precede the option (XTOPT_INVERT); otherwise "cannot be inverted". */
  invertible?: boolean
  // xtables' option framework (a module with `xtopt: true`): checked by the parser, in xtables' order.
  /** XTOPT_MULTI: may be given more than once (otherwise "can only be used once"). */
  multi?: boolean
  /** XTOPT_MAND: "must be specified". */
  mandatory?: boolean
  /** Options this one cannot be used together with (the entry's `excl`). */
  excl?: readonly string[]
  /** Options this one also requires (the entry's `also`). */
  also?: readonly string[]
  /** The option's id (the module's enum value) when it differs from its index in `options`. */
  id?: number
  /** `arg: 'two'`: the module's message when the second word is missing (default `--NAME requires two args.`). */
  twoArgsMessage?: string
}

/** What a module may know about the rule being parsed. */
export interface ParseEnv {
  table: TableName
  chain: string
  /** The rule's `-p` protocol number (0 = all, undefined = not given). */
  protocol: number | undefined
  protocolInverted: boolean
  /** Whether ipsets by this name exist (for `-m set`); undefined means "do not check". */
  ipsetExists?: (name: string) => boolean
  /**
   * The options of this module instance given so far (in parse: before the current one; in finalCheck:
   * all), by name, in command-line order: what xtables keeps as the module's flags.
   */
  seen: readonly string[]
  /** The matches loaded before this module in the rule, by name (some targets check them, e.g. SYNPROXY). */
  matchesBefore?: readonly string[]
  /** Print a warning to standard error while parsing goes on (e.g. time's `--localtz`). */
  warn?: (text: string) => void
  /**
   * Count another option of the module as given (xtables' `cb->xflags |= ...`): HMARK's `--hmark-tuple src`
   * stands for `--hmark-src-prefix 32`, which then "can only be used once".
   */
  markSeen?: (option: string) => void
}

/**
 * A user error while parsing, reported like xtables_error(PARAMETER_PROBLEM, ...): printed after
 * `iptables v1.8.9 (nf_tables): ` and followed by the "Try `iptables -h'" line, exit status 2.
 */
export class ParameterProblem extends Error {
  /** What the extension printed to standard error before failing (e.g. a config file it could not open). */
  readonly stderrBefore: string
  constructor(message: string, stderrBefore = '') {
    super(message)
    this.name = 'ParameterProblem'
    this.stderrBefore = stderrBefore
  }
}

/** What a kernel check sees of the rule being added. */
export interface KernelRuleView {
  protocol: number | undefined
  protocolInverted: boolean
  /** Creation order of the rule (Rule.id): objects earlier rules created exist when this one is added. */
  id?: number
}

/**
 * Per-namespace kernel objects that rules create and other rules refer to (RATEEST's rate estimators):
 * the rules of every table of the node as they stand.
 */
export interface KernelState {
  rules(): Iterable<{ table: TableName; rule: import('./types.ts').Rule }>
  /** What a checkentry switches on in the namespace as a side effect (xt_connbytes: nf_conntrack_acct). */
  enableConntrackAccounting?(): void
}

/** A failure the kernel reports when the rule is committed (exit status 4), e.g. a target in the wrong table. */
export type KernelErrno = 'EINVAL' | 'ENOENT' | 'EMLINK' | 'ERANGE' | 'EOPNOTSUPP' | 'ENOSPC' | 'EEXIST' | 'EPERM' | 'ENOMEM' | 'E2BIG'

interface ModuleCommon<O> {
  name: string
  options: OptionSpec[]
  /**
   * The module parses with xtables' option framework (x6_parse): the parser reports an option given twice
   * ("can only be used once"), a `!` it does not take ("cannot be inverted"), and after the module's own
   * finalCheck the options' `mandatory`, `also` and `excl` constraints — each with xtables' message.
   */
  xtopt?: boolean
  /**
   * The kernel here has no such extension (its module is absent): loading it prints xtables' warning
   * ("Extension NAME revision 0 not supported, missing kernel module?") and committing a rule that uses it
   * fails with ENOENT, as iptables-nft does.
   */
  unsupported?: boolean
  /** Fresh (empty) options before any of the module's options were seen. */
  create(): O
  /**
   * One option of this module. `inverted` says a `!` preceded it. Throws ParameterProblem.
   * Returns false when the option does not belong to this module after all.
   */
  parse(options: O, option: string, arg: string | undefined, inverted: boolean, env: ParseEnv): void
  /** Checks after all options were read (required options, combinations). Throws ParameterProblem. */
  finalCheck?(options: O, env: ParseEnv): void
  /** Text after `-m NAME` / `-j NAME` in iptables-save, without a leading space ('' when none). */
  save(options: O): string
  /** Text `iptables -L` prints for the module, without a leading space ('' when none). */
  list(options: O, numeric: boolean): string
  /**
   * What printing the module writes to standard error each time (iptables-save, -S, -L), e.g. connlabel's
   * warning that /etc/xtables/connlabel.conf cannot be opened.
   */
  printWarning?(options: O): string | undefined
  /** `-L` appends the module's text without the blank before it (libxt_bpf prints "match bpf" so). */
  listGlued?: boolean
  /** The IP protocol the kernel extension is limited to (xt_match.proto): other rules fail with EINVAL. */
  proto?: number
  /** Kernel checks at insert that do not depend on where the chain is reached from. */
  kernelCheck?(options: O, rule: KernelRuleView, table: TableName, kernel: KernelState): KernelErrno | undefined
  /** Hooks where this instance may run (the kernel checks them for every path from a built-in chain). */
  hooks?(options: O): readonly Hook[] | undefined
  /** ipsets this instance holds a reference to (`-m set`, `-j SET`): the kernel refuses to destroy those. */
  ipsetReferences?(options: O): readonly string[]
}

export interface MatchModule<O = unknown> extends ModuleCommon<O> {
  kind: 'match'
  /** One result per clause (e.g. `--dport 80`, then `--tcp-flags ...`). */
  evaluate(options: O, ctx: EvalContext, stateKey: string): ClauseResult[]
}

export interface TargetModule<O = unknown> extends ModuleCommon<O> {
  kind: 'target'
  /** The table the kernel restricts the target to (xt_target.table), e.g. `nat` for DNAT. */
  table?: TableName
  /** Name shown in the target column of `-L` when it differs (NOTRACK is listed as CT). */
  listName?: string
  apply(options: O, ctx: EvalContext): TargetEffects
}

/** xtables' option framework (xtopt) messages, which most modules use. */
export const xtopt = {
  cannotInvert: (module: string, option: string) => new ParameterProblem(`${module}: option "--${option}" cannot be inverted.\n`),
  conflict: (module: string, a: string, b: string) => new ParameterProblem(`${module}: option "--${a}" cannot be used together with "--${b}".\n`),
  alsoRequires: (module: string, a: string, b: string) => new ParameterProblem(`${module}: option "--${a}" also requires "--${b}".\n`),
  mustBeSpecified: (module: string, option: string) => new ParameterProblem(`${module}: option "--${option}" must be specified\n`),
  badInteger: (module: string, option: string) => new ParameterProblem(`${module}: bad integer value for option "--${option}", or out of range.\n`),
  badValue: (module: string, option: string, value: string) => new ParameterProblem(`${module}: Bad value for "--${option}" option: "${value}"`),
}

/**
 * xtopt's final check for mutually exclusive options (xtables_options_fcheck): the first given option in
 * the module's option table order that excludes another given one is reported, with the conflicting
 * option of the lowest id (`idOrder`, the module's enum order, usually the table order).
 */
export function checkExclusive(module: string, tableOrder: string[], given: Set<string>, groups: string[][], idOrder = tableOrder): void {
  for (const a of tableOrder) {
    if (!given.has(a)) continue
    for (const b of idOrder) {
      if (b === a || !given.has(b)) continue
      if (groups.some((g) => g.includes(a) && g.includes(b))) throw xtopt.conflict(module, a, b)
    }
  }
}
