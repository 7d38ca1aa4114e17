/**
 * The engine's modules form layers: no module imports (even only a type from) a module that imports it back,
 * however long the way round. Reads every import and export-from of src/engine (tests aside) and looks for
 * a cycle, as `npx madge --circular --extensions ts src/engine` does.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const ENGINE = resolve(import.meta.dirname, '..', '..', 'src', 'engine')
const IMPORT = /^\s*(?:import|export)\b[^'"]*?\bfrom\s+'(\.[^']+)'/gm

function modules(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name)
    if (e.isDirectory()) return modules(path)
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [path] : []
  })
}

function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>()
  for (const file of modules(ENGINE)) {
    const targets = [...readFileSync(file, 'utf8').matchAll(IMPORT)].map((m) => resolve(dirname(file), m[1]))
    graph.set(file, targets.filter((t) => t.startsWith(ENGINE) && t.endsWith('.ts')))
  }
  return graph
}

/** The first cycle found (module paths, the first repeated at the end), or undefined. */
function findCycle(graph: Map<string, string[]>): string[] | undefined {
  const done = new Set<string>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const visit = (node: string): string[] | undefined => {
    if (onStack.has(node)) return [...stack.slice(stack.indexOf(node)), node]
    if (done.has(node)) return undefined
    stack.push(node)
    onStack.add(node)
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next)
      if (cycle) return cycle
    }
    stack.pop()
    onStack.delete(node)
    done.add(node)
    return undefined
  }
  for (const node of graph.keys()) {
    const cycle = visit(node)
    if (cycle) return cycle
  }
  return undefined
}

describe('src/engine imports', () => {
  it('have no cycle', () => {
    const graph = importGraph()
    expect(graph.size).toBeGreaterThan(150)
    const cycle = findCycle(graph)
    expect(cycle?.map((f) => relative(ENGINE, f)).join(' → ')).toBeUndefined()
  })

  it('would show a cycle if there were one (the check reads imports)', () => {
    const a = join(ENGINE, 'a.ts')
    const b = join(ENGINE, 'b.ts')
    expect(findCycle(new Map([[a, [b]], [b, [a]]]))).toEqual([a, b, a])
  })
})
