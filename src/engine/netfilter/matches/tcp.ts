/** `-m tcp` (loaded implicitly by `-p tcp`): ports, `--tcp-flags`, `--syn`, `--tcp-option`. */
import type { MatchModule } from '../module-api.ts'
import { ParameterProblem } from '../module-api.ts'
import type { ClauseResult, TcpFlags } from '../types.ts'
import { parsePortRange, joinParts } from '../values.ts'
import { evaluatePorts, listPorts, normalisePortClause, savePorts, type PortClause } from './ports-common.ts'

/** Flag bits in the order iptables prints them. */
const FLAG_BITS: [keyof TcpFlags, number][] = [
  ['FIN', 0x01], ['SYN', 0x02], ['RST', 0x04], ['PSH', 0x08], ['ACK', 0x10], ['URG', 0x20],
]
const FLAG_NAMES: Record<string, number> = { FIN: 1, SYN: 2, RST: 4, PSH: 8, ACK: 16, URG: 32, ALL: 0x3f, NONE: 0 }

export interface TcpOptions {
  sport?: PortClause
  dport?: PortClause
  flags?: { mask: number; comp: number; inverted: boolean }
  option?: { kind: number; inverted: boolean }
}

function parseFlagList(text: string): number {
  let bits = 0
  for (const name of text.split(',')) {
    const bit = FLAG_NAMES[name.toUpperCase()]
    if (bit === undefined) throw new ParameterProblem(`Unknown TCP flag \`${name}'`)
    bits |= bit
  }
  return bits
}

function formatFlags(bits: number): string {
  if (bits === 0) return 'NONE'
  return FLAG_BITS.filter(([, b]) => bits & b).map(([n]) => n).join(',')
}

function packetFlagBits(flags: TcpFlags | undefined): number {
  if (!flags) return 0
  let bits = 0
  for (const [name, b] of FLAG_BITS) if (flags[name]) bits |= b
  return bits
}

function hex2(n: number): string {
  return `0x${n.toString(16).toUpperCase().padStart(2, '0')}`
}

export const tcpMatch: MatchModule<TcpOptions> = {
  kind: 'match',
  name: 'tcp',
  options: [
    { name: 'source-port', arg: 'required', invertible: true }, { name: 'sport', arg: 'required', invertible: true },
    { name: 'destination-port', arg: 'required', invertible: true }, { name: 'dport', arg: 'required', invertible: true },
    { name: 'syn', arg: 'none', invertible: true }, { name: 'tcp-flags', arg: 'two', invertible: true }, { name: 'tcp-option', arg: 'required', invertible: true },
  ],
  create: () => ({}),
  parse(o, option, arg, inverted, env) {
    switch (option) {
      case 'source-port': case 'sport':
        if (o.sport) throw new ParameterProblem("Only one `--source-port' allowed")
        o.sport = normalisePortClause(parsePortRange(arg ?? '', undefined), inverted)
        return
      case 'destination-port': case 'dport':
        if (o.dport) throw new ParameterProblem("Only one `--destination-port' allowed")
        o.dport = normalisePortClause(parsePortRange(arg ?? '', undefined), inverted)
        return
      case 'syn':
        if (o.flags) throw new ParameterProblem('Only one of `--syn\' or `--tcp-flags\' allowed')
        o.flags = { mask: 0x17, comp: 0x02, inverted }
        return
      case 'tcp-flags': {
        if (o.flags) throw new ParameterProblem('Only one of `--syn\' or `--tcp-flags\' allowed')
        // getopt gives one argument; the comparison list is the next word (iptables reads argv[optind]).
        const [maskText, compText] = (arg ?? '').split('\u0000')
        if (compText === undefined) throw new ParameterProblem('--tcp-flags requires two args.')
        o.flags = { mask: parseFlagList(maskText), comp: parseFlagList(compText), inverted }
        return
      }
      case 'tcp-option': {
        const n = /^[0-9]+$/.test(arg ?? '') ? Number(arg) : NaN
        if (!(n >= 1 && n <= 255)) throw new ParameterProblem(`Bad TCP option "${arg}"`)
        o.option = { kind: n, inverted }
        return
      }
    }
    void env
  },
  finalCheck(_o, env) {
    if (env.protocol !== 6) throw new ParameterProblem("TCP match requires '-p tcp'")
  },
  save(o) {
    return joinParts([
      savePorts('sport', o.sport), savePorts('dport', o.dport),
      o.flags && `${o.flags.inverted ? '! ' : ''}--tcp-flags ${formatFlags(o.flags.mask)} ${formatFlags(o.flags.comp)}`,
      o.option && `${o.option.inverted ? '! ' : ''}--tcp-option ${o.option.kind}`,
    ])
  },
  list(o, numeric) {
    return joinParts([
      'tcp', listPorts('spt', o.sport, 'tcp', numeric), listPorts('dpt', o.dport, 'tcp', numeric),
      o.option && `option=${o.option.inverted ? '!' : ''}${o.option.kind}`,
      o.flags && (numeric
        ? `flags:${o.flags.inverted ? '!' : ''}${hex2(o.flags.mask)}/${hex2(o.flags.comp)}`
        : `flags:${o.flags.inverted ? '!' : ''}${formatFlags(o.flags.mask)}/${formatFlags(o.flags.comp)}`),
    ])
  },
  evaluate(o, ctx) {
    const p = ctx.packet
    const out: ClauseResult[] = []
    if (p.proto !== 'tcp') return [{ clause: `-m tcp ${this.save(o)}`.trim(), matched: false, why: 'not a TCP packet' }]
    if (o.sport) out.push(evaluatePorts('tcp', 'sport', o.sport, p))
    if (o.dport) out.push(evaluatePorts('tcp', 'dport', o.dport, p))
    if (o.flags) {
      const bits = packetFlagBits(p.tcpFlags)
      const hit = (bits & o.flags.mask) === o.flags.comp
      const matched = hit !== o.flags.inverted
      const seen = formatFlags(bits & o.flags.mask)
      out.push({
        clause: `-m tcp ${o.flags.inverted ? '! ' : ''}--tcp-flags ${formatFlags(o.flags.mask)} ${formatFlags(o.flags.comp)}`,
        matched,
        why: `of ${formatFlags(o.flags.mask)} the packet has ${seen}, ${hit ? 'equal to' : 'not'} ${formatFlags(o.flags.comp)}${o.flags.inverted ? ' (negated)' : ''}`,
      })
    }
    if (o.option) {
      out.push({
        clause: `-m tcp ${o.option.inverted ? '! ' : ''}--tcp-option ${o.option.kind}`,
        matched: o.option.inverted,
        why: 'the simulated packet carries no TCP options',
      })
    }
    if (out.length === 0) out.push({ clause: '-m tcp', matched: true, why: 'a TCP packet' })
    return out
  },
}
