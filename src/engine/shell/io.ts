/**
 * Where a command's output goes and where its input comes from: the terminal, a pipe, a file in the
 * node's filesystem, /dev/null. Commands run one after the other (a pipeline's left side has finished when
 * its right side starts), so a pipe is a buffer and standard input a string read once.
 */
import { FsError, type Filesystem } from './filesystem.ts'

/** A write the file refused (a virtual file's EINVAL): `write error: Invalid argument`, as bash says. */
export class WriteError extends Error {}

export interface Sink {
  write(text: string): void
  /** Output to a terminal (ls prints columns there, one name per line elsewhere). */
  readonly terminal: boolean
}

export interface Source {
  /** The rest of the input; a second read gets what came after (nothing, for text already read). */
  read(): string
  /** The next line without its newline (`newline`: one ended it), or undefined at the end (`read`). */
  readLine(): { text: string; newline: boolean } | undefined
  /** Input redirected from a regular file (`< FILE`). */
  readonly regularFile?: boolean
}

export interface Io {
  stdin: Source
  stdout: Sink
  stderr: Sink
}

export class BufferSink implements Sink {
  text = ''
  constructor(readonly terminal = false) {}
  write(text: string): void {
    this.text += text
  }
}

export const NULL_SINK: Sink = { write() {}, terminal: false }

export class StringSource implements Source {
  constructor(private text: string, readonly regularFile = false) {}
  read(): string {
    const t = this.text
    this.text = ''
    return t
  }
  readLine(): { text: string; newline: boolean } | undefined {
    if (this.text === '') return undefined
    const i = this.text.indexOf('\n')
    const text = i < 0 ? this.text : this.text.slice(0, i)
    this.text = i < 0 ? '' : this.text.slice(i + 1)
    return { text, newline: i >= 0 }
  }
}

export const EMPTY_SOURCE: Source = { read: () => '', readLine: () => undefined }

/** Appends to a file of the node's filesystem (opening with `>` has truncated it already). */
export class FileSink implements Sink {
  readonly terminal = false
  constructor(private readonly fs: Filesystem, private readonly path: string, private readonly mtime: () => number) {}
  write(text: string): void {
    try {
      this.fs.writeFile(this.path, text, this.mtime(), true)
    } catch (e) {
      if (e instanceof FsError) throw new WriteError(`write error: ${e.message}`)
      throw e
    }
  }
}
