/** The simulated side: a fresh node shell (non-interactive, as bash -c) with the case files in its home. */
import { Filesystem } from '../../src/engine/shell/filesystem.ts'
import { runShell, ShellState } from '../../src/engine/shell/shell.ts'
import { HOME } from '../../src/engine/shell/state.ts'

export function runSimulated(line: string, files: Record<string, string>): { rc: number; out: string; err: string } {
  const state = ShellState.create('node')
  for (const [name, text] of Object.entries(files)) {
    const path = Filesystem.resolve(HOME, name)
    state.fs.mkdir(path.slice(0, path.lastIndexOf('/')), 0, true)
    state.fs.writeFile(path, text, 0)
  }
  return runShell(state, line, { hostname: 'node', interactive: false })
}
