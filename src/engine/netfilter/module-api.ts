/**
 * How a `-m` match module and a `-j` target module plug into the command line, iptables-save, `-L` and
 * evaluation. Each module lives in its own file under matches/ or targets/ and is registered once in
 * registry.ts. Parsing follows iptables' getopt model: the module declares its long options, receives them
 * one at a time (with a preceding `!`), and checks the whole at the end (`final_check`).
 */
import type { ClauseResult, EvalContext, Hook, TableName, TargetEffects } from './types.ts'

/** 'two': the option takes two words (`--tcp-flags MASK COMP`), passed joined by NUL. */
export type ArgKind = 'none' | 'required' | 'optional' | 'two'

export interface OptionSpec {
  /** Long option name without dashes, e.g. `dport`. */
  name: string
  arg: ArgKind
  /** Whether `!` may precede the option (XTOPT_INVERT); otherwise "cannot be inverted". */
  invertible?: boolean
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
}

/**
 * A user error while parsing, reported like xtables_error(PARAMETER_PROBLEM, ...): printed after
 * `iptables v1.8.9 (nf_tables): ` and followed by the "Try `iptables -h'" line, exit status 2.
 */
export class ParameterProblem extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ParameterProblem'
  }
}

/** A failure the kernel reports when the rule is committed (exit status 4), e.g. a target in the wrong table. */
export type KernelErrno = 'EINVAL' | 'ENOENT' | 'EMLINK'

interface ModuleCommon<O> {
  name: string
  options: OptionSpec[]
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
  /** Kernel checks at insert that do not depend on where the chain is reached from. */
  kernelCheck?(options: O, rule: { protocol: number | undefined; protocolInverted: boolean }, table: TableName): KernelErrno | undefined
  /** Hooks where this instance may run (the kernel checks them for every path from a built-in chain). */
  hooks?(options: O): readonly Hook[] | undefined
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
