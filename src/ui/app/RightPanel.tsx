import { showPanel } from '../../state/actions.ts'
import { useAppStore, type RightPanel as Panel } from '../../state/store.ts'
import { DetailsPanel } from '../details/DetailsPanel.tsx'
import { ManifestEditorPanel } from '../editor/ManifestEditorPanel.tsx'
import { ScenarioPanel } from '../scenario/ScenarioPanel.tsx'
import { PacketPanel } from '../player/PacketPanel.tsx'

const tabs: { id: Panel; label: string }[] = [
  { id: 'details', label: 'Details' },
  { id: 'editor', label: 'Manifest' },
  { id: 'scenario', label: 'Scenario' },
  { id: 'packet', label: 'Packet' },
]

export function RightPanel() {
  const panel = useAppStore((s) => s.panel)
  return (
    <aside className="flex h-full min-h-0 flex-col border-l border-slate-200 bg-white">
      <div role="tablist" aria-label="Side panel" className="flex shrink-0 gap-1 border-b border-slate-200 px-3 pt-2">
        {tabs.map((tab) => (
          <button key={tab.id} type="button" role="tab" id={`tab-${tab.id}`} aria-selected={panel === tab.id}
            aria-controls={`panel-${tab.id}`} onClick={() => showPanel(tab.id)}
            className={`-mb-px rounded-t-md border-b-2 px-3 py-1.5 text-sm font-medium ${
              panel === tab.id ? 'border-k8s text-k8s' : 'border-transparent text-slate-500 hover:text-slate-800'}`}>
            {tab.label}
          </button>
        ))}
      </div>
      {/* Both panels stay mounted so the editor keeps its state (cursor, history) across tab switches. */}
      <div role="tabpanel" id="panel-details" aria-labelledby="tab-details" hidden={panel !== 'details'} className="min-h-0 flex-1 overflow-auto">
        <DetailsPanel />
      </div>
      <div role="tabpanel" id="panel-editor" aria-labelledby="tab-editor" hidden={panel !== 'editor'} className="min-h-0 flex-1">
        <ManifestEditorPanel />
      </div>
      <div role="tabpanel" id="panel-scenario" aria-labelledby="tab-scenario" hidden={panel !== 'scenario'} className="min-h-0 flex-1 overflow-auto bg-slate-50">
        {panel === 'scenario' && <ScenarioPanel />}
      </div>
      <div role="tabpanel" id="panel-packet" aria-labelledby="tab-packet" hidden={panel !== 'packet'} className="min-h-0 flex-1 overflow-auto">
        <PacketPanel />
      </div>
    </aside>
  )
}
