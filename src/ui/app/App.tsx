import { ClusterCanvas } from '../canvas/ClusterCanvas.tsx'
import { BottomPanel, useBottomRows } from './BottomPanel.tsx'
import { Header } from './Header.tsx'
import { Notices } from './Notices.tsx'
import { RightPanel } from './RightPanel.tsx'
import { useHistoryShortcuts } from './use-history.ts'

export function App() {
  useHistoryShortcuts()
  const rows = useBottomRows()
  return (
    <div className="flex h-screen flex-col bg-slate-100 text-slate-900">
      <Header />
      <div className="grid min-h-0 flex-1 grid-cols-[1fr_440px]">
        <div className={`grid min-h-0 ${rows}`}>
          <main className="relative min-h-0" aria-label="Cluster canvas">
            <Notices />
            <ClusterCanvas />
          </main>
          <BottomPanel />
        </div>
        <RightPanel />
      </div>
    </div>
  )
}
