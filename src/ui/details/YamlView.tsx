import { useMemo } from 'react'
import { stringify } from 'yaml'
import type { ClusterObject } from '../../engine/cluster/types.ts'
import { Section } from './Facts.tsx'
import { Button } from '../app/Button.tsx'
import { setDraft, showPanel } from '../../state/actions.ts'
import { editableManifest } from './editable-manifest.ts'

/** Kinds a person edits and applies again; Pods and EndpointSlices are owned by controllers here. */
const EDITABLE = new Set(['Service', 'Deployment', 'Node'])

/** The object as `kubectl get -o yaml` would print it. */
export default function YamlView({ object }: { object: ClusterObject }) {
  const text = useMemo(() => stringify(object, { lineWidth: 0, aliasDuplicateObjects: false }), [object])
  return (
    <Section title="YAML">
      {EDITABLE.has(object.kind) && (
        <Button className="mb-2" onClick={() => { setDraft(editableManifest(object)); showPanel('editor') }}
          title="Load this object into the manifest editor, without the fields the server owns">
          Edit in manifest editor
        </Button>
      )}
      <pre data-testid="object-yaml" aria-label={`YAML of ${object.kind.toLowerCase()} ${object.metadata.name}`}
        className="max-h-[28rem] overflow-auto rounded-lg bg-slate-900 p-3 font-mono text-xs leading-relaxed text-slate-100">
        {text}
      </pre>
    </Section>
  )
}
