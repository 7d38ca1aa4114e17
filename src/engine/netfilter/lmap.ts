/**
 * The iproute2 name maps some extensions read (xtables_lmap_init): /etc/iproute2/rt_realms for `-m realm`
 * and /etc/iproute2/group for `-m devgroup`, as Debian 12's iproute2 ships them (embedded: the engine runs
 * in a browser too) — and xtables' value[/mask] parser and printer that use them.
 */
import { ParameterProblem } from './module-api.ts'
import { xtStrtoulPrefix } from './xtopt.ts'

export type Lmap = ReadonlyMap<number, string>

/** /etc/iproute2/rt_realms: only `0 cosmos` is not commented out. */
export const RT_REALMS: Lmap = new Map([[0, 'cosmos']])
/** /etc/iproute2/group. */
export const DEVICE_GROUPS: Lmap = new Map([[0, 'default']])

function nameToId(map: Lmap, name: string): number | undefined {
  for (const [id, n] of map) if (n === name) return id
  return undefined
}

/** xtables_parse_val_mask: `value[/mask]` (numbers), or a name from the map with mask 0xffffffff. */
export function parseValMask(module: string, option: string, text: string, map: Lmap | undefined): { value: number; mask: number } {
  const byName = () => {
    const id = map ? nameToId(map, text) : undefined
    if (id === undefined) throw new ParameterProblem(`${module}: could not map name ${text} to an integer value for option "--${option}".\n`)
    return { value: id, mask: 0xffffffff }
  }
  const bad = () => new ParameterProblem(`${module}: bad value for option "--${option}", or out of range (0-4294967295).\n`)
  const v = xtStrtoulPrefix(text, 0n, 0xffffffffn)
  if (!v) return byName()
  if (v.end === text.length) return { value: Number(v.value), mask: 0xffffffff }
  if (text[v.end] !== '/') {
    if (map) return byName()
    throw bad()
  }
  const m = xtStrtoulPrefix(text.slice(v.end + 1), 0n, 0xffffffffn)
  if (!m || v.end + 1 + m.end !== text.length) throw bad()
  return { value: Number(v.value), mask: Number(m.value) }
}

/** xtables_print_val_mask (without the leading blank). */
export function valMaskText(value: number, mask: number, map: Lmap | undefined): string {
  if (mask !== 0xffffffff) return `0x${value.toString(16)}/0x${mask.toString(16)}`
  const name = map?.get(value)
  return name ?? `0x${value.toString(16)}`
}
