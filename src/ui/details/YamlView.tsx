import { useMemo } from 'react'
import { stringify } from 'yaml'
import type { ClusterObject } from '../../engine/cluster/types.ts'
import { Section } from './Facts.tsx'

/** The object as `kubectl get -o yaml` would print it. */
export function YamlView({ object }: { object: ClusterObject }) {
  const text = useMemo(() => stringify(object, { lineWidth: 0, aliasDuplicateObjects: false }), [object])
  return (
    <Section title="YAML">
      <pre data-testid="object-yaml" aria-label={`YAML of ${object.kind.toLowerCase()} ${object.metadata.name}`}
        className="max-h-[28rem] overflow-auto rounded-lg bg-slate-900 p-3 font-mono text-xs leading-relaxed text-slate-100">
        {text}
      </pre>
    </Section>
  )
}
