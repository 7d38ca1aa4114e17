import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import './index.css'
import { App } from './ui/app/App.tsx'
import { EmbedApp } from './ui/embed/EmbedApp.tsx'
import { announceReady, startEmbedApi } from './ui/embed/embed-api.ts'
import { connectEngine } from './state/engine-sync.ts'
import { usePlayerStore } from './state/player.ts'
import { playJourney } from './state/player-actions.ts'
import { bootFromUrl, urlOptions } from './state/share.ts'

const options = urlOptions()

// The engine starts replaying the (restored or default) scenario while React renders the shell.
connectEngine()
// A share link in the fragment (or embed mode) replaces the scenario before the first paint settles.
const booted = bootFromUrl(options)

if (options.embed) {
  startEmbedApi(options)
  void booted.then(() => {
    if (options.autoplay && usePlayerStore.getState().journey) playJourney()
    announceReady(options)
  })
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    {options.embed ? <EmbedApp /> : <App />}
  </StrictMode>,
)

// Offline once loaded: fetch the lazily loaded parts (the manifest editor, the YAML view) as soon as the page
// is idle, while the network is there; import() keeps them, so opening them later needs no request.
const warm = () => {
  void import('./ui/editor/CodeMirrorEditor.tsx')
  void import('./ui/details/YamlView.tsx')
}
if ('requestIdleCallback' in window) requestIdleCallback(warm, { timeout: 2000 })
else setTimeout(warm, 500)
