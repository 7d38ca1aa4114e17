import type { ClusterObjectKind, Deployment, Node, Pod, Service } from '../../engine/cluster/types.ts'
import { useAppStore } from '../../state/store.ts'
import { findObject, sameRef } from '../model/k8s-status.ts'

interface KindMap { Node: Node; Pod: Pod; Service: Service; Deployment: Deployment }

/**
 * A canvas node selects its own object by reference, so React Flow's node list only carries ids and
 * positions (React Flow's performance advice: nodes subscribe to their own data).
 */
export function useClusterObject<K extends keyof KindMap & ClusterObjectKind>(kind: K, name: string, namespace?: string): KindMap[K] | undefined {
  return useAppStore((s) => findObject(s.view?.snapshot, { kind, name, namespace }) as KindMap[K] | undefined)
}

export function useIsSelected(kind: ClusterObjectKind, name: string, namespace?: string): boolean {
  return useAppStore((s) => sameRef(s.selection, { kind, name, namespace }))
}
