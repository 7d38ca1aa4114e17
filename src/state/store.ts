/**
 * The app's one store, made of three slices:
 * - scenario: the source of truth (seed + operations). Undoable (zundo tracks only this) and persisted.
 * - cluster: what the engine derived from the scenario. Never undone, never persisted: recomputed.
 * - view: selection, panels, the editor's draft and feedback. Not undoable; only the draft is persisted.
 */
import { create } from 'zustand'
import { createJSONStorage, persist } from 'zustand/middleware'
import { temporal } from 'zundo'
import type { ManifestError } from '../engine/cluster/cluster.ts'
import type { ClusterObjectKind } from '../engine/cluster/types.ts'
import type { Scenario } from '../worker/operations.ts'
import type { ClusterView } from '../worker/protocol.ts'
import { DEFAULT_MANIFEST, defaultScenario } from './default-scenario.ts'

export interface ObjectRef {
  kind: ClusterObjectKind
  namespace?: string
  name: string
}

export interface ScenarioSlice {
  scenario: Scenario
}

export interface ClusterSlice {
  /** The latest cluster the engine computed; null until the first replay finishes. */
  view: ClusterView | null
  /** The scenario `view` was computed from (by identity): when it differs from `scenario`, a replay is due. */
  viewScenario: Scenario | null
  engineError: string | null
}

export type RightPanel = 'details' | 'editor' | 'scenario' | 'packet'

export interface ViewSlice {
  selection: ObjectRef | null
  panel: RightPanel
  /** The editor's text. Kept when Apply fails, so nothing typed is lost; persisted across reloads. */
  draft: string
  applyErrors: ManifestError[]
  /** One line per failure that has no line/column (or a summary), shown under the editor. */
  applyMessage: string | null
  /** kubectl-style result lines of the last successful apply. */
  applyResult: string[]
  /** The last action that the engine refused (scale, delete, ...), shown as a dismissible notice. */
  actionError: string | null
  busy: boolean
}

export type AppState = ScenarioSlice & ClusterSlice & ViewSlice

export function initialState(): AppState {
  return {
    scenario: defaultScenario(),
    view: null,
    viewScenario: null,
    engineError: null,
    selection: null,
    panel: 'details',
    draft: DEFAULT_MANIFEST,
    applyErrors: [],
    applyMessage: null,
    applyResult: [],
    actionError: null,
    busy: false,
  }
}

export const STORAGE_KEY = 'kube-proxy-visualizer'
/** Bump when the persisted shape changes, and migrate below. */
export const STORAGE_VERSION = 1

type Persisted = Pick<AppState, 'scenario' | 'draft'>

function isScenario(value: unknown): value is Scenario {
  if (typeof value !== 'object' || value === null) return false
  const v = value as Partial<Scenario>
  return typeof v.seed === 'number' && Array.isArray(v.operations)
    && v.operations.every((op) => typeof op === 'object' && op !== null && typeof (op as { type?: unknown }).type === 'string')
}

export const useAppStore = create<AppState>()(
  persist(
    temporal(() => initialState(), {
      partialize: (state): ScenarioSlice => ({ scenario: state.scenario }),
      // Only a new scenario is a step in the history; derived and view state changes are not.
      equality: (past, current) => past.scenario === current.scenario,
      limit: 200,
    }),
    {
      name: STORAGE_KEY,
      version: STORAGE_VERSION,
      storage: createJSONStorage(() => localStorage),
      partialize: (state): Persisted => ({ scenario: state.scenario, draft: state.draft }),
      // Stored data from another version, or damaged by hand, must not break the app: keep what is valid.
      merge: (persisted, current) => {
        const p = (persisted ?? {}) as Partial<Persisted>
        return {
          ...current,
          ...(isScenario(p.scenario) ? { scenario: p.scenario } : {}),
          ...(typeof p.draft === 'string' ? { draft: p.draft } : {}),
        }
      },
    },
  ),
)

// Loading the stored scenario is not an edit the user could undo.
useAppStore.temporal.getState().clear()
