import { stringify } from 'yaml'
import type { ClusterObject } from '../../engine/cluster/types.ts'

/**
 * An object as a person would write it to apply again: what `kubectl get -o yaml` prints minus what the
 * server owns (status, uid, resourceVersion, timestamps, owner references). Applying it unchanged is a no-op.
 */
export function editableManifest(object: ClusterObject): string {
  const { name, namespace, labels, annotations } = object.metadata
  const metadata = { name, ...(namespace ? { namespace } : {}), ...(labels ? { labels } : {}), ...(annotations ? { annotations } : {}) }
  // apiVersion and kind first, then metadata, then the rest: the order manifests are written in.
  const { apiVersion, kind, status: _status, metadata: _metadata, ...rest } = object as ClusterObject & { status?: unknown }
  return stringify({ apiVersion, kind, metadata, ...rest }, { lineWidth: 0, aliasDuplicateObjects: false })
}
