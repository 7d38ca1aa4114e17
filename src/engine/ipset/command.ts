/**
 * The `ipset` command line for a node console: create, add, del, test, list, save, restore, flush,
 * destroy, rename, swap, version — with ipset v7.17's messages and exit codes (measured in a network
 * namespace: syntax problems exit 2 with a "Try `ipset help'" line, kernel refusals exit 1; `test` reports
 * on stderr).
 */
import { jhash2 } from './jhash.ts'
import { IPSET_TYPES, IpsetError, parseElement } from './model.ts'
import type { IpsetOptions, IpsetTypeName, SkbInfo } from './model.ts'
import { IPSET_VERSION, IpsetStore, listSet, listSets, saveSets } from './store.ts'

export interface IpsetResult {
  rc: number
  out: string
  err: string
}

const TRY_HELP = "Try `ipset help' for more information.\n"

class Usage extends Error {}

const COMMANDS: Record<string, string> = {
  create: 'create', n: 'create', '-N': 'create', add: 'add', '-A': 'add', del: 'del', '-D': 'del',
  test: 'test', '-T': 'test', destroy: 'destroy', x: 'destroy', '-X': 'destroy', list: 'list', '-L': 'list',
  save: 'save', '-S': 'save', restore: 'restore', '-R': 'restore', flush: 'flush', '-F': 'flush',
  rename: 'rename', e: 'rename', '-E': 'rename', swap: 'swap', w: 'swap', '-W': 'swap',
  version: 'version', '-V': 'version', '-v': 'version', '--version': 'version',
}

interface Globals {
  exist: boolean
  names: boolean
  terse: boolean
  output: 'plain' | 'save'
  quiet: boolean
  sorted: boolean
}

/**
 * The initval the kernel would draw at random: here derived from the set name, so a simulation is
 * reproducible and `ipset restore` of our save output rebuilds the same bucket order in a real kernel.
 */
export function defaultInitval(name: string): number {
  const words = [...name].map((c) => c.charCodeAt(0))
  return jhash2(words, 0x6b756265) // "kube"
}

function takeGlobals(argv: string[]): { globals: Globals; rest: string[] } {
  const globals: Globals = { exist: false, names: false, terse: false, output: 'plain', quiet: false, sorted: false }
  const rest: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a === '-exist' || a === '-!') globals.exist = true
    else if (a === '-n' || a === '-name') globals.names = true
    else if (a === '-t' || a === '-terse') globals.terse = true
    else if (a === '-q' || a === '-quiet') globals.quiet = true
    else if (a === '-s' || a === '-sorted') globals.sorted = true
    else if (a === '-r' || a === '-resolve') continue
    else if (a === '-o' || a === '-output') {
      const v = argv[++i]
      if (v === 'save' || v === 'plain') globals.output = v
      else throw new Usage(`Syntax error: Unknown output mode '${v ?? ''}'`)
    } else rest.push(a)
  }
  return { globals, rest }
}

function parseCreateOptions(name: string, type: IpsetTypeName, args: string[]): IpsetOptions {
  const o: IpsetOptions = { family: 'inet', hashsize: 1024, maxelem: 65536, bucketsize: 12, initval: defaultInitval(name), comment: false }
  const isHash = type.startsWith('hash:')
  for (let i = 0; i < args.length; i++) {
    const key = args[i]
    const value = args[i + 1]
    const num = (): number => {
      i++
      const n = value !== undefined && /^(0x[0-9a-f]+|\d+)$/i.test(value) ? Number(value) : NaN
      if (Number.isNaN(n)) throw new IpsetError(`Syntax error: '${value ?? ''}' is invalid as number`)
      return n
    }
    if (key === 'comment') o.comment = true
    else if (key === 'skbinfo') o.skbinfo = true
    else if (isHash && key === 'family') {
      i++
      if (value !== 'inet') throw new IpsetError(value === 'inet6' ? 'IPv6 sets are not simulated' : `Syntax error: unknown family ${value ?? ''}`)
    } else if (isHash && key === 'hashsize') o.hashsize = num()
    else if (isHash && key === 'maxelem') o.maxelem = num()
    else if (isHash && key === 'bucketsize') o.bucketsize = num()
    else if (isHash && key === 'initval') o.initval = num() >>> 0
    else if (type === 'bitmap:port' && key === 'range') {
      i++
      const m = /^(\d+)-(\d+)$/.exec(value ?? '')
      if (!m) throw new IpsetError(`Syntax error: cannot parse '${value ?? ''}' as a port range`)
      const [a, b] = [Number(m[1]), Number(m[2])]
      o.range = { first: Math.min(a, b), last: Math.max(a, b) }
    } else throw new Usage(`Unknown argument: \`${key}'`)
  }
  if (type === 'bitmap:port' && !o.range) throw new Usage("Mandatory option `range' is missing")
  return o
}

/** Run one ipset command against a store. `stdin` feeds `restore`. */
export function runIpset(store: IpsetStore, argv: string[], stdin = ''): IpsetResult {
  try {
    const { globals, rest } = takeGlobals(argv)
    const [cmdWord, ...args] = rest
    if (cmdWord === undefined) throw new Usage('No command specified.')
    const cmd = COMMANDS[cmdWord]
    if (!cmd) throw new Usage(`No command specified: unknown argument ${cmdWord}`)
    if (cmd === 'restore') return restore(store, stdin, globals.exist)
    return { rc: 0, out: runCommand(store, cmd, args, globals), err: '' }
  } catch (e) {
    if (e instanceof Usage) return { rc: 2, out: '', err: `ipset ${IPSET_VERSION}: ${e.message}\n${TRY_HELP}` }
    if (e instanceof TestResult) return { rc: e.found ? 0 : 1, out: '', err: e.message }
    if (e instanceof IpsetError) return { rc: 1, out: '', err: `ipset ${IPSET_VERSION}: ${e.message}\n` }
    throw e
  }
}

class TestResult extends Error {
  constructor(readonly found: boolean, message: string) { super(message) }
}

function requireSet(store: IpsetStore, name: string | undefined, cmd: string) {
  if (name === undefined) throw new Usage(`Missing mandatory argument to command ${cmd}`)
  const set = store.get(name)
  if (!set) throw new IpsetError('The set with the given name does not exist')
  return set
}

function runCommand(store: IpsetStore, cmd: string, args: string[], g: Globals): string {
  switch (cmd) {
    case 'version': return `ipset ${IPSET_VERSION}, protocol version: 7\n`
    case 'create': {
      const [name, type, ...opts] = args
      if (name === undefined || type === undefined) throw new Usage('Missing mandatory argument to command create')
      if (!IPSET_TYPES.includes(type as IpsetTypeName)) throw new IpsetError(`Syntax error: typename '${type}' is unknown`)
      store.create(name, type as IpsetTypeName, parseCreateOptions(name, type as IpsetTypeName, opts), g.exist)
      return ''
    }
    case 'add': case 'del': case 'test': {
      const [name, entry, ...opts] = args
      const set = requireSet(store, name, cmd)
      if (entry === undefined) throw new Usage(`Missing mandatory argument to command ${cmd}`)
      let comment: string | undefined
      let skb: SkbInfo | undefined
      for (let i = 0; i < opts.length; i++) {
        if (opts[i] === 'comment' && cmd === 'add') comment = opts[++i] ?? ''
        else if (cmd === 'add' && (opts[i] === 'skbmark' || opts[i] === 'skbprio' || opts[i] === 'skbqueue')) {
          skb = parseSkbInfo(skb ?? {}, opts[i], opts[++i])
        } else throw new Usage(`Unknown argument: \`${opts[i]}'`)
      }
      const element = parseElement(set.type, entry, set.options.range)
      if (cmd === 'add') set.add(element, comment, g.exist, skb)
      else if (cmd === 'del') set.del(element, g.exist)
      else if (set.has(element)) throw new TestResult(true, `Warning: ${entry} is in set ${set.name}.\n`)
      else throw new TestResult(false, `${entry} is NOT in set ${set.name}.\n`)
      return ''
    }
    case 'list': case 'save': {
      const [name] = args
      if (name !== undefined) requireSet(store, name, cmd)
      if (g.names) return store.all().map((x) => x.name).filter((n) => name === undefined || n === name).map((n) => `${n}\n`).join('')
      if (cmd === 'save' || g.output === 'save') return saveSets(store, name)
      if (name !== undefined) return listSet(store, store.get(name)!, g.terse, g.sorted)
      return listSets(store, undefined, g.terse, g.sorted)
    }
    case 'flush': {
      const [name] = args
      if (name === undefined) for (const s of store.all()) s.flush()
      else requireSet(store, name, cmd).flush()
      return ''
    }
    case 'destroy':
      store.destroy(args[0])
      return ''
    case 'rename': {
      const [from, to] = args
      const set = requireSet(store, from, cmd)
      if (to === undefined) throw new Usage('Missing mandatory argument to command rename')
      if (store.references(set.name) > 0) throw new IpsetError('Set cannot be renamed: it is in use by another system')
      if (store.get(to)) throw new IpsetError('Set cannot be renamed: a set with the new name already exists')
      set.name = to
      return ''
    }
    case 'swap': {
      const [a, b] = args
      const sa = requireSet(store, a, cmd)
      if (b === undefined) throw new Usage('Missing mandatory argument to command swap')
      const sb = store.get(b)
      if (!sb) throw new IpsetError('Sets cannot be swapped: the second set does not exist')
      if (sa.type !== sb.type) throw new IpsetError('The sets cannot be swapped: their type does not match')
      store.swap(sa, sb)
      return ''
    }
  }
  throw new Usage(`No command specified: unknown argument ${cmd}`)
}

/** `ipset restore`: one command per line (create/add/del/flush/destroy...), stops at the first error. */
function restore(store: IpsetStore, input: string, exist: boolean): IpsetResult {
  const lines = input.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim()
    if (line === '' || line.startsWith('#')) continue
    if (line === 'COMMIT') continue
    const words = splitWords(line)
    const r = runIpset(store, exist ? ['-exist', ...words] : words)
    if (r.rc === 0) continue
    if (r.rc === 2) return r
    return { rc: 1, out: r.out, err: r.err.replace(`ipset ${IPSET_VERSION}: `, `ipset ${IPSET_VERSION}: Error in line ${i + 1}: `) }
  }
  return { rc: 0, out: '', err: '' }
}

/** Words of a restore line; double quotes group (comments). */
function splitWords(line: string): string[] {
  const words: string[] = []
  const re = /"([^"]*)"|(\S+)/g
  for (let m = re.exec(line); m; m = re.exec(line)) words.push(m[1] ?? m[2])
  return words
}

/**
 * An element's skbinfo fields as ipset 7.17 reads them (measured): `skbmark 0xMARK[/0xMASK]` (the `0x` is
 * required, lower case), `skbprio MAJOR:MINOR` in hex, `skbqueue N` (0-65535).
 */
function parseSkbInfo(skb: SkbInfo, key: string, value: string | undefined): SkbInfo {
  const hex = '0x([0-9a-fA-F]{1,8})'
  if (key === 'skbmark') {
    const m = new RegExp(`^${hex}(?:/${hex})?$`).exec(value ?? '')
    if (!m) throw new IpsetError('Syntax error: Invalid skbmark format, it should be:  MARK/MASK or MARK (see manpage)')
    return { ...skb, mark: { value: parseInt(m[1], 16) >>> 0, mask: m[2] === undefined ? 0xffffffff : parseInt(m[2], 16) >>> 0 } }
  }
  if (key === 'skbprio') {
    const m = /^(?:0x)?([0-9a-fA-F]{1,4}):(?:0x)?([0-9a-fA-F]{1,4})$/.exec(value ?? '')
    if (!m) throw new IpsetError('Syntax error: Invalid skbprio format, it should be:MAJOR:MINOR (see manpage)')
    return { ...skb, prio: { major: parseInt(m[1], 16), minor: parseInt(m[2], 16) } }
  }
  const n = /^\d+$/.test(value ?? '') ? Number(value) : NaN
  if (!(n >= 0 && n <= 65535)) throw new IpsetError(`Syntax error: '${value ?? ''}' is out of range 0-65535`)
  return { ...skb, queue: n }
}

