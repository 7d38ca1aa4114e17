import { useEffect } from 'react'
import { usePlayerStore } from '../../state/player.ts'
import { linkFor, currentDocument, useShareStore } from '../../state/share.ts'
import { ClusterCanvas } from '../canvas/ClusterCanvas.tsx'
import { Notices } from '../app/Notices.tsx'
import { PlayerOverlay } from '../player/PlayerOverlay.tsx'
import { MarkdownLite } from '../share/MarkdownLite.tsx'

/** The full app's address for the current scenario and step: this page without the embed parameters. */
export function fullAppLink(href: string = location.href): string {
  const url = new URL(href)
  for (const p of ['embed', 'autoplay', 'origin']) url.searchParams.delete(p)
  return linkFor(currentDocument(), url.toString())
}

/**
 * The app inside someone else's page: the canvas and the player only (no editor, console, undo), filling
 * its frame, with a link back to the full app holding the same scenario.
 */
export function EmbedApp() {
  const opened = useShareStore((s) => s.opened)
  const hasJourney = usePlayerStore((s) => s.journey !== null)
  useEffect(() => { document.documentElement.dataset.embed = '1' }, [])
  return (
    <div className="flex h-dvh min-h-0 w-full flex-col overflow-hidden bg-slate-100 text-slate-900" data-testid="embed-app">
      <div className="flex shrink-0 items-center justify-between gap-3 border-b border-slate-200 bg-white px-3 py-1 text-sm">
        <span className="truncate font-medium" title={opened?.metadata.description}>{opened?.metadata.title ?? 'kube-proxy visualizer'}</span>
        <a href={location.href} target="_blank" rel="noopener noreferrer" className="shrink-0 text-k8s underline hover:text-k8s-dark"
          onClick={(e) => { e.currentTarget.href = fullAppLink() }}>
          Open in full app
        </a>
      </div>
      <main className="relative flex min-h-0 flex-1 flex-col" aria-label="Cluster canvas">
        <div className="relative min-h-0 flex-1">
          <Notices />
          <ClusterCanvas />
        </div>
        <PlayerOverlay />
      </main>
      {!hasJourney && opened?.metadata.description && (
        <div className="shrink-0 border-t border-slate-200 bg-white px-3 py-2 text-sm"><MarkdownLite text={opened.metadata.description} /></div>
      )}
    </div>
  )
}
