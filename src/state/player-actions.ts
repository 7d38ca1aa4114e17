/**
 * What the player can do. Sending packets changes the cluster's state (conntrack entries, rule counters,
 * `recent` lists for session affinity), so a send is a scenario operation, appended like any other edit:
 * replaying the scenario sends the same packets again and lands them in the same places. Moving through
 * the journey is view state only.
 */
import { tryOperation, type EditTurn } from './actions.ts'
import { showBottom } from './nodes-view.ts'
import { atStep, back, forward, initialPlayerState, lastStep, loaded, play, usePlayerStore, type PacketRequest, type Speed } from './player.ts'

const set = usePlayerStore.setState
const get = usePlayerStore.getState

/**
 * Send one packet (a new connection's first packet) and load its journey into the player. `turn`: send it
 * within that turn of the edit queue (a link's or a lesson step's packet, right after its scenario).
 */
export async function sendPacket(request: PacketRequest, options: { autoplay?: boolean; turn?: EditTurn } = {}): Promise<boolean> {
  set({ sending: true, error: null })
  try {
    const result = await (options.turn?.tryOperation ?? tryOperation)({ type: 'sendPacket', ...request })
    if (!result.ok) {
      set({ error: result.message })
      return false
    }
    if (!result.journey) {
      set({ error: 'the engine sent no journey back' })
      return false
    }
    set(loaded(result.journey, request, options.autoplay ?? true))
    // The Node's netfilter pipeline comes forward under the canvas.
    showBottom('packet')
    return true
  } finally {
    set({ sending: false })
  }
}

/** The next packet of the journey's connection (same source port): conntrack knows it now. */
export function sendNextPacket(): Promise<boolean> {
  const { journey, request } = get()
  if (!journey || !request) return Promise.resolve(false)
  return sendPacket({ ...request, next: { sport: journey.sport } })
}

/** Send `count` new connections and show where they landed. */
export async function sendConnections(request: PacketRequest, count: number): Promise<boolean> {
  set({ sending: true, error: null })
  try {
    const { next: _next, ...fresh } = request
    const result = await tryOperation({ type: 'sendPacket', ...fresh, count })
    if (!result.ok) {
      set({ error: result.message })
      return false
    }
    if (!result.loadBalance) {
      set({ error: 'the engine sent no load-balancing result back' })
      return false
    }
    set({ loadBalance: { request, ...result.loadBalance }, error: null })
    return true
  } finally {
    set({ sending: false })
  }
}

export const playJourney = () => set(play(get()))
export const pauseJourney = () => set({ playing: false })
export const togglePlaying = () => (get().playing ? pauseJourney() : playJourney())
export const stepForward = () => set({ ...forward(get()), playing: false })
/** The playback clock's tick: like Step forward, but keeps playing until the last hop. */
export const advance = () => set(forward(get()))
export const stepBack = () => set(back(get()))
export const restartJourney = () => set({ step: 0, playing: false })
export const lastHop = () => set({ step: lastStep(get()), playing: false })
export const seekStep = (step: number) => set({ ...atStep(get(), step), playing: false })
export const setSpeed = (speed: Speed) => set({ speed })
export const setFollow = (follow: boolean) => set({ follow })
export const clearPlayer = () => set(initialPlayerState())
