import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import './index.css'
import { App } from './ui/app/App.tsx'
import { connectEngine } from './state/engine-sync.ts'

// The engine starts replaying the (restored or default) scenario while React renders the shell.
connectEngine()

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
