/**
 * Import actions: a cluster dump or a scenario document replaces the scenario (undoable: the previous one
 * stays in the history), after the engine replayed it without a refusal; an iptables-save is loaded onto a
 * Node as an `iptables-restore` console step.
 */
import { clusterImportOperations } from '../../engine/scenario/import-cluster.ts'
import { iptablesRestoreOperation } from '../../engine/scenario/import-iptables.ts'
import { parseScenarioDocument } from '../../engine/scenario/document.ts'
import { tryOperation } from '../../state/actions.ts'
import { engine } from '../../state/engine-sync.ts'
import { closeLesson } from '../../state/lesson-presenter.ts'
import { useAppStore } from '../../state/store.ts'
import type { Operation, Scenario } from '../../worker/operations.ts'

export type ImportOutcome = { ok: true; message: string } | { ok: false; message: string }

async function replaceScenario(next: Scenario): Promise<ImportOutcome | null> {
  const view = await engine().replay(next)
  if (view.replayIssues.length > 0) {
    const first = view.replayIssues[0]
    return { ok: false, message: `step ${first.index + 1} was refused: ${first.message}` }
  }
  useAppStore.setState({ scenario: next, selection: null })
  // An open lesson no longer describes the cluster.
  closeLesson()
  return null
}

/** A `kubectl get nodes,pods,services,endpointslices -A -o yaml` List, or a scenario document (kind: Scenario). */
export async function importClusterText(text: string): Promise<ImportOutcome> {
  if (/^kind:\s*Scenario\s*$/m.test(text)) {
    const parsed = parseScenarioDocument(text)
    if (!parsed.ok) {
      const e = parsed.errors[0]
      return { ok: false, message: `line ${e.line}, column ${e.column}: ${e.path ? `${e.path}: ` : ''}${e.message}` }
    }
    if (parsed.doc.base !== 'default') return { ok: false, message: 'scenarios on an empty base cluster are not supported yet' }
    const refused = await replaceScenario({ seed: parsed.doc.seed, operations: parsed.doc.operations as Operation[] })
    return refused ?? { ok: true, message: `Loaded scenario ${parsed.doc.metadata.title ?? parsed.doc.metadata.name} (${parsed.doc.operations.length} steps).` }
  }
  const seed = useAppStore.getState().scenario.seed
  const imported = clusterImportOperations(text, seed)
  if (!imported.ok) return imported
  const refused = await replaceScenario({ seed, operations: imported.operations as Operation[] })
  if (refused) return refused
  const s = imported.summary
  return { ok: true, message: `Imported ${s.nodes} Nodes, ${s.pods} Pods, ${s.services} Services and ${s.endpointSlices} EndpointSlices.` }
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
