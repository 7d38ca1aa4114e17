/**
 * The state and status lists `-m conntrack --ctstate/--ctstatus` and `-m state --state` take: names
 * separated by commas, case-insensitive, reported as libxt_conntrack reports them (the rest of the list
 * from the first bad name on). Printed in the kernel's bit order.
 */
import { ParameterProblem } from '../module-api.ts'

/** Print order of --ctstate names (their bits: INVALID, ESTABLISHED, RELATED, NEW, …). */
export const CT_STATES = ['INVALID', 'NEW', 'RELATED', 'ESTABLISHED', 'UNTRACKED', 'SNAT', 'DNAT'] as const
export const STATE_STATES = ['INVALID', 'NEW', 'RELATED', 'ESTABLISHED', 'UNTRACKED'] as const
export const CT_STATUSES = ['NONE', 'EXPECTED', 'SEEN_REPLY', 'ASSURED', 'CONFIRMED'] as const

/**
 * conntrack_ps_states / state_parse_states: `what` names the list in messages (`ctstate`, `state`);
 * `emptyMessage` is what an empty last item says (state has its own sentence).
 */
export function parseNameList(text: string, allowed: readonly string[], what: string, emptyMessage?: string): string[] {
  const seen = new Set<string>()
  let arg = text
  for (;;) {
    const comma = arg.indexOf(',')
    if (comma < 0) break
    const name = arg.slice(0, comma).toUpperCase()
    if (comma === 0 || !allowed.includes(name)) throw new ParameterProblem(`Bad ${what} "${arg}"`)
    seen.add(name)
    arg = arg.slice(comma + 1)
  }
  if (arg === '' && emptyMessage) throw new ParameterProblem(emptyMessage)
  if (arg === '' || !allowed.includes(arg.toUpperCase())) throw new ParameterProblem(`Bad ${what} "${arg}"`)
  seen.add(arg.toUpperCase())
  return allowed.filter((s) => seen.has(s))
}
