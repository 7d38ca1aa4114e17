/**
 * Regenerates fixtures.json: every line of cases.ts run in the real bash with the real tools (see
 * real-bash.ts). Needs bash, GNU coreutils, grep, sed and gawk.
 *
 *   npx tsx test/shell-conformance/generate.ts          # all lines
 *   npx tsx test/shell-conformance/generate.ts TEXT...  # print the lines containing TEXT (exploring)
 */
import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { FILES, LINES } from './cases.ts'
import { missingTool, runInRealBash } from './real-bash.ts'

const here = dirname(fileURLToPath(import.meta.url))
const missing = missingTool()
if (missing) {
  console.error(`generate: ${missing} is not installed`)
  process.exit(2)
}
const only = process.argv.slice(2)
if (only.length > 0) {
  for (const line of LINES.filter((l) => only.some((o) => l.includes(o)))) {
    const r = runInRealBash(line, FILES)
    console.log(`$ ${line}\n${r.out}${r.err ? `[err] ${r.err}` : ''}[rc ${r.rc}]`)
  }
} else {
  const version = (cmd: string) => spawnSync(cmd, ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0]
  const fixture = {
    generatedWith: ['bash', 'grep', 'sed', 'gawk', 'sort'].map(version),
    cases: LINES.map((line) => ({ line, ...runInRealBash(line, FILES) })),
  }
  writeFileSync(join(here, 'fixtures.json'), JSON.stringify(fixture, null, 1) + '\n')
  console.log(`wrote ${fixture.cases.length} command lines`)
}
