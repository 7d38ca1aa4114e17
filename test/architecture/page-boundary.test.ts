/**
 * The page never runs the engine on its main thread: the layers rule in eslint.config.js lets src/state,
 * src/ui and src/main.tsx import from src/engine at runtime only the pure modules of PAGE_ENGINE_MODULES
 * (and from src/worker only PAGE_WORKER_MODULES). These tests check that the allow-list holds what it says
 * (pure modules that import nothing else of the engine), that nothing else of the engine is in what the
 * page loads, and that the rule itself refuses a runtime import while letting a type import through.
 */
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ESLint } from 'eslint'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'
import { PAGE_ENGINE_MODULES, PAGE_WORKER_MODULES } from '../../eslint.config.js'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')

interface RuntimeImport {
  /** Repository-relative path of a source file, or the package name. */
  target: string
  dynamic: boolean
}

/** The imports of a file that remain at runtime (a whole `import type` / `export type` declaration does not). */
function runtimeImports(file: string): RuntimeImport[] {
  const source = ts.createSourceFile(file, readFileSync(join(root, file), 'utf8'), ts.ScriptTarget.Latest, true)
  const found: RuntimeImport[] = []
  const add = (specifier: string, dynamic: boolean) => {
    if (!specifier.startsWith('.')) {
      found.push({ target: specifier, dynamic })
      return
    }
    const path = relative(root, resolve(dirname(join(root, file)), specifier.replace(/\?.*$/, '')))
    if (/\.tsx?$/.test(path) && existsSync(join(root, path))) found.push({ target: path, dynamic })
  }
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && !node.importClause?.isTypeOnly) add((node.moduleSpecifier as ts.StringLiteral).text, false)
    else if (ts.isExportDeclaration(node) && node.moduleSpecifier && !node.isTypeOnly) add((node.moduleSpecifier as ts.StringLiteral).text, false)
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && ts.isStringLiteral(node.arguments[0])) add(node.arguments[0].text, true)
    ts.forEachChild(node, visit)
  }
  visit(source)
  return found
}

/** Every source file reached from `start` through runtime imports, not going past `stopAt`. */
function reachable(start: string, stopAt: (file: string) => boolean): Set<string> {
  const seen = new Set<string>()
  const todo = [start]
  while (todo.length > 0) {
    const file = todo.pop()!
    if (seen.has(file)) continue
    seen.add(file)
    if (stopAt(file)) continue
    for (const i of runtimeImports(file)) if (i.target.startsWith('src/')) todo.push(i.target)
  }
  return seen
}

// The one way past the worker: where a platform has no Web Workers (unit tests under happy-dom), the client
// runs the engine in-process, imported on demand into a chunk of its own.
const fallback = 'src/worker/in-process-client.ts'
/** What the page loads (its bundle and its lazily loaded parts), short of that fallback. */
const page = reachable('src/main.tsx', (file) => file === fallback)

describe('the engine modules the page may import (PAGE_ENGINE_MODULES)', () => {
  it('import nothing of the engine at runtime but each other, and no package but yaml', () => {
    for (const file of PAGE_ENGINE_MODULES) {
      for (const i of runtimeImports(file)) {
        if (i.target.startsWith('src/')) expect(PAGE_ENGINE_MODULES, `${file} imports ${i.target}`).toContain(i.target)
        else expect(i.target, `${file} imports the package ${i.target}`).toBe('yaml')
      }
    }
  })

  it('are each loaded by the page (the list holds nothing it does not need)', () => {
    for (const file of PAGE_ENGINE_MODULES) expect(page, file).toContain(file)
  })
})

describe('what the page loads', () => {
  it('holds no engine module but the pure ones, and of the worker only its client and message helpers', () => {
    const engine = [...page].filter((f) => f.startsWith('src/engine/')).sort()
    const worker = [...page].filter((f) => f.startsWith('src/worker/') && f !== fallback).sort()
    expect(engine.filter((f) => !PAGE_ENGINE_MODULES.includes(f))).toEqual([])
    expect(worker.filter((f) => !PAGE_WORKER_MODULES.includes(f))).toEqual([])
  })

  it('reaches the in-process engine only by a dynamic import from the worker client', () => {
    const importers = [...page].filter((f) => runtimeImports(f).some((i) => i.target === fallback))
    expect(importers).toEqual(['src/worker/engine-client.ts'])
    expect(runtimeImports('src/worker/engine-client.ts').find((i) => i.target === fallback)?.dynamic).toBe(true)
  })
})

describe('the layers rule (eslint.config.js)', () => {
  const eslint = new ESLint({ cwd: root })
  const problems = async (code: string, filePath = 'src/state/probe.ts') =>
    (await eslint.lintText(code, { filePath: join(root, filePath) }))[0].messages.map((m) => `${m.ruleId}: ${m.message.split(':')[0]}`)

  it('refuses a runtime import of engine code from the page, and names the module', async () => {
    expect(await problems("import { Cluster } from '../engine/cluster/cluster.ts'\nexport const c = Cluster\n"))
      .toEqual(['layers/page-runtime-imports: ../engine/cluster/cluster.ts'])
    expect(await problems("export const load = () => import('../../engine/journeys/transcript.ts')\n", 'src/ui/export/probe.ts'))
      .toEqual(['layers/page-runtime-imports: ../../engine/journeys/transcript.ts'])
    expect(await problems("import { EngineSession } from '../worker/engine-session.ts'\nexport const s = EngineSession\n"))
      .toEqual(['layers/page-runtime-imports: ../worker/engine-session.ts'])
  })

  it('lets through type imports, the pure modules, and tests (which run in Node)', async () => {
    expect(await problems("import type { Cluster } from '../engine/cluster/cluster.ts'\nexport type C = Cluster\n")).toEqual([])
    expect(await problems("import { PROXY_MODES } from '../engine/kube-proxy/proxy-modes.ts'\nexport const m = PROXY_MODES\n")).toEqual([])
    expect(await problems("import { Cluster } from '../engine/cluster/cluster.ts'\nexport const c = Cluster\n", 'src/state/probe.test.ts')).toEqual([])
  })

  it('keeps the scenario written by the edit queue alone', async () => {
    expect(await problems("import { useAppStore } from './store.ts'\nuseAppStore.setState({ scenario: { seed: 1, operations: [] } })\n"))
      .toEqual(['no-restricted-syntax: The scenario changes only in its turn of the edit queue'])
  })
})
