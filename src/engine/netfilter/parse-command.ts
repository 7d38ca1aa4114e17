/**
 * `iptables` argv parsing, modelled on iptables 1.8.9's do_parse(): getopt_long over the base options
 * plus the options of every module loaded so far (`-m NAME`, the implicit `-p tcp` match, the `-j`
 * target), `!` before an option, commands with optional chain and rule-number words, and the checks made
 * after the loop (final checks of each module, "no command specified", "Illegal option", `-o` in INPUT...).
 * Errors are thrown as CommandFailure carrying iptables' exact text and exit status.
 */
import type { MatchInstance, Negatable, Rule, TableName, TargetInstance } from './types.ts'
import type { MatchModule, ParseEnv, TargetModule, OptionSpec } from './module-api.ts'
import { ParameterProblem } from './module-api.ts'
import { getMatch, getTarget } from './registry.ts'
import { parseProtocol, protocolName } from './protocols.ts'
import { formatIPv4, maskToPrefix, parseHostMask } from '../net/ipv4.ts'
import { parseCUnsigned } from '../net/ipv4.ts'

export type CommandKind = 'A' | 'D' | 'C' | 'I' | 'R' | 'L' | 'S' | 'F' | 'Z' | 'N' | 'X' | 'E' | 'P'

/** A parse or usage failure: what the tool prints and its exit status. */
export class CommandFailure extends Error {
  /** What was printed to standard error before the failure (warnings of extensions loaded on the way). */
  warnings = ''
  constructor(readonly rc: number, readonly kind: 'parameter' | 'bad-argument' | 'version' | 'other' | 'plain', message: string) {
    super(message)
    this.name = 'CommandFailure'
  }
}

/** xtables' warning when the kernel lacks an extension (xtables_compatible_revision failed). */
export function unsupportedWarning(name: string): string {
  return `Warning: Extension ${name} revision 0 not supported, missing kernel module?\n`
}

export interface ParsedCommand {
  commands: Set<CommandKind>
  /** The command's chain (and for -E the old name). */
  chain?: string
  newName?: string
  policy?: string
  ruleNumber?: number
  table: string
  rule: Rule
  /**
   * The rules the command stands for: `-s a,b -d c,d` makes one rule per source and destination pair
   * (sources outer), as xtables_ipparse_multiple does. Same as [rule] for a single address.
   */
  rules: Rule[]
  /** Jump/goto word as typed (for "Chain 'X' does not exist"). */
  jumpTo?: string
  numeric: boolean
  verbose: boolean
  exact: boolean
  lineNumbers: boolean
  /** `-c PKTS BYTES` */
  setCounters?: { packets: number; bytes: number }
  version: boolean
  /** `-h`: print the usage text and exit. */
  help?: boolean
  /** Printed to standard error while parsing (extensions the kernel lacks). */
  warnings: string
}

interface Loaded {
  kind: 'match' | 'target'
  module: MatchModule | TargetModule
  options: unknown
  /** The options given so far, in order (xtables' mflags/tflags). */
  seen: string[]
}

type BaseOpt = 'A' | 'C' | 'D' | 'I' | 'R' | 'L' | 'S' | 'F' | 'Z' | 'N' | 'X' | 'E' | 'P' | 'V' | 'h' | 'o' | 'p' | 's'
  | 'd' | 'j' | 'i' | 'f' | 'b' | 'v' | 'w' | 'W' | 'n' | 't' | 'm' | 'x' | 'c' | 'g' | '4' | '6' | 'M' | '0'

/** getopt short option string "-:A:C:D:R:I:L::S::M:F::Z::N:X::E:P:Vh::o:p:s:d:j:i:fbvw::W::nt:m:xc:g:46" */
const SHORT: Record<string, 'none' | 'required' | 'optional'> = {
  A: 'required', C: 'required', D: 'required', R: 'required', I: 'required', L: 'optional', S: 'optional',
  M: 'required', F: 'optional', Z: 'optional', N: 'required', X: 'optional', E: 'required', P: 'required',
  V: 'none', h: 'optional', o: 'required', p: 'required', s: 'required', d: 'required', j: 'required',
  i: 'required', f: 'none', b: 'none', v: 'none', w: 'optional', W: 'optional', n: 'none', t: 'required',
  m: 'required', x: 'none', c: 'required', g: 'required', '4': 'none', '6': 'none',
}

const LONG: [string, 'none' | 'required' | 'optional', BaseOpt][] = [
  ['append', 'required', 'A'], ['delete', 'required', 'D'], ['check', 'required', 'C'], ['insert', 'required', 'I'],
  ['replace', 'required', 'R'], ['list', 'optional', 'L'], ['list-rules', 'optional', 'S'], ['flush', 'optional', 'F'],
  ['zero', 'optional', 'Z'], ['new-chain', 'required', 'N'], ['delete-chain', 'optional', 'X'],
  ['rename-chain', 'required', 'E'], ['policy', 'required', 'P'], ['source', 'required', 's'],
  ['destination', 'required', 'd'], ['src', 'required', 's'], ['dst', 'required', 'd'], ['protocol', 'required', 'p'],
  ['in-interface', 'required', 'i'], ['jump', 'required', 'j'], ['table', 'required', 't'], ['match', 'required', 'm'],
  ['numeric', 'none', 'n'], ['out-interface', 'required', 'o'], ['verbose', 'none', 'v'], ['wait', 'optional', 'w'],
  ['wait-interval', 'optional', 'W'], ['exact', 'none', 'x'], ['fragments', 'none', 'f'], ['version', 'none', 'V'],
  ['help', 'optional', 'h'], ['line-numbers', 'none', '0'], ['modprobe', 'required', 'M'],
  ['set-counters', 'required', 'c'], ['goto', 'required', 'g'], ['ipv4', 'none', '4'], ['ipv6', 'none', '6'],
]

/** Option letters in the order of generic_opt_check's table columns. */
const OPT_COLUMNS = ['n', 's', 'd', 'p', 'j', 'v', 'x', 'i', 'o', '0', 'c', 'f'] as const
type OptColumn = (typeof OPT_COLUMNS)[number]
/** commands_v_options: 'x' = illegal. */
const ILLEGAL: Record<string, string> = {
  I: 'x     x  x  ', D: 'x     x  xx ', DNUM: 'xxxxx xxxxxx', R: 'x     x  x  ', A: 'x     x  x  ',
  L: ' xxxx  xx xx', F: 'xxxxx xxxxxx', Z: 'xxxxx xxxxxx', ZNUM: 'xxxxx xxxxxx', N: 'xxxxx xxxxxx',
  X: 'xxxxx xxxxxx', P: 'xxxxx xxxx x', E: 'xxxxx xxxxxx', S: 'xxxxx xxxxxx', C: 'x     x  xx ',
}
/** Which base options accept a preceding `!` (inverse_for_options). */
const INVERTIBLE = new Set<OptColumn>(['s', 'd', 'p', 'i', 'o', 'f'])
const OPTION_NAME: Record<OptColumn, string> = { n: 'n', s: 's', d: 'd', p: 'p', j: 'j', v: 'v', x: 'x', i: 'i', o: 'o', '0': '-line-numbers', c: 'c', f: 'f' }

export interface ParseContext {
  /** `iptables` or `iptables-restore` (changes a few messages). */
  restore: boolean
  defaultTable?: string
  ipsetExists?: (name: string) => boolean
  /**
   * Extensions whose "not supported" warning this process printed already (xtables warns once per
   * extension and process: iptables-restore once for the whole input).
   */
  warned?: Set<string>
}

function pp(message: string, stderrBefore = ''): CommandFailure {
  const f = new CommandFailure(2, 'parameter', message)
  f.warnings = stderrBefore
  return f
}

function isRuleNumberWord(word: string | undefined): word is string {
  return word !== undefined && !word.startsWith('-') && !word.startsWith('!')
}

function parseRuleNumber(word: string): number {
  const n = parseCUnsigned(word)
  if (n === undefined || n < 1 || n > 0x7fffffff) throw pp(`Invalid rule number \`${word}'`)
  return n
}

export function parseIptablesArgs(argv: string[], ctx: ParseContext): ParsedCommand {
  const sink = { warnings: '' }
  try {
    const cmd = parseArgs(argv, ctx, sink)
    cmd.warnings = sink.warnings
    return cmd
  } catch (e) {
    if (e instanceof CommandFailure) e.warnings = sink.warnings + e.warnings
    throw e
  }
}

/**
 * xtables_options_fcheck: in the option table's order, a mandatory option missing, then for each given
 * option the others by id — one it also requires missing, or one it excludes given too.
 */
export function checkOptionConstraints(module: string, options: readonly OptionSpec[], seen: readonly string[]): void {
  const given = new Set(seen)
  const byId = options.map((o, i) => ({ o, id: o.id ?? i })).sort((a, b) => a.id - b.id)
    .filter((x, i, all) => i === 0 || all[i - 1].id !== x.id)
  for (const entry of options) {
    if (entry.mandatory && !given.has(entry.name)) throw new ParameterProblem(`${module}: option "--${entry.name}" must be specified\n`)
    if (!given.has(entry.name)) continue
    for (const { o: other } of byId) {
      if (other === entry) continue
      if (entry.also?.includes(other.name) && !given.has(other.name)) {
        throw new ParameterProblem(`${module}: option "--${entry.name}" also requires "--${other.name}".\n`)
      }
      if (entry.excl?.includes(other.name) && given.has(other.name)) {
        throw new ParameterProblem(`${module}: option "--${entry.name}" cannot be used together with "--${other.name}".\n`)
      }
    }
  }
}

/** The first option of the table with the same id (xtables_option_lookup). */
function canonicalOption(options: readonly OptionSpec[], spec: OptionSpec): OptionSpec {
  const idOf = (o: OptionSpec) => o.id ?? options.indexOf(o)
  const id = idOf(spec)
  return options.find((o) => idOf(o) === id) ?? spec
}

function parseArgs(argv: string[], ctx: ParseContext, sink: { warnings: string }): ParsedCommand {
  const cmd: ParsedCommand = {
    commands: new Set(), table: ctx.defaultTable ?? 'filter', rule: { matches: [], counters: { packets: 0, bytes: 0 } }, rules: [],
    numeric: false, verbose: false, exact: false, lineNumbers: false, version: false, warnings: '',
  }
  const seen = new Set<OptColumn>()
  const inverted = new Set<OptColumn>()
  const loaded: Loaded[] = []
  let target: Loaded | undefined
  let invert = false
  let protocolText: string | undefined
  let protocolNum: number | undefined
  let protoLoaded = false
  let sourceText: string | undefined
  let destText: string | undefined
  let tableSet = false
  let i = 0

  const warned = ctx.warned ?? new Set<string>()
  const env = (owner?: Loaded): ParseEnv => ({
    table: (cmd.table as TableName), chain: cmd.chain ?? '', protocol: protocolNum,
    protocolInverted: inverted.has('p'), ipsetExists: ctx.ipsetExists, seen: owner?.seen ?? [],
    matchesBefore: loaded.map((l) => l.module.name),
    warn: (text) => { sink.warnings += text },
    markSeen: (name) => { if (owner && !owner.seen.includes(name)) owner.seen.push(name) },
  })
  /** Loading an extension the kernel lacks prints xtables' warning (once per extension and process). */
  const noteLoad = (module: MatchModule | TargetModule) => {
    if (!module.unsupported || warned.has(module.name)) return
    warned.add(module.name)
    sink.warnings += unsupportedWarning(module.name)
  }

  const setOption = (c: OptColumn) => {
    if (seen.has(c)) throw pp(`multiple -${OPTION_NAME[c]} flags not allowed`)
    if (invert) {
      if (!INVERTIBLE.has(c)) throw pp(`cannot have ! before -${OPTION_NAME[c]}`)
      inverted.add(c)
    }
    seen.add(c)
  }

  const addCommand = (c: CommandKind, allowedWith: CommandKind[] = []) => {
    if (invert) throw pp("unexpected '!' flag")
    for (const existing of cmd.commands) {
      if (!allowedWith.includes(existing)) throw pp(`Cannot use -${c} with -${existing}`)
    }
    cmd.commands.add(c)
  }

  const nextWordIfArg = (): string | undefined => (isRuleNumberWord(argv[i]) ? argv[i++] : undefined)

  const loadModule = (module: MatchModule | TargetModule, kind: 'match' | 'target'): Loaded => {
    noteLoad(module)
    const l: Loaded = { kind, module, options: module.create(), seen: [] }
    return l
  }

  /** The options currently known, in getopt's table order: base, then loaded matches, then the target. */
  const moduleOptions = (): { spec: OptionSpec; owner: Loaded }[] => {
    const out: { spec: OptionSpec; owner: Loaded }[] = []
    // Later instances first so a repeated option (two -m comment) goes to the latest loaded module.
    for (let k = loaded.length - 1; k >= 0; k--) for (const spec of loaded[k].module.options) out.push({ spec, owner: loaded[k] })
    if (target) for (const spec of target.module.options) out.push({ spec, owner: target })
    return out
  }

  const tryLoadProto = (): boolean => {
    // As load_proto(): `! -p tcp --dport 80` loads the tcp match too (measured).
    if (protoLoaded || protocolNum === undefined || protocolNum === 0) return false
    const name = protocolName(protocolNum)
    const m = name ? getMatch(name) : undefined
    protoLoaded = true
    if (!m) return false
    if (loaded.some((l) => l.module === m)) return false
    loaded.push(loadModule(m, 'match'))
    return true
  }

  const runModuleOption = (owner: Loaded, typed: OptionSpec, value: string | undefined) => {
    const name = owner.module.name
    // Options sharing an id are one option to xtables (`--sport` is `--source-port`): it names the first.
    const spec = owner.module.xtopt ? canonicalOption(owner.module.options, typed) : typed
    // xtables_option_parse: used once, then the `!`, then the value.
    if (owner.module.xtopt && !spec.multi && owner.seen.includes(spec.name)) {
      throw pp(`${name}: option "--${spec.name}" can only be used once.\n`)
    }
    if (invert && !spec.invertible) throw pp(`${name}: option "--${spec.name}" cannot be inverted.\n`)
    try {
      owner.module.parse(owner.options as never, spec.name, value, invert, env(owner))
    } catch (e) {
      if (e instanceof ParameterProblem) throw pp(e.message, e.stderrBefore)
      throw e
    }
    owner.seen.push(spec.name)
    invert = false
  }

  /** Take the argument of an option found in the long table. */
  const takeArg = (kind: 'none' | 'required' | 'optional' | 'two' | 'next', attached: string | undefined, display: string, twoArgsMessage?: string): string | undefined => {
    if (kind === 'none' || kind === 'next') {
      if (attached !== undefined) throw pp(`unknown option "${display}"`)
      if (kind === 'next' && argv[i] !== undefined && !argv[i].startsWith('-') && !argv[i].startsWith('!')) return argv[i++]
      return undefined
    }
    if (kind === 'optional') return attached
    let value = attached
    if (value === undefined) {
      if (i >= argv.length) throw pp(`option "${display}" requires an argument`)
      value = argv[i++]
    }
    if (kind === 'two') {
      const second = argv[i]
      if (second === undefined || second.startsWith('-') || second.startsWith('!')) {
        throw pp(twoArgsMessage ?? `${display} requires two args.`)
      }
      i++
      return `${value}\u0000${second}`
    }
    return value
  }

  const handleBase = (opt: BaseOpt, optarg: string | undefined) => {
    switch (opt) {
      case 'A': addCommand('A'); cmd.chain = optarg; break
      case 'C': addCommand('C'); cmd.chain = optarg; break
      case 'D': {
        addCommand('D'); cmd.chain = optarg
        const w = nextWordIfArg()
        if (w !== undefined) cmd.ruleNumber = parseRuleNumber(w)
        break
      }
      case 'R': {
        addCommand('R'); cmd.chain = optarg
        const w = nextWordIfArg()
        if (w === undefined) throw pp('-R requires a rule number')
        cmd.ruleNumber = parseRuleNumber(w)
        break
      }
      case 'I': {
        addCommand('I'); cmd.chain = optarg
        const w = nextWordIfArg()
        cmd.ruleNumber = w === undefined ? 1 : parseRuleNumber(w)
        break
      }
      case 'L': case 'S': {
        addCommand(opt, opt === 'L' ? ['Z'] : [])
        const chain = optarg ?? nextWordIfArg()
        if (chain !== undefined) cmd.chain = chain
        const w = nextWordIfArg()
        if (w !== undefined) cmd.ruleNumber = parseRuleNumber(w)
        break
      }
      case 'F': {
        addCommand('F')
        const chain = optarg ?? nextWordIfArg()
        if (chain !== undefined) cmd.chain = chain
        break
      }
      case 'Z': {
        addCommand('Z', ['L'])
        const chain = optarg ?? nextWordIfArg()
        if (chain !== undefined) {
          cmd.chain = chain
          const w = nextWordIfArg()
          if (w !== undefined) cmd.ruleNumber = parseRuleNumber(w)
        }
        break
      }
      case 'N': {
        const name = optarg ?? ''
        if (name.startsWith('-') || name.startsWith('!')) throw pp(`chain name not allowed to start with \`${name[0]}'`)
        // The empty name is the standard target's, so it "clashes" too (measured).
        const clash = getTarget(name)
        if (clash) noteLoad(clash)
        if (name === '' || clash) throw pp('chain name may not clash with target name')
        addCommand('N'); cmd.chain = name
        break
      }
      case 'X': {
        addCommand('X')
        const chain = optarg ?? nextWordIfArg()
        if (chain !== undefined) cmd.chain = chain
        break
      }
      case 'E': {
        addCommand('E'); cmd.chain = optarg
        const w = nextWordIfArg()
        if (w === undefined) throw pp('-E requires old-chain-name and new-chain-name')
        cmd.newName = w
        break
      }
      case 'P': {
        addCommand('P'); cmd.chain = optarg
        const w = nextWordIfArg()
        if (w === undefined) throw pp('-P requires a chain and a policy')
        cmd.policy = w
        break
      }
      case 'V': cmd.version = true; break
      case 'h': cmd.help = true; break
      case 'p': {
        setOption('p')
        protocolText = (optarg ?? '').toLowerCase()
        const n = parseProtocol(protocolText)
        if (n === undefined) throw pp(`unknown protocol "${optarg}" specified`)
        if (n === 0 && inverted.has('p')) throw pp('rule would never match protocol')
        protocolNum = n
        invert = false
        break
      }
      case 's': setOption('s'); sourceText = optarg; invert = false; break
      case 'd': setOption('d'); destText = optarg; invert = false; break
      case 'i': case 'o': {
        setOption(opt)
        const name = optarg ?? ''
        if (name.length + 1 > 16) throw pp(`interface name \`${name}' must be shorter than IFNAMSIZ (15)`)
        const neg: Negatable<string> = { value: name, negated: invert }
        // A bare `+` matches every interface: iptables stores no interface at all.
        if (name === '+' && !invert) { /* nothing to store */ } else if (opt === 'i') cmd.rule.inInterface = neg
        else cmd.rule.outInterface = neg
        invert = false
        break
      }
      case 'f': setOption('f'); cmd.rule.fragment = { value: true, negated: invert }; invert = false; break
      case 'j': {
        setOption('j')
        cmd.jumpTo = optarg ?? ''
        if (cmd.jumpTo === '') throw pp('Invalid target name (too short)')
        const t = getTarget(cmd.jumpTo)
        if (t) {
          target = loadModule(t, 'target')
        }
        break
      }
      case 'g': {
        setOption('j')
        cmd.jumpTo = optarg ?? ''
        cmd.rule.target = { kind: 'goto', chain: cmd.jumpTo }
        break
      }
      case 'm': {
        if (invert) throw pp('unexpected ! flag before --match')
        const m = getMatch(optarg ?? '')
        if (!m) throw pp(`Couldn't load match \`${optarg}':No such file or directory\n`)
        loaded.push(loadModule(m, 'match'))
        if (protocolNum !== undefined && protocolName(protocolNum) === optarg) protoLoaded = true
        break
      }
      case 'n': setOption('n'); cmd.numeric = true; break
      case 'v': if (!cmd.verbose) setOption('v'); cmd.verbose = true; break
      case 'x': setOption('x'); cmd.exact = true; break
      case '0': setOption('0'); cmd.lineNumbers = true; break
      case 't': {
        if (invert) throw pp('unexpected ! flag before --table')
        if (ctx.restore) throw pp('The -t option cannot be used in iptables-restore.\n')
        if (tableSet) throw pp('multiple -t flags not allowed')
        tableSet = true
        cmd.table = optarg ?? ''
        break
      }
      case 'w': case 'W':
        if (optarg === undefined && argv[i] !== undefined && /^[0-9]+$/.test(argv[i])) i++
        break
      case 'c': {
        setOption('c')
        const b = nextWordIfArg()
        if (b === undefined) throw pp('-c requires packet and byte counter')
        const packets = /^[0-9]+$/.test(optarg ?? '') ? Number(optarg) : NaN
        const bytes = /^[0-9]+$/.test(b) ? Number(b) : NaN
        if (Number.isNaN(packets)) throw pp('-c packet counter not numeric')
        if (Number.isNaN(bytes)) throw pp('-c byte counter not numeric')
        cmd.setCounters = { packets, bytes }
        break
      }
      case 'M': case 'b': case '4': break
      case '6': throw pp('This is the IPv4 version of iptables.')
    }
  }

  const unknown = (display: string): never => {
    throw pp(`unknown option "${display}"`)
  }

  while (i < argv.length) {
    const word = argv[i++]
    if (word === '!') {
      if (invert) throw pp('multiple consecutive ! not allowed')
      invert = true
      continue
    }
    if (word.startsWith('--') && word.length > 2) {
      const eq = word.indexOf('=')
      const name = eq >= 0 ? word.slice(2, eq) : word.slice(2)
      const attached = eq >= 0 ? word.slice(eq + 1) : undefined
      // getopt_long: an exact name wins, else a unique prefix.
      for (let attempt = 0; attempt < 2; attempt++) {
        const base = LONG.filter(([n]) => n === name)
        const mods = moduleOptions().filter((o) => o.spec.name === name)
        let pickBase = base[0]
        let pickMod = mods[0]
        if (!pickBase && !pickMod) {
          const bp = LONG.filter(([n]) => n.startsWith(name))
          const mp = moduleOptions().filter((o) => o.spec.name.startsWith(name))
          const distinct = new Set([...bp.map((b) => `b:${b[2]}`), ...mp.map((m) => `m:${m.spec.name}`)])
          if (distinct.size === 1) {
            pickBase = bp[0]
            pickMod = mp[0]
          }
        }
        if (pickBase) {
          handleBase(pickBase[2], takeArg(pickBase[1], attached, word))
          if (cmd.version || cmd.help) return cmd
          break
        }
        if (pickMod) {
          runModuleOption(pickMod.owner, pickMod.spec, takeArg(pickMod.spec.arg, attached, `--${pickMod.spec.name}`, pickMod.spec.twoArgsMessage))
          break
        }
        if (attempt === 0 && tryLoadProto()) continue
        unknown(word)
      }
      continue
    }
    if (word.startsWith('-') && word.length > 1 && word !== '--') {
      for (let k = 1; k < word.length; k++) {
        const c = word[k]
        const kind = SHORT[c]
        if (kind === undefined) {
          tryLoadProto()
          unknown(`-${c}`)
        }
        const rest = word.slice(k + 1)
        let optarg: string | undefined
        if (kind === 'required') {
          // iptables 1.8.9 takes the whole word as the value of an attached short option (`-s10.0.0.1`
          // gives "-s10.0.0.1"; fixed in 1.8.10), so such values fail as the real tool's do.
          if (rest !== '') optarg = word
          else {
            if (i >= argv.length) throw pp(`option "-${c}" requires an argument`)
            optarg = argv[i++]
          }
          k = word.length
        } else if (kind === 'optional') {
          if (rest !== '') optarg = rest
          k = rest !== '' ? word.length : k
        }
        handleBase(c as BaseOpt, optarg)
        if (cmd.version || cmd.help) return cmd
      }
      continue
    }
    throw new CommandFailure(2, 'bad-argument', `Bad argument \`${word}'`)
  }

  // ---- after the getopt loop, in do_parse's order
  for (const l of [...loaded, ...(target ? [target] : [])]) {
    try {
      l.module.finalCheck?.(l.options as never, env(l))
      if (l.module.xtopt) checkOptionConstraints(l.module.name, l.module.options, l.seen)
    } catch (e) {
      if (e instanceof ParameterProblem) throw pp(e.message, e.stderrBefore)
      throw e
    }
  }
  if (cmd.commands.size === 0) throw pp('no command specified')
  if (invert) throw pp('nothing appropriate following !')
  if (cmd.table === 'nat' && (cmd.policy === 'DROP' || cmd.jumpTo === 'DROP')) {
    throw pp('\nThe "nat" table is not intended for filtering, the use of DROP is therefore inhibited.\n\n')
  }

  const primary = primaryCommand(cmd)
  let sources: Rule['source'][] = [undefined]
  let dests: Rule['source'][] = [undefined]
  if (['A', 'D', 'C', 'I', 'R'].includes(primary)) {
    if (sourceText !== undefined) sources = sourceText.split(',').map((t) => addressClause(t, inverted.has('s')))
    if (destText !== undefined) dests = destText.split(',').map((t) => addressClause(t, inverted.has('d')))
    if (primary === 'R' && sources.length * dests.length > 1) throw pp('Replacement rule does not specify a unique address')
  }
  const key = primary === 'D' && cmd.ruleNumber !== undefined ? 'DNUM'
    : primary === 'Z' && cmd.ruleNumber !== undefined ? 'ZNUM' : primary
  const row = ILLEGAL[key]
  if (row) {
    OPT_COLUMNS.forEach((col, idx) => {
      if (seen.has(col) && row[idx] === 'x') throw pp(`Illegal option \`-${OPTION_NAME[col]}' with this command`)
    })
  }
  if (cmd.chain !== undefined && cmd.chain.length >= 29) {
    throw pp(`chain name \`${cmd.chain}' too long (must be under 29 chars)`)
  }
  if (primary === 'N' && cmd.chain !== undefined && /[\s]/.test(cmd.chain)) throw pp(`Invalid chain name \`${cmd.chain}'`)
  if (['A', 'I', 'R', 'D', 'C'].includes(primary) && cmd.chain !== undefined) {
    if ((cmd.chain === 'PREROUTING' || cmd.chain === 'INPUT') && cmd.rule.outInterface) throw pp(`Can't use -o with ${cmd.chain}\n`)
    if ((cmd.chain === 'POSTROUTING' || cmd.chain === 'OUTPUT') && cmd.rule.inInterface) throw pp(`Can't use -i with ${cmd.chain}\n`)
  }

  if (protocolNum !== undefined && protocolNum !== 0) {
    cmd.rule.protocol = { value: protocolName(protocolNum) ?? protocolNum, negated: inverted.has('p') }
  } else if (protocolNum === 0 && protocolText !== undefined) {
    // `-p all` / `-p 0`: no protocol restriction; nothing is saved.
  }
  cmd.rule.matches = loaded.map((l): MatchInstance => ({ module: l.module.name, options: l.options }))
  if (target) {
    cmd.rule.target = { kind: 'module', module: target.module.name, options: target.options } satisfies TargetInstance
  } else if (cmd.jumpTo !== undefined && !cmd.rule.target) {
    cmd.rule.target = { kind: 'jump', chain: cmd.jumpTo }
  }
  if (cmd.setCounters) cmd.rule.counters = { ...cmd.setCounters }
  for (const source of sources) {
    for (const destination of dests) {
      const r: Rule = { ...cmd.rule, counters: { ...cmd.rule.counters } }
      if (source) r.source = source
      if (destination) r.destination = destination
      cmd.rules.push(r)
    }
  }
  cmd.rule = cmd.rules[0]
  return cmd
}

export function primaryCommand(cmd: ParsedCommand): CommandKind {
  for (const c of ['A', 'D', 'C', 'I', 'R', 'L', 'S', 'F', 'Z', 'N', 'X', 'E', 'P'] as CommandKind[]) {
    if (c === 'Z' && cmd.commands.has('L')) continue
    if (cmd.commands.has(c)) return c
  }
  return 'L'
}

function addressClause(text: string, negated: boolean): Rule['source'] {
  const parsed = parseHostMask(text)
  if ('error' in parsed) throw pp(parsed.error)
  const prefix = maskToPrefix(parsed.mask)
  if (parsed.mask === 0) return undefined
  const cidr = prefix >= 0
    ? { address: formatIPv4(parsed.address), prefix }
    : { address: formatIPv4(parsed.address), prefix: -1, netmask: formatIPv4(parsed.mask) }
  return { value: cidr, negated }
}
