import js from '@eslint/js'
import globals from 'globals'
import reactHooks from 'eslint-plugin-react-hooks'
import tseslint from 'typescript-eslint'

const uiLibraries = ['react', 'react-dom', 'react-dom/*', 'react/*', 'zustand', 'zustand/*', '@xyflow/*', 'zundo',
  'codemirror', '@codemirror/*']

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'test-results', 'playwright-report'] },
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
