/**
 * Runs a command line in the real bash (non-interactive, `bash -c`, C locale, a clean environment) in a
 * fresh temporary directory holding the case files, with `awk` meaning gawk. stderr is brought to the
 * form the interactive console shows: `bash: line 1: ` and `bash: -c: line 1: ` become `bash: `, and the
 * echo of the offending line bash -c adds after a syntax error is dropped.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

export interface RealResult {
  rc: number
  out: string
  err: string
}

/** The programs the recorded lines run. */
export const REAL_TOOLS = ['bash', 'gawk', 'grep', 'sed', 'sort', 'wc', 'head', 'cut', 'uniq', 'tr', 'seq', 'xargs', 'tee', 'printf', 'diff']

/** Which needed tool is missing, or undefined when all are there. */
export function missingTool(): string | undefined {
  for (const t of REAL_TOOLS) {
    const r = spawnSync('sh', ['-c', `command -v ${t}`], { encoding: 'utf8' })
    if (r.status !== 0) return t
  }
  return undefined
}

export function normaliseStderr(err: string): string {
  return err
    .split('\n')
    .filter((l) => !/^bash: -c: line \d+: `.*'$/.test(l))
    .map((l) => l.replace(/^bash: (-c: )?line \d+: /, 'bash: '))
    .join('\n')
}

export function runInRealBash(line: string, files: Record<string, string>): RealResult {
  const dir = mkdtempSync(join(tmpdir(), 'shell-conformance-'))
  try {
    const bin = join(dir, '.bin')
    mkdirSync(bin)
    const gawk = spawnSync('sh', ['-c', 'command -v gawk'], { encoding: 'utf8' }).stdout.trim()
    symlinkSync(gawk, join(bin, 'awk'))
    const work = join(dir, 'work')
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(join(work, dirname(name)), { recursive: true })
      writeFileSync(join(work, name), text)
    }
    const r = spawnSync('bash', ['--norc', '--noprofile', '-c', line], {
      cwd: work, encoding: 'utf8', input: '',
      env: { PATH: `${bin}:/usr/local/bin:/usr/bin:/bin`, LC_ALL: 'C', HOME: '/root' },
    })
    return { rc: r.status ?? -1, out: r.stdout, err: normaliseStderr(r.stderr) }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
