import { ClusterCanvas } from '../canvas/ClusterCanvas.tsx'
import { CompareView } from '../compare/CompareView.tsx'
import { useCompareOpen } from '../modes/CompareButton.tsx'
import { LessonBrowser } from '../lessons/LessonBrowser.tsx'
import { LessonPanel } from '../lessons/LessonPanel.tsx'
import { PlayerOverlay } from '../player/PlayerOverlay.tsx'
import { BottomPanel, useBottomRows } from './BottomPanel.tsx'
import { Header } from './Header.tsx'
import { Notices } from './Notices.tsx'
import { RightPanel } from './RightPanel.tsx'
import { useHistoryShortcuts } from './use-history.ts'

export function App() {
  useHistoryShortcuts()
  const rows = useBottomRows()
  const comparing = useCompareOpen()
  return (
    <div className="flex h-screen flex-col bg-slate-100 text-slate-900">
      <Header />
      <div className="grid min-h-0 flex-1 grid-cols-[1fr_440px]">
        <div className={`relative grid min-h-0 min-w-0 ${rows}`}>
          {comparing && <CompareView />}
          <main className="relative flex min-h-0 flex-col" aria-label="Cluster canvas">
            <div className="relative min-h-0 flex-1">
              <Notices />
              <ClusterCanvas />
              <LessonPanel />
            </div>
            <PlayerOverlay />
          </main>
          <BottomPanel />
        </div>
        <RightPanel />
      </div>
      <LessonBrowser />
    </div>
  )
}
