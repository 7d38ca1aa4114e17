import { readFileSync } from 'node:fs'

/** What a command may touch: output streams and files. Tests pass a recording implementation. */
export interface CliIO {
  out(text: string): void
  err(text: string): void
  readFile(path: string): string
}

export function nodeIO(): CliIO {
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    readFile: (path) => readFileSync(path, 'utf8'),
  }
}

/** An in-memory CliIO for tests: collects what a command prints. */
export function recordingIO(files: Record<string, string> = {}): CliIO & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    out(text: string) { io.stdout += text },
    err(text: string) { io.stderr += text },
    readFile(path: string) {
      if (path in files) return files[path]
      return readFileSync(path, 'utf8')
    },
  }
  return io
}
