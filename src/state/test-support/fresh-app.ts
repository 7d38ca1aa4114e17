/**
 * A fresh app for a state test (happy-dom): empty storages, the stores at their start, and the in-process
 * engine connected and done with the default scenario.
 */
import { createInProcessEngineClient } from '../../worker/in-process-client.ts'
import { connectEngine, engineSettled } from '../engine-sync.ts'
import { initialPlayerState, usePlayerStore } from '../player.ts'
import { useShareStore } from '../share.ts'
import { initialState, useAppStore } from '../store.ts'

export async function startFreshApp(): Promise<void> {
  localStorage.clear()
  sessionStorage.clear()
  useAppStore.setState(initialState())
  useAppStore.temporal.getState().clear()
  usePlayerStore.setState(initialPlayerState())
  useShareStore.setState({ damaged: null, damagedErrors: [], opened: null, detached: false, link: null, shareError: null })
  connectEngine(createInProcessEngineClient())
  await engineSettled()
}
