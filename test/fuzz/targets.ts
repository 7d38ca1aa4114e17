/**
 * Every parser of text a user (or a link) hands the simulator, with the properties it must keep for any
 * input: it returns its documented result (or throws only its documented error), an error about text says
 * where in the text, and what it accepts survives save → restore → save. A check returns undefined when
 * the property holds, else what went wrong (the fuzz test and `npm run fuzz` share these).
 */
import fc from 'fast-check'
import { stringify } from 'yaml'
import { Cluster } from '../../src/engine/cluster/cluster.ts'
import { parseManifests } from '../../src/engine/scenario/parse-manifests.ts'
import { RawManifestError, snapshotFromManifests } from '../../src/engine/kube-proxy/raw-snapshot.ts'
import { KubeProxy } from '../../src/engine/kube-proxy/modes/iptables/proxier.ts'
import { documentToData, parseScenarioDocument, scenarioDocument, serializeScenarioDocument, type ScenarioDocument, type ScenarioOperation } from '../../src/engine/scenario/document.ts'
import { decodeShareFragment, encodeShareFragment, toBase64Url } from '../../src/state/share-codec.ts'
import { Ruleset } from '../../src/engine/netfilter/ruleset.ts'
import { runCommandLine } from '../../src/engine/netfilter/command-line.ts'
import { runIptablesRestore, runIptablesSave } from '../../src/engine/netfilter/iptables-command.ts'
import { IpsetStore, saveSets } from '../../src/engine/ipset/store.ts'
import { runIpset } from '../../src/engine/ipset/command.ts'
import { NftParseError, parseDump, parseTransaction } from '../../src/engine/nftables/parse.ts'
import { dumpTable } from '../../src/engine/nftables/dump.ts'
import { NftTransactionError } from '../../src/engine/nftables/transaction.ts'
import { freshNode } from '../../src/engine/host/host.ts'
import { runConsoleLine } from '../../src/engine/host/console.ts'
import { clusterImportOperations } from '../../src/engine/scenario/import-cluster.ts'
import { PacketSpecError, parsePacketSpec } from '../../src/engine/host/flow.ts'
import { JourneyError } from '../../src/engine/journeys/journey.ts'
import { runOperation } from '../../src/engine/scenario/run-operation.ts'
import { Simulation } from '../../src/engine/simulation/simulation.ts'
import { NftablesKubeProxy } from '../../src/engine/kube-proxy/modes/nftables/proxier.ts'
import { compileIpvs } from '../../src/engine/kube-proxy/modes/ipvs/compile.ts'
import { applyIpvsSync, newIpvsNodeState } from '../../src/engine/kube-proxy/modes/ipvs/node-state.ts'
import { damaged, textInput, wordSoup } from './mutate.ts'
import * as seeds from './seeds.ts'

export interface FuzzTarget<T = string> {
  name: string
  input: () => fc.Arbitrary<T>
  /** undefined when the properties hold for this input, else what went wrong. */
  check: (input: T) => string | undefined
  /** Inputs per `npm test` run (the whole suite stays within ~30 s). */
  runs: number
}

const YAML_WORDS = ['&a ', '*a', '*b', '&b ', '<<: *a', '[', ']', '{', '}', ': ', '- ', '? ', '!!str ', '!!int ', '!!binary ',
  '%YAML 1.1\n---\n', '---\n', '...\n', '#', '"', "'", '|', '>', '\t', '  ', '\n', 'null', '~', 'true', '0x10', '1e9', '4294967296',
  '-1', '.nan', 'apiVersion: v1\n', 'kind: Service\n', 'kind: Deployment\n', 'kind: List\n', 'items:\n', 'metadata:\n', 'spec:\n',
  'replicas: ', 'ports: [{port: 80}]', 'selector: {app: nginx}', 'namespace: ', 'name: x\n', '__proto__: 1\n', '[[[[[[[[', '{a: &x {b: *x}}']

/** What an error message must look like: one line of text. */
function oneLine(what: string, message: string): string | undefined {
  if (message.trim() === '') return `${what}: empty message`
  if (message.includes('\n')) return `${what}: message on several lines: ${JSON.stringify(message.slice(0, 200))}`
  return undefined
}

function threw(e: unknown): string {
  return `threw ${e instanceof Error ? `${e.name}: ${e.message.split('\n')[0]}` : String(e)}`
}

function first<T>(items: readonly T[], check: (item: T) => string | undefined): string | undefined {
  for (const item of items) {
    const v = check(item)
    if (v) return v
  }
  return undefined
}

// ------------------------------------------------------------------------------------------- manifests

let defaultCluster: Cluster | undefined
const freshCluster = () => (defaultCluster ??= Cluster.createDefault()).clone()

const manifests: FuzzTarget = {
  name: 'manifests (kubectl apply)',
  input: () => textInput(seeds.manifests(), YAML_WORDS),
  runs: 150,
  check(text) {
    const outcome = freshCluster().apply(text)
    if (outcome.ok) return undefined
    if (outcome.errors.length === 0) return 'refused without an error'
    return first(outcome.errors, (e) =>
      !(e.document >= 1 && e.line >= 1 && e.column >= 1) ? `error without a position: ${JSON.stringify(e)}` : oneLine('apply error', e.message))
  },
}

/** Any mapping written as YAML reads back as the same data. */
const yamlValues: FuzzTarget<Record<string, unknown>> = {
  name: 'YAML values round-trip',
  input: () => fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 4 }), { maxKeys: 6 }),
  runs: 200,
  check(value) {
    const data = JSON.parse(JSON.stringify(value)) as Record<string, unknown>
    if (Object.keys(data).length === 0) return undefined
    const text = stringify(data)
    const parsed = parseManifests(text)
    if (!parsed.ok) return `refused its own YAML: ${parsed.errors[0].message}`
    const read = parsed.documents[0]?.value
    return JSON.stringify(read) === JSON.stringify(data) ? undefined : `read back differently: ${JSON.stringify(read).slice(0, 200)}`
  },
}

const rawManifests: FuzzTarget = {
  name: 'raw manifests (compile --raw)',
  input: () => textInput(seeds.manifests(), YAML_WORDS),
  runs: 100,
  check(text) {
    let snapshot
    try {
      snapshot = snapshotFromManifests(text)
    } catch (e) {
      if (!(e instanceof RawManifestError)) return threw(e)
      if (!/^document \d+, line \d+, column \d+: /.test(e.message)) return `raw error without a position: ${e.message}`
      return oneLine('raw error', e.message)
    }
    for (const node of snapshot.nodes.slice(0, 2)) {
      const proxy = new KubeProxy(node.metadata.name, snapshot.kubeProxyConfig)
      proxy.loadSnapshot(snapshot)
      proxy.sync()
    }
    return undefined
  },
}

// ------------------------------------------------------------------------------ scenario documents, links

const DOCUMENT_WORDS = [...YAML_WORDS, 'operations:\n', '  - apply: |\n', '  - scale: {deployment: default/nginx-deployment, replicas: 3}\n',
  '  - send: {from: kind-worker, to: default/nginx-service, port: 80}\n', '  - run: {node: kind-worker, command: "iptables -L"}\n',
  'schemaVersion: 0\n', 'schemaVersion: 2\n', 'seed: ', 'base: empty\n', 'step: {hop: 4}\n', 'lesson:\n', 'steps:\n', 'count: 100000', 'ops:\n']

function documentErrors(text: string): string | undefined {
  const r = parseScenarioDocument(text)
  if (r.ok) return roundTrip(r.doc)
  if (r.errors.length === 0) return 'refused without an error'
  return first(r.errors, (e) => {
    // line 0 is for what no place in the text explains (a document over the size limit).
    if (e.line === 0 && text.length < 1024 * 1024) return `error without a position: ${JSON.stringify(e)}`
    return oneLine('document error', e.message)
  })
}

/** A valid document saved (as the app exports it, and as the JSON a link holds) and read again is the same document. */
function roundTrip(doc: ScenarioDocument): string | undefined {
  const data = documentToData(doc)
  for (const text of [serializeScenarioDocument(doc), JSON.stringify(data)]) {
    const again = parseScenarioDocument(text)
    if (!again.ok) return `its own save is refused: ${JSON.stringify(again.errors[0])}`
    if (JSON.stringify(documentToData(again.doc)) !== JSON.stringify(data)) return 'save → read → save differs'
  }
  return undefined
}

const documents: FuzzTarget = {
  name: 'scenario documents',
  input: () => textInput(seeds.lessonTexts(), DOCUMENT_WORDS),
  runs: 120,
  check: documentErrors,
}

const name = fc.constantFrom('nginx-deployment', 'coredns', 'web', 'a', 'x-1')
const ns = fc.constantFrom('default', 'kube-system')
const node = fc.constantFrom('kind-worker', 'kind-worker2', 'kind-control-plane')
const operation: fc.Arbitrary<ScenarioOperation> = fc.oneof(
  fc.record({ type: fc.constant('apply' as const), yaml: fc.constantFrom(seeds.NGINX, 'apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n') }),
  fc.record({ type: fc.constant('delete' as const), kind: fc.constantFrom('Deployment' as const, 'Pod' as const, 'Service' as const), namespace: ns, name }),
  fc.record({ type: fc.constant('scale' as const), namespace: ns, name, replicas: fc.integer({ min: 0, max: 1000 }) }),
  fc.record({ type: fc.constant('deletePod' as const), namespace: ns, name }),
  fc.record({ type: fc.constant('podReady' as const), namespace: ns, name, ready: fc.boolean() }),
  fc.record({ type: fc.constant('cordon' as const), node, on: fc.boolean() }),
  fc.record({ type: fc.constant('nodeReady' as const), node, ready: fc.boolean() }),
  fc.record({ type: fc.constant('advance' as const), seconds: fc.integer({ min: 0, max: 86_400 }) }),
  fc.record({ type: fc.constant('console' as const), node, line: fc.constantFrom(...seeds.consoleLines(), 'ip route', 'conntrack -L') }),
  fc.record({
    type: fc.constant('sendPacket' as const), from: fc.constantFrom('kind-worker', '172.18.0.100', 'default/client'),
    to: fc.constantFrom('default/nginx-service', '10.96.0.1'), port: fc.integer({ min: 1, max: 65535 }), proto: fc.constantFrom('tcp' as const, 'udp' as const),
  }, { requiredKeys: ['type', 'from', 'to', 'port', 'proto'] }),
)
const validDocument: fc.Arbitrary<ScenarioDocument> = fc.record({
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  operations: fc.array(operation, { maxLength: 8 }),
  title: fc.option(fc.string({ minLength: 1, maxLength: 40 }).filter((t) => t.trim() === t && t.length > 0), { nil: undefined }),
}).map(({ seed, operations, title }) => scenarioDocument({ seed, operations }, { metadata: { name: 'fuzzed', ...(title ? { title } : {}) } }))

const documentRoundTrip: FuzzTarget<ScenarioDocument> = {
  name: 'scenario documents round-trip',
  input: () => validDocument,
  runs: 100,
  check: roundTrip,
}

const shareLinks: FuzzTarget = {
  name: 'share links',
  input: () => fc.oneof(
    validDocument.map((d) => encodeShareFragment(d)),
    damaged([encodeShareFragment(scenarioDocument({ seed: 1, operations: [{ type: 'apply', yaml: seeds.NGINX }] }))], ['A', '-', '_', '=', '%', '#s=', '+', '/'], 4),
    fc.uint8Array({ maxLength: 300 }).map((b) => `#s=${toBase64Url(b)}`),
    fc.string({ maxLength: 100 }).map((s) => `#s=${s}`),
  ),
  runs: 150,
  check(hash) {
    const r = decodeShareFragment(hash)
    if (r.ok) return roundTrip(r.doc) ?? (decodeShareFragment(encodeShareFragment(r.doc)).ok ? undefined : 'its own link is refused')
    return oneLine('link error', r.message)
  },
}

// ------------------------------------------------------------------------------ netfilter inputs

const IPTABLES_WORDS = ['iptables', '-A', '-I', '-D', '-R', '-N', '-X', '-F', '-P', '-S', '-L', '-t', 'nat', 'filter', 'mangle', 'raw',
  'INPUT', 'FORWARD', 'PREROUTING', 'POSTROUTING', 'KUBE-SERVICES', 'KUBE-SVC-X', '-j', '-g', 'ACCEPT', 'DROP', 'REJECT', 'RETURN',
  'DNAT', 'SNAT', 'MASQUERADE', 'MARK', 'LOG', '-p', 'tcp', 'udp', '--dport', '80', '65536', '-s', '10.0.0.0/8', '-d', '300.1.1.1',
  '-m', 'comment', '--comment', '"a b"', 'statistic', '--mode', 'random', '--probability', '0.5', 'conntrack', '--ctstate', 'NEW',
  'mark', '--mark', '0x4000/0x4000', 'set', '--match-set', 'KUBE-CLUSTER-IP', 'dst,dst', '--to-destination', '10.244.1.2:80', '!',
  '*nat', '*filter', 'COMMIT', ':KUBE-X - [0:0]', ':INPUT DROP [1:2]', '[5:6]', '-w', '--noflush', '-c', '\n', '"', "'", '\\', '#']

const iptablesLines: FuzzTarget = {
  name: 'iptables command lines',
  input: () => fc.oneof(wordSoup(IPTABLES_WORDS, 16), damaged(seeds.consoleLines(), IPTABLES_WORDS, 4)),
  runs: 300,
  check(line) {
    const r = runCommandLine(Ruleset.create(), line)
    return Number.isInteger(r.rc) && r.rc >= 0 ? undefined : `exit status ${r.rc}`
  },
}

const iptablesRestore: FuzzTarget = {
  name: 'iptables-restore input',
  input: () => textInput(seeds.iptablesSaves(), IPTABLES_WORDS),
  runs: 80,
  check(text) {
    const rs = Ruleset.create()
    const r = runIptablesRestore(rs, text)
    if (r.rc !== 0) {
      // The tool names the line it stopped at (line N failed, Bad line N, Error occurred at line: N, COMMIT expected at line N),
      // except when a listing (-L, -S) in the batch names a chain that is not there (measured with iptables 1.8.9).
      if (!/line:? \d+|is incompatible, use 'nft' tool/.test(r.err)) return `restore error without a line: ${JSON.stringify(r.err.slice(0, 200))}`
      return undefined
    }
    const saved = runIptablesSave(rs, []).out
    // A quote left open takes the end of the line into the comment; iptables-save then prints a rule over two
    // lines that iptables-restore refuses (measured with iptables 1.8.9, which does the same): no round trip.
    if (saved.split('\n').some((l) => l.startsWith('-A ') && (l.match(/(?<!\\)"/g) ?? []).length % 2 === 1)) return undefined
    const again = Ruleset.create()
    const restored = runIptablesRestore(again, saved)
    if (restored.rc !== 0) return `its own save is refused: ${restored.err.slice(0, 200)}`
    const dates = (s: string) => s.replace(/ on .*$/gm, '')
    return dates(runIptablesSave(again, []).out) === dates(saved) ? undefined : 'save → restore → save differs'
  },
}

const IPSET_WORDS = ['create', 'add', 'del', 'test', 'list', 'save', 'restore', 'flush', 'destroy', 'swap', 'rename', '-exist', '-!',
  'hash:ip', 'hash:ip,port', 'hash:ip,port,ip', 'hash:ip,port,net', 'hash:net', 'bitmap:port', 'family', 'inet', 'inet6', 'hashsize',
  '1024', 'maxelem', '65536', 'comment', '"x"', 'range', '0-65535', 'KUBE-CLUSTER-IP', 'X', '10.96.0.1,tcp:80', '10.0.0.0/8', '300.0.0.1',
  'tcp:80', 'udp:53', '\n', 'timeout', '0']

const ipsetRestore: FuzzTarget = {
  name: 'ipset restore input',
  input: () => textInput(seeds.ipsetSaves(), IPSET_WORDS),
  runs: 120,
  check(text) {
    const store = new IpsetStore()
    const r = runIpset(store, ['restore'], text)
    // ipset 7.17 names the line (Error in line N), except in its usage errors, which end with "Try `ipset
    // help'" (an unknown command or option on a line, measured with ipset restore).
    if (r.rc !== 0) return /Error in line \d+|Try `ipset help' for more information/.test(r.err) ? undefined : `restore error without a line: ${JSON.stringify(r.err.slice(0, 200))}`
    const saved = saveSets(store)
    const again = new IpsetStore()
    const restored = runIpset(again, ['restore'], saved)
    if (restored.rc !== 0) return `its own save is refused: ${restored.err.slice(0, 200)}`
    return saveSets(again) === saved ? undefined : 'save → restore → save differs'
  },
}

const ipsetLines: FuzzTarget = {
  name: 'ipset command lines',
  input: () => wordSoup(IPSET_WORDS, 10),
  runs: 200,
  check(line) {
    const r = runCommandLine(Ruleset.create(), `ipset ${line}`)
    return Number.isInteger(r.rc) && r.rc >= 0 ? undefined : `exit status ${r.rc}`
  },
}

const NFT_WORDS = ['add', 'flush', 'delete', 'table', 'chain', 'set', 'map', 'rule', 'element', 'ip', 'ip6', 'inet', 'kube-proxy', '{', '}',
  ' ; ', 'type', 'nat', 'filter', 'hook', 'prerouting', 'priority', '-100', 'ipv4_addr', '.', 'inet_proto', 'inet_service', ' : ',
  'goto', 'jump', 'services', 'comment', '"x"', 'flags', 'interval', 'timeout', 'vmap', 'ip daddr', 'numgen random mod 2', '\n', '#']

const nftScripts: FuzzTarget = {
  name: 'nft -f input (knftables transactions)',
  input: () => textInput(seeds.nftTransactions(), NFT_WORDS),
  runs: 120,
  check(text) {
    let table
    try {
      parseTransaction(text)
      table = parseDump(text)
    } catch (e) {
      // What the kernel refuses (a flush of a chain that is not there) is the transaction's error.
      if (e instanceof NftTransactionError) return oneLine('nft transaction error', e.message)
      if (!(e instanceof NftParseError)) return threw(e)
      return /^line \d+: /.test(e.message) ? oneLine('nft error', e.message) : `nft error without a line: ${e.message}`
    }
    // A text of comments and blank lines names no table: there is nothing to write back.
    if (table.name === '') return undefined
    const dump = dumpTable(table)
    return dumpTable(parseDump(dump)) === dump ? undefined : 'dump → parse → dump differs'
  },
}

// ------------------------------------------------------------------------------------- the node console

const CONSOLE_WORDS = [...IPTABLES_WORDS, 'sudo', 'ip', 'route', 'get', 'addr', 'a', 'show', 'table', 'local', 'conntrack', '-L', '-F',
  'nft', 'list', 'ruleset', 'ipset', 'ipvsadm', '-Ln', '--stats', 'dmesg', 'sysctl', 'net.ipv4.ip_forward=0', 'history', 'help',
  'iptables-save', 'iptables-restore', 'iptables-legacy', 'clear', '9007199254740993.8.8.8', '0x7f.1', '1.2.3', '|', '>', '&&', ';']

const consoleLines: FuzzTarget = {
  name: 'console command lines',
  input: () => fc.oneof(wordSoup(CONSOLE_WORDS, 10), damaged(seeds.consoleLines(), CONSOLE_WORDS, 4), fc.string({ maxLength: 60 })),
  runs: 300,
  check(line) {
    const r = runConsoleLine(freshNode(), line)
    return Number.isInteger(r.rc) && r.rc >= 0 && typeof r.out === 'string' && typeof r.err === 'string' ? undefined : `odd result ${JSON.stringify(r)}`
  },
}

// -------------------------------------------------------------------------------- kubectl List import

const listImport: FuzzTarget = {
  name: 'kubectl List import',
  input: () => damaged([seeds.kindList()], YAML_WORDS, 5),
  runs: 40,
  check(text) {
    const r = clusterImportOperations(text, 1)
    if (!r.ok) {
      if (r.message.startsWith('YAML error') && !/^YAML error at line \d+, column \d+: /.test(r.message)) return `YAML error without a position: ${r.message}`
      return oneLine('import error', r.message)
    }
    // What the import says recreates the cluster must replay without a refusal.
    const sim = Simulation.create({ seed: 1 })
    for (const [i, op] of r.operations.entries()) {
      try {
        const result = runOperation(sim, op, i)
        if (!result.ok) return oneLine(`operation ${i} (${op.type}) refused`, result.message)
      } catch (e) {
        if (!(e instanceof JourneyError) && !(e instanceof Error && e.name === 'ClusterError')) return `operation ${i} (${op.type}) ${threw(e)}`
      }
    }
    return undefined
  },
}

// -------------------------------------------------------------------------------------- packet specs

const PACKET_WORDS = ['tcp', 'udp', 'icmp', 'sctp', 'TCP', '->', ' -> ', ' ', '10.0.0.2', '10.96.0.10', ':', '80', '0', '65536',
  '40000', '999.1.1.1', '1.2.3', '::1', '-']

const packetSpecs: FuzzTarget = {
  name: 'packet specs (trace-rules --packet)',
  input: () => fc.oneof(wordSoup(PACKET_WORDS, 8), damaged(['tcp 10.0.0.2:40000 -> 10.96.0.10:80', 'icmp 10.0.0.2 -> 10.1.0.2', 'udp 10.0.0.2 -> 10.1.0.2:53'], PACKET_WORDS, 3)),
  runs: 400,
  check(text) {
    try {
      const spec = parsePacketSpec(text)
      return spec.proto !== 'icmp' && spec.dport === undefined ? 'a tcp/udp spec without a port' : undefined
    } catch (e) {
      return e instanceof PacketSpecError ? oneLine('packet spec error', e.message) : threw(e)
    }
  },
}

const ENDPOINT_WORDS = ['kind-worker', 'kind-worker2', 'kind-control-plane', 'default/', 'kube-system/', 'nginx-service', 'kube-dns',
  'kubernetes', 'nginx-deployment-', 'coredns-', 'web', 'client', '10.96.0.1', '172.18.0.100', '172.18.0.2', '10.244.1.2', '0.0.0.0',
  '255.255.255.255', '300.1.1.1', '/', ':', '-', '.', '']

/** What a damaged manifest the API accepts makes of the rest: every mode's rules and a journey to each Service. */
let baseSim: Simulation | undefined
const acceptedManifests: FuzzTarget = {
  name: 'journeys and rules after damaged manifests',
  input: () => damaged(seeds.manifests(), YAML_WORDS, 4),
  runs: 40,
  check(text) {
    baseSim ??= Simulation.create({ seed: 1 })
    const sim = baseSim.clone()
    if (!sim.apply(text).ok) return undefined
    const snapshot = sim.snapshot()
    for (const mode of ['ipvs', 'nftables'] as const) {
      const config = { ...snapshot.kubeProxyConfig, mode }
      if (mode === 'ipvs') applyIpvsSync(newIpvsNodeState(), compileIpvs({ ...snapshot, kubeProxyConfig: config }, 'kind-worker', config))
      else {
        const nft = new NftablesKubeProxy('kind-worker', config)
        nft.loadSnapshot(snapshot)
        nft.sync()
      }
    }
    for (const svc of snapshot.services.slice(0, 4)) {
      for (const port of svc.spec.ports.slice(0, 2)) {
        try {
          sim.sendJourney({ from: 'kind-worker', to: `${svc.metadata.namespace}/${svc.metadata.name}`, port: port.port, proto: port.protocol === 'UDP' ? 'udp' : 'tcp' })
        } catch (e) {
          if (!(e instanceof JourneyError)) return `journey to ${svc.metadata.name}:${port.port} ${threw(e)}`
        }
      }
    }
    return undefined
  },
}

export interface JourneyInput { from: string; to: string; port: number; proto: 'tcp' | 'udp' }

let journeySim: Simulation | undefined
const journeys: FuzzTarget<JourneyInput> = {
  name: 'journey endpoints (--from/--to)',
  input: () => fc.record({
    from: wordSoup(ENDPOINT_WORDS, 3).map((s) => s.replace(/\s/g, '')),
    to: wordSoup(ENDPOINT_WORDS, 3).map((s) => s.replace(/\s/g, '')),
    port: fc.oneof(fc.constantFrom(80, 53, 443, 30080, 9153), fc.integer({ min: 1, max: 65535 })),
    proto: fc.constantFrom('tcp' as const, 'udp' as const),
  }),
  runs: 150,
  check(spec) {
    journeySim ??= seeds.simulation().clone()
    try {
      journeySim.sendJourney(spec)
      return undefined
    } catch (e) {
      return e instanceof JourneyError ? oneLine('journey error', e.message) : threw(e)
    }
  },
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each target's input type is its own
export const TARGETS: FuzzTarget<any>[] = [
  manifests, yamlValues, rawManifests, acceptedManifests, documents, documentRoundTrip, shareLinks, iptablesLines, iptablesRestore, ipsetRestore,
  ipsetLines, nftScripts, consoleLines, listImport, packetSpecs, journeys,
]

/** Runs a check, turning anything it throws into a violation. */
export function checked<T>(target: FuzzTarget<T>, input: T): string | undefined {
  try {
    return target.check(input)
  } catch (e) {
    return threw(e)
  }
}
