/**
 * Import from a real cluster: the output of `kubectl get nodes,pods,services,endpointslices -A -o yaml` (a
 * `List`) as scenario operations that recreate that cluster.
 *
 * The app's scenarios start from the default kind-like cluster, so the import first takes that cluster
 * apart (its Deployments and Nodes are deleted and the clock advanced until their Pods are gone; the
 * `kubernetes` and `kube-dns` Services stay and are overwritten by the List's), then applies what kubectl
 * does not print but the objects need (Namespaces other than the four built-in ones), then the List itself,
 * untouched, so apply errors point at the pasted text's own lines and columns.
 *
 * What the cluster engine keeps of the List (checked in import-cluster.test.ts): Node addresses, podCIDRs,
 * labels and taints; Pod IPs (hostNetwork Pods keep their Node's address), nodeName, labels and phase;
 * Service clusterIP, ports with their nodePorts, selector and policies; EndpointSlices. Kinds it does not
 * simulate (ReplicaSets, DaemonSets, ...) are skipped with a note, as kubectl prints them.
 */
import { LineCounter } from 'yaml'
import { parseYamlDocuments } from '../yaml/parse-yaml.ts'
import { yamlValue } from '../yaml/yaml-value.ts'
import { Cluster } from '../cluster/cluster.ts'
import type { ScenarioOperation } from './document.ts'

/** Namespaces every cluster has (the default cluster creates them). */
const BUILT_IN_NAMESPACES = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease'])
/** Longer than any default Pod's grace period (30 s): the base cluster's Pods are gone after it. */
const SETTLE_SECONDS = 60

export interface ClusterImportSummary {
  nodes: number
  pods: number
  services: number
  endpointSlices: number
  /** Namespaces created for the List's objects (kubectl's output does not include them). */
  namespaces: string[]
}

export type ClusterImport =
  | { ok: true; operations: ScenarioOperation[]; summary: ClusterImportSummary }
  | { ok: false; message: string }

type Raw = Record<string, unknown>

const isRecord = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v)

/** The objects of the text: a List's items, or every document's object (multi-document YAML works too). */
function objectsOf(text: string): Raw[] | string {
  const lineCounter = new LineCounter()
  const at = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset)
    return `line ${line}, column ${col}`
  }
  const docs = parseYamlDocuments(text, { lineCounter })
  if (docs.length === 0) return 'the text is not YAML'
  const out: Raw[] = []
  for (const doc of docs) {
    if (doc.errors.length > 0) {
      const e = doc.errors[0]
      return `YAML error at ${at(e.pos[0])}: ${e.message.split('\n')[0]}`
    }
    const converted = yamlValue(doc)
    if (!converted.ok) return `YAML error at ${at(converted.offset)}: ${converted.message}`
    const value = converted.value
    if (value == null) continue
    if (!isRecord(value)) return 'expected Kubernetes objects (a List from kubectl get -o yaml)'
    if (value.kind === 'List' || (typeof value.kind === 'string' && value.kind.endsWith('List') && Array.isArray(value.items))) {
      for (const item of Array.isArray(value.items) ? value.items : []) if (isRecord(item)) out.push(item)
    } else {
      out.push(value)
    }
  }
  return out
}

/** The operations that recreate the cluster a `kubectl get ... -o yaml` List describes, on the app's base cluster. */
export function clusterImportOperations(text: string, seed: number): ClusterImport {
  const objects = objectsOf(text)
  if (typeof objects === 'string') return { ok: false, message: objects }
  const count = (kind: string) => objects.filter((o) => o.kind === kind).length
  const summary: ClusterImportSummary = { nodes: count('Node'), pods: count('Pod'), services: count('Service'), endpointSlices: count('EndpointSlice'), namespaces: [] }
  if (summary.nodes === 0) return { ok: false, message: 'the List has no Nodes: use kubectl get nodes,pods,services,endpointslices -A -o yaml' }

  const declared = new Set(objects.filter((o) => o.kind === 'Namespace').map((o) => String((o.metadata as Raw | undefined)?.name)))
  for (const o of objects) {
    const ns = isRecord(o.metadata) ? o.metadata.namespace : undefined
    if (typeof ns === 'string' && !BUILT_IN_NAMESPACES.has(ns) && !declared.has(ns) && !summary.namespaces.includes(ns)) summary.namespaces.push(ns)
  }

  const base = Cluster.createDefault({ seed }).snapshot()
  const operations: ScenarioOperation[] = [
    ...base.deployments.map((d): ScenarioOperation => ({ type: 'delete', kind: 'Deployment', namespace: d.metadata.namespace ?? 'default', name: d.metadata.name })),
    ...base.nodes.map((n): ScenarioOperation => ({ type: 'delete', kind: 'Node', name: n.metadata.name })),
    { type: 'advance', seconds: SETTLE_SECONDS },
  ]
  if (summary.namespaces.length > 0) {
    operations.push({ type: 'apply', yaml: summary.namespaces.map((ns) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n`).join('---\n') })
  }
  operations.push({ type: 'apply', yaml: text })
  return { ok: true, operations, summary }
}
