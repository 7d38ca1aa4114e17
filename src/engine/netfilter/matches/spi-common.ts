/**
 * What `-m ah`, `-m esp` and `-m ipcomp` share: a security parameter index range (`--ahspi`, `--espspi`,
 * `--ipcompspi` as `spi[:spi]`, XTTYPE_UINT32RC, with `!`), matched against the SPI of an AH, ESP or IPComp
 * header. The kernel extension is limited to its protocol (`-p ah`, `-p esp`, `-p ipcomp`): without it the
 * rule is refused with EINVAL. Non-first fragments never match.
 */
import type { MatchModule } from '../module-api.ts'
import type { ClauseResult } from '../types.ts'
import { xtRange } from '../xtopt.ts'

export interface SpiOptions {
  spis: [number, number]
  inverted: boolean
}

interface SpiModuleSpec {
  name: 'ah' | 'esp' | 'ipcomp'
  option: string
  proto: number
  /** The range a rule without the option holds (ipcomp's init leaves it at 0:0). */
  initial: [number, number]
  /** The header's name in traces. */
  header: string
  /** -L text for the options; iptables' spacing differs per module. */
  list(o: SpiOptions): string
}

export function spiMatch(spec: SpiModuleSpec): MatchModule<SpiOptions> {
  const full = (o: SpiOptions) => o.spis[0] === 0 && o.spis[1] === 0xffffffff
  return {
    kind: 'match',
    name: spec.name,
    xtopt: true,
    proto: spec.proto,
    options: [{ name: spec.option, arg: 'required', invertible: true }],
    create: () => ({ spis: [...spec.initial], inverted: false }),
    parse(o, option, arg, inverted) {
      const v = xtRange(spec.name, option, arg ?? '', 32).map(Number)
      o.spis = [v[0], v.length > 1 ? v[1] : v[0]]
      o.inverted = inverted
    },
    save(o) {
      // The whole range prints nothing, `!` included (libipt_ah/libxt_esp test the range alone).
      if (full(o)) return ''
      const value = o.spis[0] === o.spis[1] ? String(o.spis[0]) : `${o.spis[0]}:${o.spis[1]}`
      return `${o.inverted ? '! ' : ''}--${spec.option} ${value}`
    },
    list: spec.list,
    evaluate(o, ctx): ClauseResult[] {
      const saved = this.save(o)
      const clause = `-m ${spec.name}${saved ? ` ${saved}` : ''}`
      const spi = ctx.packet.spi ?? 0
      const hit = spi >= o.spis[0] && spi <= o.spis[1]
      const range = o.spis[0] === o.spis[1] ? String(o.spis[0]) : `${o.spis[0]}-${o.spis[1]}`
      return [{
        clause, matched: hit !== o.inverted,
        why: `${spec.header} SPI ${spi}${ctx.packet.spi === undefined ? ' (the simulated packet carries SPI 0)' : ''} ${hit ? 'is' : 'is not'} in ${range}${o.inverted ? ' (negated)' : ''}`,
      }]
    },
  }
}

/** `spi:N` or `spis:A:B`, with `!` after the colon. */
export function spiListText(o: SpiOptions): string {
  const inv = o.inverted ? '!' : ''
  return o.spis[0] === o.spis[1] ? `spi:${inv}${o.spis[0]}` : `spis:${inv}${o.spis[0]}:${o.spis[1]}`
}

export function spiIsDefault(o: SpiOptions): boolean {
  return o.spis[0] === 0 && o.spis[1] === 0xffffffff && !o.inverted
}
