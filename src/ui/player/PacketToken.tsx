import { useEffect, useRef } from 'react'
import { ViewportPortal, useReactFlow } from '@xyflow/react'
import type { Journey, JourneyHop, Place } from '../../engine/journeys/journey.ts'
import { usePlayerStore } from '../../state/player.ts'
import { NODE_WIDTH, nodeId, podId } from '../canvas/layout.ts'
import { HOOKS, hopDurationMs } from './journey-model.ts'
import { prefersReducedMotion } from './use-reduced-motion.ts'

interface Point { x: number; y: number }

type Lookup = (id: string) => { x: number; y: number; width: number; height: number } | null

/** As the canvas fits its view (room at the top for the notices). */
const FIT_PADDING = { top: '64px', bottom: '24px', x: '24px' } as const

/** An outside client stands left of the first Node (where the Docker network's gateway would be). */
const CLIENT_OFFSET = { x: -110, y: 40 }

function anchorOf(place: Place | undefined, hop: JourneyHop, lookup: Lookup, firstNode: string | undefined): Point | null {
  if (!place) return null
  if (place.kind === 'pod') {
    const r = lookup(podId(place.namespace, place.name))
    // On the card's right edge, clear of the Pod's name and IP.
    return r ? { x: r.x + r.width, y: r.y + r.height / 2 } : null
  }
  if (place.kind === 'node') return nodeSpot(place.name, hop.hook, lookup)
  const first = firstNode ? lookup(nodeId(firstNode)) : null
  return first ? { x: first.x + CLIENT_OFFSET.x, y: first.y + CLIENT_OFFSET.y } : null
}

/**
 * On a Node card's top edge (clear of its name), left to right as the packet moves through the hooks from
 * PREROUTING to POSTROUTING: the card stands for the Node's network stack.
 */
function nodeSpot(node: string, hook: string | null, lookup: Lookup): Point | null {
  const r = lookup(nodeId(node))
  if (!r) return null
  const i = hook ? HOOKS.indexOf(hook as (typeof HOOKS)[number]) : 2
  return { x: r.x + 40 + (Math.max(0, i) * (NODE_WIDTH - 80)) / (HOOKS.length - 1), y: r.y }
}

/** Where the token travels from and to for a hop (a move goes between its two places; anything else stays on its Node). */
function pathOf(journey: Journey, step: number, lookup: Lookup, firstNode: string | undefined): { from: Point | null; to: Point | null } {
  const hop = journey.hops[step]
  if (hop.kind === 'move') return { from: anchorOf(hop.from, hop, lookup, firstNode), to: anchorOf(hop.to, hop, lookup, firstNode) }
  if (hop.kind === 'deliver' && hop.to) return { from: null, to: anchorOf(hop.to, hop, lookup, firstNode) }
  if (hop.node) return { from: null, to: nodeSpot(hop.node, hop.hook, lookup) }
  return { from: null, to: null }
}

/** The Node a place is on (a Pod's Node), or null outside the cluster. */
function placeNode(place: Place | undefined): string | null {
  return place?.kind === 'pod' ? place.node : place?.kind === 'node' ? place.name : null
}

function label(hop: JourneyHop): string {
  const p = hop.packetAfter
  const f = p.tcpFlags
  if (p.proto === 'tcp' && f) return f.RST ? 'RST' : f.SYN && f.ACK ? 'SYN-ACK' : f.SYN ? 'SYN' : 'ACK'
  return String(p.proto).toUpperCase()
}

const ease = (t: number) => (t < 0.5 ? 2 * t * t : 1 - (-2 * t + 2) ** 2 / 2)

/**
 * The packet on the cluster canvas: moves between Pods and Nodes as the player steps. It follows the
 * player store outside React (a subscription and requestAnimationFrame writing a transform), so moving it
 * never re-renders the graph; with prefers-reduced-motion it jumps to its place.
 */
export function PacketToken() {
  const flow = useReactFlow()
  const token = useRef<HTMLDivElement>(null)
  const text = useRef<HTMLSpanElement>(null)
  const client = useRef<HTMLDivElement>(null)
  const link = useRef<SVGLineElement>(null)
  useEffect(() => {
    let frame = 0
    let at: Point | null = null
    let marked: HTMLElement | null = null
    const lookup: Lookup = (id) => {
      const n = flow.getInternalNode(id)
      if (!n) return null
      return { ...n.internals.positionAbsolute, width: n.measured.width ?? n.width ?? 0, height: n.measured.height ?? n.height ?? 0 }
    }
    const place = (p: Point) => {
      at = p
      if (token.current) token.current.style.transform = `translate(${p.x}px, ${p.y}px) translate(-50%, -50%)`
    }
    // The card the packet is in gets an outline (amber: a Node's netfilter; green: the Pod it was delivered
    // to), set on the element directly so the graph does not re-render.
    const mark = (id: string | null, colour = 'rgb(245 158 11)') => {
      const el = id ? document.querySelector<HTMLElement>(`.react-flow__node[data-id="${CSS.escape(id)}"] > div`) : null
      if (marked && marked !== el) marked.style.outline = ''
      if (el) {
        el.style.outline = `3px solid ${colour}`
        el.style.outlineOffset = '3px'
      }
      marked = el
    }
    const markNode = (name: string | null) => mark(name ? nodeId(name) : null)
    const show = (journey: Journey | null, step: number, speed: number, animate: boolean) => {
      cancelAnimationFrame(frame)
      const el = token.current
      if (!el) return
      const hop = journey?.hops[step]
      if (!journey || !hop) {
        el.style.display = 'none'
        if (client.current) client.current.style.display = 'none'
        if (link.current) link.current.style.display = 'none'
        markNode(null)
        return
      }
      const firstNode = flow.getNodes().find((n) => n.type === 'k8sNode')?.id.slice('node:'.length)
      const clientPlace = [journey.resolved.source, journey.reached].find((p): p is Extract<Place, { kind: 'client' }> => p?.kind === 'client')
      if (client.current) {
        const c = clientPlace ? anchorOf(clientPlace, hop, lookup, firstNode) : null
        client.current.style.display = c ? '' : 'none'
        if (c) {
          client.current.style.transform = `translate(${c.x}px, ${c.y}px) translate(-50%, -50%)`
          client.current.textContent = `client ${clientPlace!.ip}`
        }
      }
      const { from, to } = pathOf(journey, step, lookup, firstNode)
      // A move between machines draws the link it takes (veth or the kind bridge) under the token.
      const line = link.current
      if (line) {
        line.style.display = hop.kind === 'move' && from && to ? '' : 'none'
        if (from && to) {
          line.setAttribute('x1', String(from.x))
          line.setAttribute('y1', String(from.y))
          line.setAttribute('x2', String(to.x))
          line.setAttribute('y2', String(to.y))
        }
      }
      if (!to) return
      el.style.display = ''
      el.dataset.kind = hop.kind
      if (text.current) text.current.textContent = label(hop)
      if (hop.kind === 'deliver' && hop.to?.kind === 'pod') mark(podId(hop.to.namespace, hop.to.name), 'rgb(16 185 129)')
      else markNode(hop.kind === 'move' || hop.kind === 'deliver' ? null : hop.node)
      const start = from ?? at ?? to
      if (!animate || prefersReducedMotion() || (start.x === to.x && start.y === to.y)) {
        place(to)
        return
      }
      const duration = (hop.kind === 'move' ? hopDurationMs(hop) * 0.8 : 250) / speed
      const t0 = performance.now()
      const tick = (now: number) => {
        const t = Math.min(1, (now - t0) / duration)
        const k = ease(t)
        place({ x: start.x + (to.x - start.x) * k, y: start.y + (to.y - start.y) * k })
        if (t < 1) frame = requestAnimationFrame(tick)
      }
      place(start)
      frame = requestAnimationFrame(tick)
    }
    // Zoom: into the Node the packet is in (for a move, where it is going), or back out to the whole cluster.
    let zoomedTo: string | null = null
    const zoom = (s: { journey: Journey | null; step: number; follow: boolean }) => {
      const hop = s.journey?.hops[s.step]
      const target = s.follow && hop ? (hop.kind === 'move' || hop.kind === 'deliver' ? placeNode(hop.to) : hop.node) : null
      if (target === zoomedTo) return
      zoomedTo = target
      const duration = prefersReducedMotion() ? 0 : 400
      if (target) void flow.fitView({ nodes: [{ id: nodeId(target) }], padding: 0.15, maxZoom: 1.6, duration })
      else void flow.fitView({ padding: FIT_PADDING, duration })
    }
    const s = usePlayerStore.getState()
    show(s.journey, s.step, s.speed, false)
    const unsubscribe = usePlayerStore.subscribe((next, prev) => {
      if (next.follow !== prev.follow || (next.follow && (next.journey !== prev.journey || next.step !== prev.step))) zoom(next)
      if (next.journey === prev.journey && next.step === prev.step) return
      // A new journey: the player strip and the pipeline take room from the canvas; refit once they have.
      if (next.journey !== prev.journey && next.journey) {
        window.setTimeout(() => {
          zoomedTo = null
          const now = usePlayerStore.getState()
          if (now.follow) zoom(now)
          else void flow.fitView({ padding: FIT_PADDING, duration: prefersReducedMotion() ? 0 : 200 })
        }, 60)
      }
      // Only a step forward travels; going back or jumping lands at once.
      const animate = next.journey === prev.journey ? next.step === prev.step + 1 : next.step === 0
      show(next.journey, next.step, next.speed, animate)
    })
    return () => {
      unsubscribe()
      cancelAnimationFrame(frame)
      markNode(null)
    }
  }, [flow])
  return (
    <ViewportPortal>
      <svg aria-hidden width="1" height="1" style={{ position: 'absolute', left: 0, top: 0, overflow: 'visible', pointerEvents: 'none', zIndex: 999 }}>
        <line ref={link} style={{ display: 'none' }} stroke="rgb(139 92 246)" strokeWidth="3" strokeDasharray="6 5" strokeLinecap="round" />
      </svg>
      <div ref={client} aria-hidden style={{ position: 'absolute', left: 0, top: 0, display: 'none' }}
        className="pointer-events-none rounded-lg border-2 border-dashed border-violet-400 bg-white/90 px-2 py-1 font-mono text-xs text-violet-900" />
      <div ref={token} data-testid="packet-token" aria-hidden style={{ position: 'absolute', left: 0, top: 0, display: 'none', zIndex: 1000 }}
        className="pointer-events-none flex items-center gap-1 rounded-full border-2 border-white bg-amber-500 px-2 py-0.5 text-[11px] font-bold text-white shadow-lg shadow-amber-900/30">
        <span aria-hidden className="h-2 w-2 rounded-full bg-white" />
        <span ref={text} />
      </div>
    </ViewportPortal>
  )
}
