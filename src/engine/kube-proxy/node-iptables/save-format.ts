/**
 * From the rule text kube-proxy writes (its iptables-restore payload) to the text `iptables-save` prints
 * for the same rule once the kernel holds it. The kernel stores parsed rules; iptables-save re-prints them
 * canonically: addresses first (`-s`, `-d`, `-i`, `-o`, `-p`), then each `-m` match in the order given with
 * its options in the module's own order, then the target with its options in canonical form.
 *
 * Only the vocabulary kube-proxy and kubelet use is covered (comment, tcp/udp/sctp, addrtype, statistic,
 * recent, mark, conntrack, nfacct; MARK, MASQUERADE, DNAT, REJECT and plain verdicts/jumps). Every form
 * here was checked against iptables-save v1.8.9 (nf_tables) in a network namespace; the kernel acceptance
 * test (test/kube-proxy-kernel) re-checks them for every compiled rule set.
 */
import { saveAddress } from '../../net/ipv4.ts'
import { savedProbability } from '../numbers.ts'

/** xtables_save_string: quoted unless only [A-Za-z0-9_-]; `"`, `\` and `'` are backslash-escaped. */
export function saveString(value: string): string {
  if (/^[A-Za-z0-9_-]+$/.test(value)) return value
  return '"' + value.replace(/["\\']/g, (c) => '\\' + c) + '"'
}

/** Payload text of one argument: kube-proxy writes quotes around exactly the values that hold spaces. */
export function payloadToken(token: string): string {
  return token.includes(' ') ? `"${token}"` : token
}

interface MatchOption {
  name: string
  value?: string
  negated: boolean
}

interface ParsedRule {
  src?: { addr: string; negated: boolean }
  dst?: { addr: string; negated: boolean }
  inIface?: { name: string; negated: boolean }
  outIface?: { name: string; negated: boolean }
  proto?: { name: string; negated: boolean }
  matches: { module: string; options: MatchOption[] }[]
  target?: string
  targetOptions: MatchOption[]
}

/** Options that take no value. */
const FLAGS = new Set(['--set', '--rcheck', '--update', '--remove', '--reap', '--rsource', '--rdest', '--random-fully', '--random'])

function parseArgs(args: readonly string[]): ParsedRule {
  const rule: ParsedRule = { matches: [], targetOptions: [] }
  let negated = false
  let inTarget = false
  for (let i = 0; i < args.length; i++) {
    const token = args[i]
    if (token === '!') {
      negated = true
      continue
    }
    if (!inTarget) {
      switch (token) {
        case '-s': case '--source': case '--src':
          rule.src = { addr: args[++i], negated }
          negated = false
          continue
        case '-d': case '--destination': case '--dst':
          rule.dst = { addr: args[++i], negated }
          negated = false
          continue
        case '-i':
          rule.inIface = { name: args[++i], negated }
          negated = false
          continue
        case '-o':
          rule.outIface = { name: args[++i], negated }
          negated = false
          continue
        case '-p':
          rule.proto = { name: args[++i], negated }
          negated = false
          continue
        case '-m':
          rule.matches.push({ module: args[++i], options: [] })
          continue
        case '-j':
          rule.target = args[++i]
          inTarget = true
          continue
      }
    }
    if (!token.startsWith('--')) throw new Error(`unexpected argument "${token}" in rule: ${args.join(' ')}`)
    const option: MatchOption = { name: token, negated }
    negated = false
    if (!FLAGS.has(token) && i + 1 < args.length) option.value = args[++i]
    if (inTarget) rule.targetOptions.push(option)
    else {
      const current = rule.matches[rule.matches.length - 1]
      if (!current) throw new Error(`option ${token} before any -m in rule: ${args.join(' ')}`)
      current.options.push(option)
    }
  }
  return rule
}

const neg = (o: { negated: boolean }) => (o.negated ? '! ' : '')
const find = (options: MatchOption[], name: string) => options.find((o) => o.name === name)

/** `%#x` of a number given as hex or decimal text, as iptables prints marks. */
function hexMark(text: string): string {
  const n = Number(text)
  return n === 0 ? '0x0' : '0x' + n.toString(16)
}

const CT_STATE_ORDER = ['INVALID', 'NEW', 'RELATED', 'ESTABLISHED', 'UNTRACKED', 'SNAT', 'DNAT']

function saveMatch(module: string, options: MatchOption[]): string {
  const parts: string[] = [`-m ${module}`]
  const emit = (o: MatchOption | undefined, text: (o: MatchOption) => string) => {
    if (o) parts.push(neg(o) + text(o))
  }
  switch (module) {
    case 'comment':
      emit(find(options, '--comment'), (o) => `--comment ${saveString(o.value ?? '')}`)
      break
    case 'tcp': case 'udp': case 'sctp':
      emit(find(options, '--sport'), (o) => `--sport ${o.value}`)
      emit(find(options, '--dport'), (o) => `--dport ${o.value}`)
      break
    case 'addrtype':
      emit(find(options, '--src-type'), (o) => `--src-type ${o.value}`)
      emit(find(options, '--dst-type'), (o) => `--dst-type ${o.value}`)
      break
    case 'statistic':
      emit(find(options, '--mode'), (o) => `--mode ${o.value}`)
      emit(find(options, '--probability'), (o) => `--probability ${savedProbability(o.value ?? '0')}`)
      break
    case 'recent': {
      for (const flag of ['--set', '--rcheck', '--update', '--remove']) emit(find(options, flag), (o) => o.name)
      emit(find(options, '--seconds'), (o) => `--seconds ${o.value}`)
      emit(find(options, '--reap'), () => '--reap')
      emit(find(options, '--hitcount'), (o) => `--hitcount ${o.value}`)
      parts.push(`--name ${find(options, '--name')?.value ?? 'DEFAULT'}`)
      parts.push(`--mask ${find(options, '--mask')?.value ?? '255.255.255.255'}`)
      parts.push(find(options, '--rdest') ? '--rdest' : '--rsource')
      break
    }
    case 'mark':
      emit(find(options, '--mark'), (o) => {
        const [value, mask] = (o.value ?? '0').split('/')
        return mask === undefined || Number(mask) === 0xffffffff
          ? `--mark ${hexMark(value)}`
          : `--mark ${hexMark(value)}/${hexMark(mask)}`
      })
      break
    case 'conntrack':
      emit(find(options, '--ctstate'), (o) => {
        const states = (o.value ?? '').split(',')
        states.sort((a, b) => CT_STATE_ORDER.indexOf(a) - CT_STATE_ORDER.indexOf(b))
        return `--ctstate ${states.join(',')}`
      })
      break
    case 'nfacct':
      // libxt_nfacct prints the option and then " %s" of the name: two spaces in iptables-save output.
      emit(find(options, '--nfacct-name'), (o) => `--nfacct-name  ${o.value}`)
      break
    default:
      for (const o of options) parts.push(neg(o) + (o.value === undefined ? o.name : `${o.name} ${o.value}`))
  }
  return parts.join(' ')
}

function saveTarget(target: string, options: MatchOption[]): string {
  switch (target) {
    case 'MARK': {
      const or = find(options, '--or-mark')
      const xor = find(options, '--xor-mark')
      const setx = find(options, '--set-xmark')
      if (or) return `-j MARK --set-xmark ${hexMark(or.value ?? '0')}/${hexMark(or.value ?? '0')}`
      if (xor) return `-j MARK --set-xmark ${hexMark(xor.value ?? '0')}/0x0`
      if (setx) {
        const [v, m] = (setx.value ?? '0').split('/')
        return `-j MARK --set-xmark ${hexMark(v)}/${hexMark(m ?? '0xffffffff')}`
      }
      return '-j MARK'
    }
    case 'REJECT':
      return `-j REJECT --reject-with ${find(options, '--reject-with')?.value ?? 'icmp-port-unreachable'}`
    default:
      return ['-j', target, ...options.map((o) => (o.value === undefined ? o.name : `${o.name} ${o.value}`))].join(' ')
  }
}

/** The `iptables-save` line for `-A chain args...` as the kernel will hand it back. */
export function toSaveLine(chain: string, args: readonly string[]): string {
  const rule = parseArgs(args)
  const parts: string[] = [`-A ${chain}`]
  if (rule.src) parts.push(`${neg(rule.src)}-s ${saveAddress(rule.src.addr)}`)
  if (rule.dst) parts.push(`${neg(rule.dst)}-d ${saveAddress(rule.dst.addr)}`)
  if (rule.inIface) parts.push(`${neg(rule.inIface)}-i ${rule.inIface.name}`)
  if (rule.outIface) parts.push(`${neg(rule.outIface)}-o ${rule.outIface.name}`)
  if (rule.proto) parts.push(`${neg(rule.proto)}-p ${rule.proto.name}`)
  for (const m of rule.matches) parts.push(saveMatch(m.module, m.options))
  if (rule.target) parts.push(saveTarget(rule.target, rule.targetOptions))
  return parts.join(' ')
}

/** The payload line for `-A chain args...` exactly as kube-proxy writes it. */
export function toPayloadLine(chain: string, args: readonly string[]): string {
  return [`-A ${chain}`, ...args.map(payloadToken)].join(' ')
}
