import { ClusterCanvas } from '../canvas/ClusterCanvas.tsx'
import { EventLog } from '../events/EventLog.tsx'
import { Header } from './Header.tsx'
import { Notices } from './Notices.tsx'
import { RightPanel } from './RightPanel.tsx'
import { useHistoryShortcuts } from './use-history.ts'

export function App() {
  useHistoryShortcuts()
  return (
    <div className="flex h-screen flex-col bg-slate-100 text-slate-900">
      <Header />
      <div className="grid min-h-0 flex-1 grid-cols-[1fr_440px]">
        <div className="grid min-h-0 grid-rows-[1fr_210px]">
          <main className="relative min-h-0" aria-label="Cluster canvas">
            <Notices />
            <ClusterCanvas />
          </main>
          <div className="min-h-0 border-t border-slate-200 bg-white">
            <EventLog />
          </div>
        </div>
        <RightPanel />
      </div>
    </div>
  )
}
