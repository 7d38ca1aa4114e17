/** DiffServ class names as `--dscp-class` / `--set-dscp-class` take them (libxt_dscp_helper.c). */
import { ParameterProblem } from '../module-api.ts'

const CLASSES: [string, number][] = [
  ['CS0', 0x00], ['CS1', 0x08], ['CS2', 0x10], ['CS3', 0x18], ['CS4', 0x20], ['CS5', 0x28], ['CS6', 0x30], ['CS7', 0x38],
  ['BE', 0x00], ['AF11', 0x0a], ['AF12', 0x0c], ['AF13', 0x0e], ['AF21', 0x12], ['AF22', 0x14], ['AF23', 0x16],
  ['AF31', 0x1a], ['AF32', 0x1c], ['AF33', 0x1e], ['AF41', 0x22], ['AF42', 0x24], ['AF43', 0x26], ['EF', 0x2e],
]

/** class_to_dscp: the codepoint of a class name (case-insensitive). */
export function dscpOfClass(name: string): number {
  const c = CLASSES.find(([n]) => n.toLowerCase() === name.toLowerCase())
  if (!c) throw new ParameterProblem(`Invalid DSCP value \`${name}'`)
  return c[1]
}

export function hex2(n: number): string {
  return `0x${n.toString(16).padStart(2, '0')}`
}
