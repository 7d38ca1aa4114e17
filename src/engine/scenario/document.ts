/**
 * The scenario document: a scenario (seed + operations) as a YAML file people write, share and embed, with
 * what a trainer adds on top (title, description, canvas layout, the step to open at, a lesson).
 *
 * ```yaml
 * apiVersion: kube-proxy-visualizer.dev/v1
 * kind: Scenario
 * schemaVersion: 1
 * metadata:
 *   name: nginx-clusterip
 *   title: nginx behind a ClusterIP Service
 *   description: Two nginx Pods load-balanced by kube-proxy.
 * seed: 1
 * base: default               # default: a fresh 3-node kind cluster; empty: no Nodes at all
 * operations:                 # replayed in order on the base cluster
 *   - apply: |                # any manifests, including a KubeProxyConfiguration
 *       apiVersion: v1
 *       kind: Service
 *       ...
 *   - scale: { deployment: default/nginx-deployment, replicas: 3 }
 *   - delete: { kind: Service, namespace: default, name: nginx-service }
 *   - deletePod: default/nginx-deployment-abc12-xyz34
 *   - podReady: { pod: default/nginx-..., ready: false }
 *   - cordon: kind-worker
 *   - uncordon: kind-worker
 *   - stopNode: kind-worker
 *   - startNode: kind-worker
 *   - advance: 30             # seconds
 *   - run: { node: kind-worker, command: "iptables -I INPUT -p tcp --dport 80 -j DROP" }
 *   - send: { from: default/client, to: default/nginx-service, port: 80, proto: tcp }
 * layout:                     # optional canvas overrides: "kind/namespace/name" → position
 *   positions: { "pod/default/client": { x: 40, y: 300 } }
 * step: { hop: 3 }            # the player's hop shown for the last packet sent
 * lesson:
 *   steps:
 *     - title: The Service
 *       text: "A **ClusterIP** Service has a virtual IP; `kube-proxy` writes its rules."
 *       highlight: [service/default/nginx-service, chain/KUBE-SERVICES, node/kind-worker]
 *       operationsUpTo: 1     # how many operations have run at this step
 *       packet: { step: 2 }   # the hop of the last packet to show
 *       expect: { reaches: pod/default/nginx-deployment-…, verdict: delivered }
 * ```
 *
 * The document's operation keys are its own stable schema (`send`, `run`, `stopNode`, ...): the app's
 * internal operation shapes may change; `toOperation` / `fromOperation` convert between the two.
 *
 * Parsing is hostile-input safe: every field is checked (type, length, count) and errors carry the line and
 * column of the offending YAML node. Older documents (`schemaVersion: 0`) are migrated on parse.
 */
import { LineCounter, stringify } from 'yaml'
import type { Node as YamlNode } from 'yaml'
import { parseYamlDocument } from '../yaml/parse-yaml.ts'
import { yamlValue } from '../yaml/yaml-value.ts'
import { deepestNode } from './yaml-node-at-path.ts'
import { MAX_SEND_COUNT } from '../journeys/send-limit.ts'
import type { ClusterObjectKind } from '../cluster/types.ts'

export const API_VERSION = 'kube-proxy-visualizer.dev/v1'
export const KIND = 'Scenario'
export const SCHEMA_VERSION = 1

/** Limits that keep a hostile document from exhausting memory or the UI. */
export const LIMITS = {
  textBytes: 2 * 1024 * 1024,
  operations: 5000,
  name: 63,
  title: 200,
  description: 5000,
  /** One manifest text, one console input. */
  bigText: 1024 * 1024,
  consoleLine: 10_000,
  ref: 300,
  lessonSteps: 200,
  lessonText: 10_000,
  highlights: 50,
  positions: 2000,
  packetCount: MAX_SEND_COUNT,
  advanceSeconds: 365 * 24 * 3600,
  replicas: 1000,
} as const

const OBJECT_KINDS: readonly ClusterObjectKind[] = ['Node', 'Deployment', 'Pod', 'Service', 'EndpointSlice']

/**
 * One scenario operation: a change a person makes to the cluster, as plain data. The app's store keeps
 * these (src/worker/operations.ts names this type `Operation`); a scenario document lists them in its own
 * keyed form (see `operationToDocument`).
 */
export type ScenarioOperation =
  | { type: 'apply'; yaml: string }
  | { type: 'delete'; kind: ClusterObjectKind; namespace?: string; name: string }
  | { type: 'scale'; namespace: string; name: string; replicas: number }
  | { type: 'deletePod'; namespace: string; name: string }
  | { type: 'podReady'; namespace: string; name: string; ready: boolean }
  | { type: 'cordon'; node: string; on: boolean }
  | { type: 'nodeReady'; node: string; ready: boolean }
  | { type: 'advance'; seconds: number }
  /**
   * One line typed into a Node's root console (iptables, iptables-restore with its pasted input in
   * `stdin`, conntrack, ip, dmesg, clear, ...). Part of the scenario so firewall changes replay and undo.
   */
  | { type: 'console'; node: string; line: string; stdin?: string }
  /**
   * A packet sent through the cluster (the first packet of a new connection, and the answer): it changes
   * conntrack, rule counters and affinity lists, so it is part of the scenario. With `count`, that many new
   * connections (load balancing). `from`: a Pod (`namespace/name`), a Node, or an outside IP; `to`: a
   * Service (`namespace/name`) or an IP.
   */
  | {
    type: 'sendPacket'; from: string; to: string; port: number; proto: 'tcp' | 'udp'; count?: number
    /** The connection's next packet (TCP: the handshake's ACK) from this source port, after its first. */
    next?: { sport: number }
  }

export interface LessonStep {
  title: string
  /** Markdown-lite: **bold**, `code`, blank-line paragraphs. Always rendered as text, never as HTML. */
  text: string
  /** Object references: `service/NS/NAME`, `pod/NS/NAME`, `deployment/NS/NAME`, `node/NAME`, `chain/NAME`. */
  highlight?: string[]
  /** How many of the scenario's operations have run at this step (0 … operations.length). */
  operationsUpTo?: number
  /** The hop of the last sent packet's journey to show. */
  packet?: { step: number }
  /** What the step says happens (checked by lesson tests): where the packet lands, its verdict. */
  expect?: { reaches?: string; verdict?: string; node?: string }
}

export interface ScenarioDocument {
  apiVersion: typeof API_VERSION
  kind: typeof KIND
  schemaVersion: typeof SCHEMA_VERSION
  metadata: { name: string; title?: string; description?: string }
  seed: number
  base: 'default' | 'empty'
  operations: ScenarioOperation[]
  layout?: { positions: Record<string, { x: number; y: number }> }
  /** The player's hop for the last packet sent (what a shared link opens at). */
  step?: { hop: number }
  lesson?: { steps: LessonStep[] }
}

export interface DocumentError {
  /** 1-based; 0 when the error is not tied to a place in the text (too large, ...). */
  line: number
  column: number
  /** Where in the document, e.g. `operations[3].send.port`. */
  path: string
  message: string
}

export type ParseDocumentResult =
  | { ok: true; doc: ScenarioDocument; migratedFrom?: number }
  | { ok: false; errors: DocumentError[] }

type Path = (string | number)[]

// --------------------------------------------------------------------------------------------- parsing

/** Parses and validates a scenario document (YAML or JSON text), migrating older schema versions. */
export function parseScenarioDocument(text: string): ParseDocumentResult {
  if (typeof text !== 'string') return fail([], 'the document is not text')
  // UTF-16 length × 3 bounds the UTF-8 size from above; only count bytes exactly near the limit.
  if (text.length > LIMITS.textBytes || (text.length * 3 > LIMITS.textBytes && utf8Length(text) > LIMITS.textBytes)) {
    return fail([], `the document is larger than ${LIMITS.textBytes / 1024 / 1024} MB`)
  }
  const lineCounter = new LineCounter()
  const yamlDoc = parseYamlDocument(text, { lineCounter, uniqueKeys: true, strict: true })
  if (yamlDoc.errors.length > 0) {
    return {
      ok: false,
      errors: yamlDoc.errors.slice(0, 20).map((e) => {
        const { line, col } = lineCounter.linePos(e.pos[0])
        return { line, column: col, path: '', message: e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '') }
      }),
    }
  }
  const converted = yamlValue(yamlDoc)
  if (!converted.ok) {
    const { line, col } = lineCounter.linePos(converted.offset)
    return { ok: false, errors: [{ line, column: col, path: '', message: converted.message }] }
  }
  let value = converted.value
  const root = yamlDoc.contents as YamlNode | null
  const locate = (path: Path): { line: number; column: number } => {
    const node = root ? deepestNode(root, path) : undefined
    if (!node?.range) return { line: 1, column: 1 }
    const { line, col } = lineCounter.linePos(node.range[0])
    return { line, column: col }
  }
  const v = new Validator(locate)
  let migratedFrom: number | undefined
  if (isRecord(value) && (value.schemaVersion === 0 || (value.schemaVersion === undefined && value.apiVersion === undefined && 'ops' in value))) {
    migratedFrom = 0
    // A v0 document's positions do not map onto the migrated shape: errors point at the root.
    const migrated = migrateV0(value, new Validator(() => locate([])))
    if (!migrated.ok) return migrated
    value = migrated.value
    const v1 = new Validator(() => ({ line: 1, column: 1 }))
    const doc = readDocument(value, v1)
    return doc && v1.errors.length === 0 ? { ok: true, doc, migratedFrom } : { ok: false, errors: v1.errors }
  }
  const doc = readDocument(value, v)
  if (!doc || v.errors.length > 0) return { ok: false, errors: v.errors.length > 0 ? v.errors : [{ line: 1, column: 1, path: '', message: 'not a scenario document' }] }
  return { ok: true, doc, ...(migratedFrom !== undefined ? { migratedFrom } : {}) }
}

function fail(path: Path, message: string): { ok: false; errors: DocumentError[] } {
  return { ok: false, errors: [{ line: 0, column: 0, path: formatPath(path), message }] }
}

function utf8Length(text: string): number {
  let bytes = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    // A surrogate pair (4 bytes in UTF-8) counts 2 + 2 here.
    bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c < 0xe000 ? 2 : 3
  }
  return bytes
}

/** Collects errors with their place in the text; stops collecting after 50 (a hostile document has many). */
class Validator {
  errors: DocumentError[] = []
  constructor(private readonly locate: (path: Path) => { line: number; column: number }) {}
  error(path: Path, message: string): undefined {
    if (this.errors.length < 50) this.errors.push({ ...this.locate(path), path: formatPath(path), message })
    return undefined
  }
  record(value: unknown, path: Path): Record<string, unknown> | undefined {
    return isRecord(value) ? value : this.error(path, `expected a mapping, found ${describe(value)}`)
  }
  /** Fields other than `allowed` are mistakes (a typo would otherwise be silently ignored). */
  onlyKeys(value: Record<string, unknown>, path: Path, allowed: readonly string[]): void {
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) this.error([...path, key], `unknown field "${truncate(key, 40)}" (expected one of: ${allowed.join(', ')})`)
    }
  }
  string(value: unknown, path: Path, max: number, options: { pattern?: RegExp; patternText?: string; nonEmpty?: boolean } = {}): string | undefined {
    if (typeof value !== 'string') return this.error(path, `expected a string, found ${describe(value)}`)
    if (value.length > max) return this.error(path, `longer than ${max} characters (${value.length})`)
    if (options.nonEmpty && value.trim() === '') return this.error(path, 'must not be empty')
    if (options.pattern && !options.pattern.test(value)) return this.error(path, `"${truncate(value, 60)}" is not ${options.patternText}`)
    return value
  }
  optionalString(value: unknown, path: Path, max: number): string | undefined {
    return value === undefined || value === null ? undefined : this.string(value, path, max)
  }
  integer(value: unknown, path: Path, min: number, max: number): number | undefined {
    if (typeof value !== 'number' || !Number.isInteger(value)) return this.error(path, `expected a whole number, found ${describe(value)}`)
    if (value < min || value > max) return this.error(path, `must be between ${min} and ${max} (found ${value})`)
    return value
  }
  number(value: unknown, path: Path, min: number, max: number): number | undefined {
    if (typeof value !== 'number' || !Number.isFinite(value)) return this.error(path, `expected a number, found ${describe(value)}`)
    if (value < min || value > max) return this.error(path, `must be between ${min} and ${max} (found ${value})`)
    return value
  }
  boolean(value: unknown, path: Path): boolean | undefined {
    return typeof value === 'boolean' ? value : this.error(path, `expected true or false, found ${describe(value)}`)
  }
  list(value: unknown, path: Path, max: number): unknown[] | undefined {
    if (!Array.isArray(value)) return this.error(path, `expected a list, found ${describe(value)}`)
    if (value.length > max) return this.error(path, `more than ${max} items (${value.length})`)
    return value
  }
}

const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/
const NAMESPACED = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?\/[a-z0-9]([-.a-z0-9]*[a-z0-9])?$/
const NODE_NAME = /^[a-z0-9]([-.a-z0-9]*[a-z0-9])?$/
const REF = /^(service|pod|deployment|endpointslice)\/[a-z0-9]([-a-z0-9]*[a-z0-9])?\/[a-z0-9]([-.a-z0-9]*[a-z0-9])?$|^node\/[a-z0-9]([-.a-z0-9]*[a-z0-9])?$|^chain\/[A-Za-z0-9_.:-]{1,64}$/
/** A packet end: a Pod or Service `namespace/name`, a Node name, or an IP address (v4 or v6). */
const ENDPOINT = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?\/[a-z0-9]([-.a-z0-9]*[a-z0-9])?$|^[a-z0-9]([-.a-z0-9]*[a-z0-9])?$|^[0-9a-fA-F:.]{2,45}$/

/** Whether `value` can be a packet's source or destination (a `namespace/name`, a Node name, an IP address). */
export function isPacketEnd(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 300 && ENDPOINT.test(value)
}

function readDocument(value: unknown, v: Validator): ScenarioDocument | undefined {
  const root = v.record(value, [])
  if (!root) return undefined
  v.onlyKeys(root, [], ['apiVersion', 'kind', 'schemaVersion', 'metadata', 'seed', 'base', 'operations', 'layout', 'step', 'lesson'])
  if (root.apiVersion !== API_VERSION) v.error(['apiVersion'], `expected "${API_VERSION}", found ${describe(root.apiVersion)}`)
  if (root.kind !== KIND) v.error(['kind'], `expected "${KIND}", found ${describe(root.kind)}`)
  if (root.schemaVersion !== undefined && root.schemaVersion !== SCHEMA_VERSION) {
    v.error(['schemaVersion'], `this app reads schema versions 0 and ${SCHEMA_VERSION}, found ${describe(root.schemaVersion)}`)
  }
  const metadata = readMetadata(root.metadata, v)
  const seed = root.seed === undefined ? 1 : v.integer(root.seed, ['seed'], 0, 0xffffffff)
  let base: ScenarioDocument['base'] = 'default'
  if (root.base !== undefined) {
    if (root.base === 'default' || root.base === 'empty') base = root.base
    else v.error(['base'], `expected "default" or "empty", found ${describe(root.base)}`)
  }
  const list = root.operations === undefined ? [] : v.list(root.operations, ['operations'], LIMITS.operations)
  const operations: ScenarioOperation[] = []
  list?.forEach((item, i) => {
    const op = readOperation(item, ['operations', i], v)
    if (op) operations.push(op)
  })
  const layout = root.layout === undefined ? undefined : readLayout(root.layout, v)
  let step: ScenarioDocument['step']
  if (root.step !== undefined) {
    const s = v.record(root.step, ['step'])
    if (s) {
      v.onlyKeys(s, ['step'], ['hop'])
      const hop = v.integer(s.hop, ['step', 'hop'], 0, 100_000)
      if (hop !== undefined) step = { hop }
    }
  }
  const lesson = root.lesson === undefined ? undefined : readLesson(root.lesson, list?.length ?? 0, v)
  if (!metadata || seed === undefined) return undefined
  return {
    apiVersion: API_VERSION, kind: KIND, schemaVersion: SCHEMA_VERSION, metadata, seed, base, operations,
    ...(layout ? { layout } : {}), ...(step ? { step } : {}), ...(lesson ? { lesson } : {}),
  }
}

function readMetadata(value: unknown, v: Validator): ScenarioDocument['metadata'] | undefined {
  const m = v.record(value, ['metadata'])
  if (!m) return undefined
  v.onlyKeys(m, ['metadata'], ['name', 'title', 'description'])
  const name = v.string(m.name, ['metadata', 'name'], LIMITS.name, { pattern: NAME, patternText: 'a lowercase name (a-z, 0-9, -)' })
  const title = v.optionalString(m.title, ['metadata', 'title'], LIMITS.title)
  const description = v.optionalString(m.description, ['metadata', 'description'], LIMITS.description)
  if (name === undefined) return undefined
  return { name, ...(title !== undefined ? { title } : {}), ...(description !== undefined ? { description } : {}) }
}

/** The document's operation keys: exactly one per list item. */
const OPERATION_KEYS = ['apply', 'delete', 'scale', 'deletePod', 'podReady', 'cordon', 'uncordon', 'stopNode', 'startNode', 'advance', 'run', 'send'] as const
type OperationKey = (typeof OPERATION_KEYS)[number]

function readOperation(item: unknown, path: Path, v: Validator): ScenarioOperation | undefined {
  const rec = v.record(item, path)
  if (!rec) return undefined
  const keys = Object.keys(rec)
  if (keys.length !== 1 || !(OPERATION_KEYS as readonly string[]).includes(keys[0])) {
    return v.error(path, `an operation is one of ${OPERATION_KEYS.join(', ')} (found ${keys.length === 0 ? 'nothing' : keys.map((k) => truncate(k, 30)).join(', ')})`)
  }
  const key = keys[0] as OperationKey
  const value = rec[key]
  const at: Path = [...path, key]
  switch (key) {
    case 'apply': {
      const yaml = v.string(value, at, LIMITS.bigText)
      return yaml === undefined ? undefined : { type: 'apply', yaml }
    }
    case 'delete': {
      const r = v.record(value, at)
      if (!r) return undefined
      v.onlyKeys(r, at, ['kind', 'namespace', 'name'])
      if (!(OBJECT_KINDS as readonly unknown[]).includes(r.kind)) return v.error([...at, 'kind'], `expected one of ${OBJECT_KINDS.join(', ')}, found ${describe(r.kind)}`)
      const kind = r.kind as ClusterObjectKind
      const namespace = r.namespace === undefined ? undefined : v.string(r.namespace, [...at, 'namespace'], 63, { pattern: NAME, patternText: 'a namespace name' })
      const name = v.string(r.name, [...at, 'name'], 253, { pattern: NODE_NAME, patternText: 'an object name' })
      if (name === undefined || (r.namespace !== undefined && namespace === undefined)) return undefined
      return { type: 'delete', kind, ...(namespace !== undefined ? { namespace } : {}), name }
    }
    case 'scale': {
      const r = v.record(value, at)
      if (!r) return undefined
      v.onlyKeys(r, at, ['deployment', 'replicas'])
      const ref = namespaced(r.deployment, [...at, 'deployment'], v)
      const replicas = v.integer(r.replicas, [...at, 'replicas'], 0, LIMITS.replicas)
      return ref && replicas !== undefined ? { type: 'scale', ...ref, replicas } : undefined
    }
    case 'deletePod': {
      const ref = namespaced(value, at, v)
      return ref ? { type: 'deletePod', ...ref } : undefined
    }
    case 'podReady': {
      const r = v.record(value, at)
      if (!r) return undefined
      v.onlyKeys(r, at, ['pod', 'ready'])
      const ref = namespaced(r.pod, [...at, 'pod'], v)
      const ready = v.boolean(r.ready, [...at, 'ready'])
      return ref && ready !== undefined ? { type: 'podReady', ...ref, ready } : undefined
    }
    case 'cordon':
    case 'uncordon': {
      const node = nodeName(value, at, v)
      return node === undefined ? undefined : { type: 'cordon', node, on: key === 'cordon' }
    }
    case 'stopNode':
    case 'startNode': {
      const node = nodeName(value, at, v)
      return node === undefined ? undefined : { type: 'nodeReady', node, ready: key === 'startNode' }
    }
    case 'advance': {
      const seconds = v.number(value, at, 0, LIMITS.advanceSeconds)
      return seconds === undefined ? undefined : { type: 'advance', seconds }
    }
    case 'run': {
      const r = v.record(value, at)
      if (!r) return undefined
      v.onlyKeys(r, at, ['node', 'command', 'stdin'])
      const node = nodeName(r.node, [...at, 'node'], v)
      const line = v.string(r.command, [...at, 'command'], LIMITS.consoleLine)
      if (line !== undefined && /[\r\n]/.test(line)) return v.error([...at, 'command'], 'a command is one line (pass input in stdin)')
      const stdin = v.optionalString(r.stdin, [...at, 'stdin'], LIMITS.bigText)
      if (node === undefined || line === undefined || (r.stdin != null && stdin === undefined)) return undefined
      return { type: 'console', node, line, ...(stdin !== undefined ? { stdin } : {}) }
    }
    case 'send': {
      const r = v.record(value, at)
      if (!r) return undefined
      v.onlyKeys(r, at, ['from', 'to', 'port', 'proto', 'count', 'nextSport'])
      const from = v.string(r.from, [...at, 'from'], 300, { pattern: ENDPOINT, patternText: 'a Pod (namespace/name), a Node or an IP address' })
      const to = v.string(r.to, [...at, 'to'], 300, { pattern: ENDPOINT, patternText: 'a Service (namespace/name) or an IP address' })
      const port = v.integer(r.port, [...at, 'port'], 1, 65535)
      let proto: 'tcp' | 'udp' = 'tcp'
      if (r.proto !== undefined) {
        if (r.proto === 'tcp' || r.proto === 'udp') proto = r.proto
        else v.error([...at, 'proto'], `expected tcp or udp, found ${describe(r.proto)}`)
      }
      const count = r.count === undefined ? undefined : v.integer(r.count, [...at, 'count'], 1, LIMITS.packetCount)
      const sport = r.nextSport === undefined ? undefined : v.integer(r.nextSport, [...at, 'nextSport'], 1, 65535)
      if (count !== undefined && sport !== undefined) return v.error(at, 'count and nextSport do not go together (nextSport continues one connection)')
      if (from === undefined || to === undefined || port === undefined) return undefined
      return {
        type: 'sendPacket', from, to, port, proto,
        ...(count !== undefined ? { count } : {}), ...(sport !== undefined ? { next: { sport } } : {}),
      }
    }
  }
}

function namespaced(value: unknown, path: Path, v: Validator): { namespace: string; name: string } | undefined {
  const s = v.string(value, path, 317, { pattern: NAMESPACED, patternText: 'namespace/name' })
  if (s === undefined) return undefined
  const [namespace, name] = s.split('/')
  return { namespace, name }
}

function nodeName(value: unknown, path: Path, v: Validator): string | undefined {
  return v.string(value, path, 253, { pattern: NODE_NAME, patternText: 'a Node name' })
}

function readLayout(value: unknown, v: Validator): ScenarioDocument['layout'] {
  const r = v.record(value, ['layout'])
  if (!r) return undefined
  v.onlyKeys(r, ['layout'], ['positions'])
  const p = r.positions === undefined ? {} : v.record(r.positions, ['layout', 'positions'])
  if (!p) return undefined
  const entries = Object.entries(p)
  if (entries.length > LIMITS.positions) return v.error(['layout', 'positions'], `more than ${LIMITS.positions} positions`)
  // A null-prototype object: keys such as "__proto__" must stay plain keys.
  const positions = Object.create(null) as Record<string, { x: number; y: number }>
  for (const [key, pos] of entries) {
    const at: Path = ['layout', 'positions', key]
    if (!REF.test(key) || key.length > LIMITS.ref) { v.error(at, `"${truncate(key, 60)}" is not an object reference (kind/namespace/name or node/name)`); continue }
    const xy = v.record(pos, at)
    if (!xy) continue
    v.onlyKeys(xy, at, ['x', 'y'])
    const x = v.number(xy.x, [...at, 'x'], -1e6, 1e6)
    const y = v.number(xy.y, [...at, 'y'], -1e6, 1e6)
    if (x !== undefined && y !== undefined) positions[key] = { x, y }
  }
  return { positions: { ...positions } }
}

function readLesson(value: unknown, operationCount: number, v: Validator): ScenarioDocument['lesson'] {
  const r = v.record(value, ['lesson'])
  if (!r) return undefined
  v.onlyKeys(r, ['lesson'], ['steps'])
  const list = v.list(r.steps, ['lesson', 'steps'], LIMITS.lessonSteps)
  if (!list) return undefined
  const steps: LessonStep[] = []
  list.forEach((item, i) => {
    const at: Path = ['lesson', 'steps', i]
    const s = v.record(item, at)
    if (!s) return
    v.onlyKeys(s, at, ['title', 'text', 'highlight', 'operationsUpTo', 'packet', 'expect'])
    const title = v.string(s.title, [...at, 'title'], LIMITS.title, { nonEmpty: true })
    const text = s.text === undefined ? '' : v.string(s.text, [...at, 'text'], LIMITS.lessonText)
    let highlight: string[] | undefined
    if (s.highlight !== undefined) {
      const refs = v.list(s.highlight, [...at, 'highlight'], LIMITS.highlights)
      highlight = refs?.flatMap((ref, j) => {
        const str = v.string(ref, [...at, 'highlight', j], LIMITS.ref, { pattern: REF, patternText: 'an object reference (service/NS/NAME, pod/NS/NAME, node/NAME, chain/NAME)' })
        return str === undefined ? [] : [str]
      })
    }
    const operationsUpTo = s.operationsUpTo === undefined ? undefined : v.integer(s.operationsUpTo, [...at, 'operationsUpTo'], 0, operationCount)
    let packet: LessonStep['packet']
    if (s.packet !== undefined) {
      const p = v.record(s.packet, [...at, 'packet'])
      if (p) {
        v.onlyKeys(p, [...at, 'packet'], ['step'])
        const step = v.integer(p.step, [...at, 'packet', 'step'], 0, 100_000)
        if (step !== undefined) packet = { step }
      }
    }
    let expect: LessonStep['expect']
    if (s.expect !== undefined) {
      const e = v.record(s.expect, [...at, 'expect'])
      if (e) {
        v.onlyKeys(e, [...at, 'expect'], ['reaches', 'verdict', 'node'])
        const reaches = v.optionalString(e.reaches, [...at, 'expect', 'reaches'], LIMITS.ref)
        const verdict = v.optionalString(e.verdict, [...at, 'expect', 'verdict'], 100)
        const node = v.optionalString(e.node, [...at, 'expect', 'node'], 253)
        expect = { ...(reaches !== undefined ? { reaches } : {}), ...(verdict !== undefined ? { verdict } : {}), ...(node !== undefined ? { node } : {}) }
      }
    }
    if (title === undefined || text === undefined) return
    steps.push({
      title, text,
      ...(highlight ? { highlight } : {}), ...(operationsUpTo !== undefined ? { operationsUpTo } : {}),
      ...(packet ? { packet } : {}), ...(expect ? { expect } : {}),
    })
  })
  return { steps }
}

// ------------------------------------------------------------------------------------------- migrations

/**
 * Schema version 0 (the first drafts, before apiVersion/kind): a flat object with `name`, `title`, `seed`,
 * `manifests` (one YAML text applied first), `ops` in the app's internal shape (`{op: 'scale', ...}`), and
 * `lesson` as a bare list of `{title, text}`. Version 1 nests names under metadata, turns `manifests` into
 * the first `apply` operation and the ops into the document's keyed operations.
 */
function migrateV0(value: Record<string, unknown>, v: Validator): { ok: true; value: unknown } | { ok: false; errors: DocumentError[] } {
  const ops = value.ops === undefined ? [] : v.list(value.ops, ['ops'], LIMITS.operations)
  const operations: unknown[] = []
  if (value.manifests !== undefined) operations.push({ apply: value.manifests })
  ops?.forEach((raw, i) => {
    if (!isRecord(raw)) { v.error(['ops', i], `expected a mapping, found ${describe(raw)}`); return }
    const { op, ...rest } = raw
    const r = rest as Record<string, unknown>
    switch (op) {
      case 'apply': operations.push({ apply: r.yaml }); break
      case 'scale': operations.push({ scale: { deployment: `${String(r.namespace ?? 'default')}/${String(r.name)}`, replicas: r.replicas } }); break
      case 'deletePod': operations.push({ deletePod: `${String(r.namespace ?? 'default')}/${String(r.name)}` }); break
      case 'cordon': operations.push({ [r.on === false ? 'uncordon' : 'cordon']: r.node }); break
      case 'console': operations.push({ run: { node: r.node, command: r.line, ...(r.stdin !== undefined ? { stdin: r.stdin } : {}) } }); break
      case 'sendPacket': operations.push({ send: { from: r.from, to: r.to, port: r.port, ...(r.proto !== undefined ? { proto: r.proto } : {}) } }); break
      default: v.error(['ops', i, 'op'], `version 0 operation ${describe(op)} is not known`)
    }
  })
  const lesson = value.lesson === undefined ? undefined : Array.isArray(value.lesson) ? { steps: value.lesson } : value.lesson
  if (v.errors.length > 0) return { ok: false, errors: v.errors }
  return {
    ok: true,
    value: {
      apiVersion: API_VERSION, kind: KIND, schemaVersion: SCHEMA_VERSION,
      metadata: {
        name: value.name ?? 'scenario',
        ...(value.title !== undefined ? { title: value.title } : {}),
      },
      seed: value.seed ?? 1,
      operations,
      ...(lesson !== undefined ? { lesson } : {}),
    },
  }
}

// -------------------------------------------------------------------------------------------- writing

/** The document's keyed form of one operation (the inverse of readOperation). */
export function operationToDocument(op: ScenarioOperation): Record<string, unknown> {
  switch (op.type) {
    case 'apply': return { apply: op.yaml }
    case 'delete': return { delete: { kind: op.kind, ...(op.namespace !== undefined ? { namespace: op.namespace } : {}), name: op.name } }
    case 'scale': return { scale: { deployment: `${op.namespace}/${op.name}`, replicas: op.replicas } }
    case 'deletePod': return { deletePod: `${op.namespace}/${op.name}` }
    case 'podReady': return { podReady: { pod: `${op.namespace}/${op.name}`, ready: op.ready } }
    case 'cordon': return { [op.on ? 'cordon' : 'uncordon']: op.node }
    case 'nodeReady': return { [op.ready ? 'startNode' : 'stopNode']: op.node }
    case 'advance': return { advance: op.seconds }
    case 'console': return { run: { node: op.node, command: op.line, ...(op.stdin !== undefined ? { stdin: op.stdin } : {}) } }
    case 'sendPacket': return {
      send: {
        from: op.from, to: op.to, port: op.port, proto: op.proto,
        ...(op.count !== undefined ? { count: op.count } : {}), ...(op.next ? { nextSport: op.next.sport } : {}),
      },
    }
  }
}

/** The document as plain data in its YAML field order (for JSON or YAML output). */
export function documentToData(doc: ScenarioDocument): Record<string, unknown> {
  return {
    apiVersion: doc.apiVersion,
    kind: doc.kind,
    schemaVersion: doc.schemaVersion,
    metadata: doc.metadata,
    seed: doc.seed,
    base: doc.base,
    operations: doc.operations.map(operationToDocument),
    ...(doc.layout ? { layout: doc.layout } : {}),
    ...(doc.step ? { step: doc.step } : {}),
    ...(doc.lesson ? { lesson: doc.lesson } : {}),
  }
}

/** YAML text that parseScenarioDocument reads back to an equal document (manifests as block literals). */
export function serializeScenarioDocument(doc: ScenarioDocument): string {
  return stringify(documentToData(doc), { lineWidth: 0, blockQuote: 'literal', aliasDuplicateObjects: false })
}

/** A fresh document for a scenario (the app's seed + operations) and what the player shows. */
export function scenarioDocument(
  scenario: { seed: number; operations: readonly ScenarioOperation[] },
  extra: Partial<Pick<ScenarioDocument, 'metadata' | 'base' | 'layout' | 'step' | 'lesson'>> = {},
): ScenarioDocument {
  return {
    apiVersion: API_VERSION, kind: KIND, schemaVersion: SCHEMA_VERSION,
    metadata: extra.metadata ?? { name: 'scenario' },
    seed: scenario.seed,
    base: extra.base ?? 'default',
    operations: [...scenario.operations],
    ...(extra.layout ? { layout: extra.layout } : {}),
    ...(extra.step ? { step: extra.step } : {}),
    ...(extra.lesson ? { lesson: extra.lesson } : {}),
  }
}

// ---------------------------------------------------------------------------------------------- helpers

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing'
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'object') return 'a mapping'
  if (typeof value === 'string') return `"${truncate(value, 40)}"`
  return `${typeof value} ${String(value)}`
}

/** User text quoted in a message: at most n characters, control characters escaped, so it stays one line. */
function truncate(s: string, n: number): string {
  // eslint-disable-next-line no-control-regex
  return (s.length > n ? `${s.slice(0, n)}…` : s).replace(/[\u0000-\u001f\u007f]/g, (c) => JSON.stringify(c).slice(1, -1))
}

export function formatPath(path: readonly (string | number)[]): string {
  return path.reduce<string>((acc, seg) => typeof seg === 'number' ? `${acc}[${seg}]` : acc === '' ? seg : `${acc}.${seg}`, '')
}

