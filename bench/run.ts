/**
 * `npm run bench`: runs every bench/*.bench.ts and prints its figures. A bench file exports
 * `name: string` and `run(): Promise<string[]> | string[]` returning printable lines.
 */
import { readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

interface BenchModule {
  name?: string
  run(): Promise<string[]> | string[]
}

async function main(): Promise<number> {
  const dir = dirname(fileURLToPath(import.meta.url))
  const only = process.argv.slice(2)
  const files = readdirSync(dir).filter((f) => f.endsWith('.bench.ts')).sort()
    .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  if (files.length === 0) {
    console.log('no bench/*.bench.ts files found')
    return 0
  }
  let failed = 0
  for (const f of files) {
    const mod = (await import(pathToFileURL(join(dir, f)).href)) as BenchModule
    const title = mod.name ?? f
    console.log(`\n## ${title} (${f})`)
    try {
      const lines = await mod.run()
      for (const l of lines) console.log(l)
    } catch (e) {
      failed++
      console.log(`FAILED: ${(e as Error).stack ?? e}`)
    }
  }
  return failed ? 1 : 0
}

main().then((code) => { process.exitCode = code })
