/** A node's tables in kube-proxy's model (NodeTables) as kubelet and a starting kube-proxy leave them. */
import { addKubeProxyCanaries, setUpKubelet } from './kubelet.ts'
import { applyPayload } from './node-tables.ts'
import type { NodeTables } from './node-tables.ts'
import type { JumpRule, RestorePayload } from './payload.ts'
import { ensureJumpRules, nodeTablesWriter } from './writer.ts'

/** kubelet ran first; kube-proxy's Monitor creates its canaries on start. */
export function freshNodeTables(): NodeTables {
  const tables: NodeTables = {}
  const w = nodeTablesWriter(tables)
  setUpKubelet(w)
  addKubeProxyCanaries(w)
  return tables
}

/** A node as a fresh kind node has it once kubelet and kube-proxy ran their first (full) sync. */
export function nodeTablesAfterFullSync(result: RestorePayload & { jumpRules: readonly JumpRule[] }): NodeTables {
  const tables = freshNodeTables()
  ensureJumpRules(nodeTablesWriter(tables), result.jumpRules)
  return applyPayload(tables, result)
}
