import { useShallow } from 'zustand/react/shallow'
import type { ClusterObject } from '../../engine/cluster/types.ts'
import { select } from '../../state/actions.ts'
import { useAppStore } from '../../state/store.ts'
import { refOf } from '../model/k8s-status.ts'
import { Section } from './Facts.tsx'

function ObjectList({ title, objects }: { title: string; objects: ClusterObject[] }) {
  return (
    <Section title={`${title} (${objects.length})`}>
      <ul className="space-y-0.5">
        {objects.map((o) => (
          <li key={`${o.metadata.namespace ?? ''}/${o.metadata.name}`}>
            <button type="button" onClick={() => select(refOf(o))}
              className="w-full truncate rounded px-1.5 py-0.5 text-left text-sm text-slate-700 hover:bg-k8s/10 hover:text-k8s">
              {o.metadata.namespace && <span className="text-slate-400">{o.metadata.namespace}/</span>}{o.metadata.name}
            </button>
          </li>
        ))}
      </ul>
    </Section>
  )
}

/** Shown when nothing is selected: what is in the cluster, each entry a way to select it. */
export function ClusterOverview() {
  const nodes = useAppStore(useShallow((s) => s.view?.snapshot.nodes ?? []))
  const services = useAppStore(useShallow((s) => s.view?.snapshot.services ?? []))
  const deployments = useAppStore(useShallow((s) => s.view?.snapshot.deployments ?? []))
  const pods = useAppStore(useShallow((s) => s.view?.snapshot.pods ?? []))
  return (
    <div aria-label="Cluster overview">
      <p className="px-4 py-3 text-sm text-slate-600">
        Select a Node, Pod, Service or Deployment on the canvas (or below) to see its details, its YAML and what you can do with it.
      </p>
      <ObjectList title="Services" objects={services} />
      <ObjectList title="Deployments" objects={deployments} />
      <ObjectList title="Nodes" objects={nodes} />
      <ObjectList title="Pods" objects={pods} />
    </div>
  )
}
