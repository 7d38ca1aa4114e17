import { dirname, relative, resolve } from 'node:path'
import js from '@eslint/js'
import globals from 'globals'
import reactHooks from 'eslint-plugin-react-hooks'
import tseslint from 'typescript-eslint'

const uiLibraries = ['react', 'react-dom', 'react-dom/*', 'react/*', 'zustand', 'zustand/*', '@xyflow/*', 'zundo',
  'codemirror', '@codemirror/*']

/**
 * The page never runs the engine on its main thread: src/state, src/ui and src/main.tsx reach it through
 * the worker client. Type imports from anywhere are fine (they vanish from the bundle); at runtime the page
 * may import from src/engine only these pure modules — data and small formatters with no engine code
 * behind them. test/architecture/page-boundary.test.ts checks that they import nothing else of the engine and
 * that nothing else of it reaches the page's bundle.
 */
export const PAGE_ENGINE_MODULES = [
  // kube-proxy's modes (ProxyMode, PROXY_MODES): the mode switch, the compare view, the chart's legend.
  'src/engine/kube-proxy/proxy-modes.ts',
  // The tables at each netfilter hook, in kernel order: the player's pipeline, the rules view's first chain.
  'src/engine/netfilter/hook-tables.ts',
  // A manifest error's one text (formatManifestError): the editor's gutter and the list under it.
  'src/engine/cluster/manifest-error.ts',
  // The scenario document format: YAML/JSON to plain data with line and column errors, and back. Share links,
  // lessons, embeds, imports and exports are documents the page reads or writes; no cluster is built.
  'src/engine/scenario/document.ts',
  // A pasted iptables-save checked for its tables and COMMIT, wrapped as an iptables-restore console step.
  'src/engine/scenario/import-iptables.ts',
  // The document format's helper: the YAML node at a field path (an error's line and column).
  'src/engine/scenario/yaml-node-at-path.ts',
  // The one bounded YAML reader the document format reads with (nesting and alias limits, positions), and its
  // conversion of a YAML node to plain data: text to data, no engine behind it.
  'src/engine/yaml/parse-yaml.ts',
  'src/engine/yaml/yaml-value.ts',
  // The cap on a send's packet count, which the document format checks before anything is replayed.
  'src/engine/journeys/send-limit.ts',
]

/**
 * What the page may import at runtime from src/worker: the client that talks to the worker and the pure
 * helpers of its messages (operation descriptions, the mode-switch manifest); never the session behind it.
 */
export const PAGE_WORKER_MODULES = ['src/worker/engine-client.ts', 'src/worker/operations.ts', 'src/worker/compare-protocol.ts']

/** The layers rule: a runtime import from src/state, src/ui or src/main.tsx into src/engine or src/worker. */
const layers = {
  rules: {
    'page-runtime-imports': {
      meta: {
        type: 'problem',
        schema: [],
        messages: {
          engine: "{{source}}: the page never runs the engine on its main thread. Ask the worker (src/worker/engine-client.ts), import types only (import type), or, for pure data, add the module to PAGE_ENGINE_MODULES in eslint.config.js.",
          worker: "{{source}}: the page reaches the worker through src/worker/engine-client.ts (and its message helpers, PAGE_WORKER_MODULES); import types only otherwise.",
        },
      },
      create(context) {
        const root = context.cwd
        const check = (node, source) => {
          if (typeof source !== 'string' || !source.startsWith('.')) return
          const target = relative(root, resolve(dirname(context.filename), source)).split('\\').join('/')
          if (target.startsWith('src/engine/') && !PAGE_ENGINE_MODULES.includes(target)) context.report({ node, messageId: 'engine', data: { source } })
          if (target.startsWith('src/worker/') && !PAGE_WORKER_MODULES.includes(target)) context.report({ node, messageId: 'worker', data: { source } })
        }
        return {
          // Only a whole `import type` declaration is erased: with verbatimModuleSyntax, `import { type X }` stays.
          ImportDeclaration: (node) => { if (node.importKind !== 'type') check(node, node.source.value) },
          ExportNamedDeclaration: (node) => { if (node.source && node.exportKind !== 'type') check(node, node.source.value) },
          ExportAllDeclaration: (node) => { if (node.exportKind !== 'type') check(node, node.source.value) },
          ImportExpression: (node) => { if (node.source.type === 'Literal') check(node, node.source.value) },
        }
      },
    },
  },
}

export default tseslint.config(
  { ignores: ['dist', 'dist-cli', 'dist-single', 'node_modules', 'test-results', 'playwright-report'] },
  {
    files: ['**/*.{ts,tsx}'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    languageOptions: { ecmaVersion: 2023, globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/**/*.tsx', 'src/ui/**/*.ts', 'src/state/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'warn' },
  },
  {
    // The page's layers (state, ui): the engine only through the worker or PAGE_ENGINE_MODULES, and the
    // scenario written only by the edit queue (src/state/actions.ts), so no edit overwrites another.
    // Tests and test support run in Node and may drive the engine directly.
    files: ['src/state/**/*.{ts,tsx}', 'src/ui/**/*.{ts,tsx}', 'src/main.tsx'],
    ignores: ['src/**/*.test.{ts,tsx}', 'src/**/test-support/**'],
    plugins: { layers },
    rules: {
      'layers/page-runtime-imports': 'error',
      'no-restricted-syntax': ['error', {
        selector: "CallExpression[callee.object.name='useAppStore'][callee.property.name='setState'] > ObjectExpression > Property[key.name='scenario']",
        message: 'The scenario changes only in its turn of the edit queue: use replaceScenario() or tryOperation() from src/state/actions.ts.',
      }],
    },
  },
  {
    // The engine is plain TypeScript: it must run in Node and in a Web Worker, so it may not reach
    // for UI libraries, Node built-ins, or code outside src/engine.
    files: ['src/engine/**/*.ts'],
    ignores: ['src/engine/**/*.test.ts', 'src/engine/**/test-support/**'],
    rules: { 'no-restricted-imports': engineImports('../../../*') },
  },
  {
    // The kube-proxy mode folders sit a level deeper (src/engine/kube-proxy/modes/NAME/): src/ is ../../../../ there.
    files: ['src/engine/*/*/*/*.ts'],
    ignores: ['src/engine/**/*.test.ts', 'src/engine/**/test-support/**'],
    rules: { 'no-restricted-imports': engineImports('../../../../*') },
  },
)

/** What src/engine may not import; `outside` is the relative path that leaves src/engine from the files it applies to. */
function engineImports(outside) {
  return ['error', {
    patterns: [
      { group: uiLibraries, message: 'src/engine is plain TypeScript: no UI libraries.' },
      { group: ['node:*', 'fs', 'path', 'os', 'child_process', 'crypto'], message: 'src/engine runs in a Web Worker too: no Node built-ins.' },
      { group: ['**/ui/**', '**/state/**', '**/worker/**', outside], message: 'src/engine may not import from outside src/engine.' },
    ],
  }]
}
