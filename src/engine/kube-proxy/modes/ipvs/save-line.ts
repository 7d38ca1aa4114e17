/**
 * The `iptables-save` form of the rules IPVS mode writes. The iptables-mode formatter
 * (node-iptables/save-format.ts) does not know `-m set` (two values), `-m physdev` (a flag) or `-m ipvs`, so IPVS
 * mode has this small one for its fixed vocabulary: addresses and protocol first (`-s`, `-d`, `-p`, as
 * iptables-save orders them), then each match in the order written, then the target in canonical form.
 * Checked against iptables-save v1.8.9 (nf_tables) by test/ipvs-kernel for every compiled rule set, except
 * `-m ipvs`, whose kernel module is absent here (its form follows libxt_ipvs's save function).
 */
import { saveString } from '../../node-iptables/save-format.ts'
import { saveAddress } from '../../../net/ipv4.ts'

const CT_STATE_ORDER = ['INVALID', 'NEW', 'RELATED', 'ESTABLISHED', 'UNTRACKED', 'SNAT', 'DNAT']

function hex(text: string): string {
  const n = Number(text)
  return n === 0 ? '0x0' : '0x' + n.toString(16)
}

interface Part { negated: boolean; value: string }

/** `-A chain args...` as iptables-save prints it back. */
export function ipvsModeSaveLine(chain: string, args: readonly string[]): string {
  let src: Part | undefined
  let dst: Part | undefined
  let proto: Part | undefined
  const matches: string[] = []
  let target = ''
  let negated = false
  let i = 0
  const take = (): string => {
    const v = args[++i]
    if (v === undefined) throw new Error(`missing value in rule: ${args.join(' ')}`)
    return v
  }
  const bang = (): string => {
    const out = negated ? '! ' : ''
    negated = false
    return out
  }
  for (; i < args.length; i++) {
    const a = args[i]
    if (a === '!') { negated = true; continue }
    if (a === '-s') { src = { negated, value: take() }; negated = false; continue }
    if (a === '-d') { dst = { negated, value: take() }; negated = false; continue }
    if (a === '-p') { proto = { negated, value: take() }; negated = false; continue }
    if (a === '-j') { target = saveTarget(args.slice(i + 1)); break }
    if (a !== '-m') throw new Error(`unexpected argument "${a}" in rule: ${args.join(' ')}`)
    const module = take()
    const parts = [`-m ${module}`]
    // Options of this match until the next -m / -j / address option.
    while (i + 1 < args.length && !['-m', '-j', '-s', '-d', '-p'].includes(args[i + 1]) &&
      !(args[i + 1] === '!' && ['-s', '-d', '-p', '-m'].includes(args[i + 2] ?? ''))) {
      const opt = args[++i]
      if (opt === '!') { negated = true; continue }
      switch (opt) {
        case '--comment': parts.push(`${bang()}--comment ${saveString(take())}`); break
        case '--match-set': { const name = take(); parts.push(`${bang()}--match-set ${name} ${take()}`); break }
        case '--physdev-is-in': case '--physdev-is-out': case '--physdev-is-bridged': parts.push(`${bang()}${opt}`); break
        case '--ctstate': {
          const states = take().split(',').sort((a, b) => CT_STATE_ORDER.indexOf(a) - CT_STATE_ORDER.indexOf(b))
          parts.push(`${bang()}--ctstate ${states.join(',')}`)
          break
        }
        case '--mark': {
          const [v, m] = take().split('/')
          parts.push(`${bang()}--mark ${hex(v)}${m === undefined || Number(m) === 0xffffffff ? '' : `/${hex(m)}`}`)
          break
        }
        case '--vaddr': parts.push(`${bang()}--vaddr ${saveAddress(take())}`); break
        default: parts.push(`${bang()}${opt} ${take()}`)
      }
    }
    // libxt_ipvs prints --vproto (as a number) before --vaddr (with its mask) and --vport.
    if (module === 'ipvs') parts.splice(1, parts.length - 1, ...ipvsOrder(parts.slice(1)))
    matches.push(parts.join(' '))
  }
  const out = [`-A ${chain}`]
  if (src) out.push(`${src.negated ? '! ' : ''}-s ${saveAddress(src.value)}`)
  if (dst) out.push(`${dst.negated ? '! ' : ''}-d ${saveAddress(dst.value)}`)
  if (proto) out.push(`${proto.negated ? '! ' : ''}-p ${proto.value}`)
  out.push(...matches)
  if (target) out.push(target)
  return out.join(' ')
}

const PROTO_NUMBER: Record<string, string> = { tcp: '6', udp: '17', sctp: '132' }

function ipvsOrder(options: string[]): string[] {
  const rank = (o: string) => ['--vproto', '--vaddr', '--vport', '--vdir', '--vmethod'].findIndex((k) => o.replace(/^! /, '').startsWith(k))
  return options
    .map((o) => o.replace(/^(! )?--vproto (\S+)$/, (_m, neg: string | undefined, p: string) => `${neg ?? ''}--vproto ${PROTO_NUMBER[p] ?? p}`))
    .sort((a, b) => rank(a) - rank(b))
}

function saveTarget(rest: readonly string[]): string {
  const [name, ...opts] = rest
  const opt = (o: string) => { const k = opts.indexOf(o); return k >= 0 ? opts[k + 1] : undefined }
  switch (name) {
    case 'MARK': {
      const or = opt('--or-mark')
      if (or !== undefined) return `-j MARK --set-xmark ${hex(or)}/${hex(or)}`
      const xor = opt('--xor-mark')
      if (xor !== undefined) return `-j MARK --set-xmark ${hex(xor)}/0x0`
      return '-j MARK'
    }
    case 'REJECT':
      return `-j REJECT --reject-with ${opt('--reject-with') ?? 'icmp-port-unreachable'}`
    default:
      return ['-j', ...rest].join(' ')
  }
}
