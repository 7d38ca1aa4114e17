/**
 * Loading a real node's `iptables-save` onto a simulated Node: the text goes through the Node's console as
 * `iptables-restore` input (a scenario operation like any console line), so it is parsed and committed by
 * the same code as on a real node — a line the kernel would refuse fails the whole restore, with the line
 * number — and every packet sent afterwards is traced through the loaded rules.
 *
 * Tables in the text are replaced whole (iptables-restore without --noflush); tables it does not mention
 * keep their rules. kube-proxy keeps running on the Node: its next sync rewrites its own KUBE-* chains, as
 * it would on the real node.
 */
import type { ScenarioOperation } from './document.ts'

export type IptablesImport = { ok: true; operation: ScenarioOperation; tables: string[] } | { ok: false; message: string }

/** Checks the text looks like iptables-save output and makes the console operation that loads it. */
export function iptablesRestoreOperation(node: string, text: string): IptablesImport {
  const lines = text.replace(/\r\n/g, '\n').split('\n')
  const tables = lines.filter((l) => /^\*[a-z]+\s*$/.test(l)).map((l) => l.slice(1).trim())
  if (tables.length === 0) return { ok: false, message: 'no table found: iptables-save output starts each table with a line like *filter' }
  if (!lines.some((l) => l.trim() === 'COMMIT')) return { ok: false, message: 'no COMMIT line: the text is cut short (iptables-save ends each table with COMMIT)' }
  const stdin = lines.join('\n').endsWith('\n') ? lines.join('\n') : `${lines.join('\n')}\n`
  return { ok: true, operation: { type: 'console', node, line: 'iptables-restore', stdin }, tables }
}
