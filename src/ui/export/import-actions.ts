/**
 * Import actions: a cluster dump or a scenario document replaces the scenario (undoable: the previous one
 * stays in the history), after the engine replayed it without a refusal, in its turn of the edit queue; an
 * iptables-save is loaded onto a Node as an `iptables-restore` console step. The cluster dump is read by
 * the engine worker (a kubectl List becomes operations on a whole Cluster), never on the page's thread.
 */
import { iptablesRestoreOperation } from '../../engine/scenario/import-iptables.ts'
import { parseScenarioDocument } from '../../engine/scenario/document.ts'
import { replaceScenario, tryOperation } from '../../state/actions.ts'
import { engine } from '../../state/engine-sync.ts'
import { closeLesson } from '../../state/lesson-presenter.ts'
import { useAppStore } from '../../state/store.ts'
import type { Operation, Scenario } from '../../worker/operations.ts'

export type ImportOutcome = { ok: true; message: string } | { ok: false; message: string }

type Read = { ok: true; scenario: Scenario; message: string } | { ok: false; message: string }

/** A scenario document (kind: Scenario) or a kubectl List (read by the engine worker) as the scenario to load. */
async function readImport(text: string, seed: number): Promise<Read> {
  if (/^kind:\s*Scenario\s*$/m.test(text)) {
    const parsed = parseScenarioDocument(text)
    if (!parsed.ok) {
      const e = parsed.errors[0]
      return { ok: false, message: `line ${e.line}, column ${e.column}: ${e.path ? `${e.path}: ` : ''}${e.message}` }
    }
    if (parsed.doc.base !== 'default') return { ok: false, message: 'scenarios on an empty base cluster are not supported yet' }
    return {
      ok: true, scenario: { seed: parsed.doc.seed, operations: parsed.doc.operations as Operation[] },
      message: `Loaded scenario ${parsed.doc.metadata.title ?? parsed.doc.metadata.name} (${parsed.doc.operations.length} steps).`,
    }
  }
  const imported = await engine().importCluster(text, seed)
  if (!imported.ok) return imported
  const s = imported.summary
  return {
    ok: true, scenario: { seed, operations: imported.operations as Operation[] },
    message: `Imported ${s.nodes} Nodes, ${s.pods} Pods, ${s.services} Services and ${s.endpointSlices} EndpointSlices.`,
  }
}

/**
 * A `kubectl get nodes,pods,services,endpointslices -A -o yaml` List, or a scenario document (kind: Scenario),
 * replaces the scenario in its turn of the edit queue (a List takes the seed of the scenario it replaces),
 * unless the engine refuses one of its steps (then it says which, and nothing changes).
 */
export async function importClusterText(text: string): Promise<ImportOutcome> {
  let read = { ok: false, message: 'the import did not run' } as Read
  const replaced = await replaceScenario(async (current) => {
    read = await readImport(text, current.seed)
    return read.ok ? read.scenario : null
  }, {
    verify: true,
    // An open lesson no longer describes the cluster.
    after: async () => closeLesson(),
  })
  if (!replaced.ok) return replaced
  return read.ok ? { ok: true, message: read.message } : read
}

/** Loads a real node's iptables-save onto a Node (through iptables-restore, as a scenario step). */
export async function loadIptablesSave(node: string, text: string): Promise<ImportOutcome> {
  const load = iptablesRestoreOperation(node, text)
  if (!load.ok) return load
  const result = await tryOperation(load.operation as Operation)
  if (!result.ok) return { ok: false, message: result.message }
  // The console's record of the line says whether iptables-restore accepted the text (a refused restore
  // changes nothing on the Node, as on a real one, but is still a step typed into its console).
  const { entries } = await engine().node({ type: 'nodeConsole', scenario: useAppStore.getState().scenario, node })
  const entry = entries.at(-1)
  if (entry && entry.rc !== 0) return { ok: false, message: `iptables-restore failed: ${entry.err.trim() || `exit status ${entry.rc}`}` }
  return { ok: true, message: `Loaded ${load.tables.join(', ')} onto ${node}: packets sent now go through these rules.` }
}
