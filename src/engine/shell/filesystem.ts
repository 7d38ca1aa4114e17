/**
 * A node's in-memory filesystem: directories and text files, the few device files shells use
 * (/dev/null, /dev/stdin, /dev/stdout, /dev/stderr), and virtual files the node mounts (/proc/sys/…). Paths are absolute and normalised by
 * `resolve`. It is part of the node's state: `clone()` gives an independent copy (the Host clones it with
 * itself). Errors are FsError with the errno text the tools print ("No such file or directory").
 */

export type FsErrorCode = 'ENOENT' | 'EISDIR' | 'ENOTDIR' | 'EEXIST' | 'ENOTEMPTY' | 'EINVAL'

const ERRNO_TEXT: Record<FsErrorCode, string> = {
  ENOENT: 'No such file or directory',
  EISDIR: 'Is a directory',
  ENOTDIR: 'Not a directory',
  EEXIST: 'File exists',
  ENOTEMPTY: 'Directory not empty',
  EINVAL: 'Invalid argument',
}

export class FsError extends Error {
  constructor(readonly code: FsErrorCode, readonly path: string) {
    super(ERRNO_TEXT[code])
  }
}

export type FsEntry =
  | { kind: 'dir'; mtime: number }
  | { kind: 'file'; data: string; mtime: number }
  | { kind: 'device'; mtime: number }

/** The directories a node starts with; /root is the home and first working directory. */
const SKELETON = ['/', '/dev', '/etc', '/root', '/tmp', '/var', '/var/log', '/proc', '/usr', '/usr/bin', '/home']
const DEVICES = ['/dev/null', '/dev/stdin', '/dev/stdout', '/dev/stderr']

/** A file whose text the node makes (/proc/sys/…): read gives the current value, write sets it. */
export interface VirtualFile {
  read(): string
  /** Throws FsError (EINVAL) for a value the kernel refuses. */
  write(text: string): void
}

export class Filesystem {
  /** Virtual files by path; not part of clone(): their owner mounts them again on the copy. */
  private readonly mounts = new Map<string, VirtualFile>()

  private constructor(private readonly entries: Map<string, FsEntry>) {}

  /** Put a virtual file at `path` (its directories are made); it lists as an empty file, as /proc does. */
  mount(path: string, file: VirtualFile): void {
    this.mkdir(parentOf(path), 0, true)
    if (!this.entries.has(path)) this.entries.set(path, { kind: 'file', data: '', mtime: 0 })
    this.mounts.set(path, file)
  }

  /** A node's filesystem at boot: the skeleton directories, /etc/hostname, the device files. */
  static create(hostname: string, mtime = 0): Filesystem {
    const fs = new Filesystem(new Map())
    for (const d of SKELETON) fs.entries.set(d, { kind: 'dir', mtime })
    for (const d of DEVICES) fs.entries.set(d, { kind: 'device', mtime })
    fs.entries.set('/etc/hostname', { kind: 'file', data: `${hostname}\n`, mtime })
    return fs
  }

  clone(): Filesystem {
    return new Filesystem(new Map([...this.entries].map(([k, v]) => [k, { ...v }])))
  }

  /** An absolute, normalised path (`.`, `..` and repeated slashes resolved) of `path` seen from `cwd`. */
  static resolve(cwd: string, path: string): string {
    const parts: string[] = []
    for (const p of (path.startsWith('/') ? path : `${cwd}/${path}`).split('/')) {
      if (p === '' || p === '.') continue
      if (p === '..') parts.pop()
      else parts.push(p)
    }
    return '/' + parts.join('/')
  }

  stat(path: string): FsEntry | undefined {
    return this.entries.get(path)
  }

  isDir(path: string): boolean {
    return this.entries.get(path)?.kind === 'dir'
  }

  /** The text of a file; /dev/null reads empty. */
  readFile(path: string): string {
    const mounted = this.mounts.get(path)
    if (mounted) return mounted.read()
    const e = this.entries.get(path)
    if (!e) throw new FsError(this.parentProblem(path) ?? 'ENOENT', path)
    if (e.kind === 'dir') throw new FsError('EISDIR', path)
    if (e.kind === 'device') return ''
    return e.data
  }

  /** Write (or append to) a file, creating it; writes to /dev/null vanish. */
  writeFile(path: string, data: string, mtime: number, append = false): void {
    const mounted = this.mounts.get(path)
    if (mounted) {
      // Opening with O_TRUNC writes nothing; the value arrives with the write.
      if (data !== '') mounted.write(data)
      return
    }
    const e = this.entries.get(path)
    if (e?.kind === 'device') return
    if (e?.kind === 'dir') throw new FsError('EISDIR', path)
    const problem = this.parentProblem(path)
    if (problem) throw new FsError(problem, path)
    this.entries.set(path, { kind: 'file', data: append && e?.kind === 'file' ? e.data + data : data, mtime })
  }

  /** touch: create an empty file or update the time of an existing entry. */
  touch(path: string, mtime: number): void {
    const e = this.entries.get(path)
    if (e) { e.mtime = mtime; return }
    this.writeFile(path, '', mtime)
  }

  mkdir(path: string, mtime: number, parents = false): void {
    const e = this.entries.get(path)
    if (e) {
      if (parents && e.kind === 'dir') return
      throw new FsError('EEXIST', path)
    }
    const parent = parentOf(path)
    if (!this.entries.has(parent) && parents) this.mkdir(parent, mtime, true)
    const problem = this.parentProblem(path)
    if (problem) throw new FsError(problem, path)
    this.entries.set(path, { kind: 'dir', mtime })
  }

  /** rm: a file, or (recursive) a directory and everything under it; rmdir-like for empty dirs. */
  remove(path: string, options: { recursive?: boolean; dir?: boolean } = {}): void {
    const e = this.entries.get(path)
    if (!e) throw new FsError(this.parentProblem(path) ?? 'ENOENT', path)
    if (e.kind === 'dir') {
      if (options.recursive) {
        for (const k of [...this.entries.keys()]) if (k.startsWith(path === '/' ? '/' : path + '/')) this.entries.delete(k)
      } else if (options.dir) {
        if (this.list(path).length > 0) throw new FsError('ENOTEMPTY', path)
      } else {
        throw new FsError('EISDIR', path)
      }
    }
    if (path !== '/') this.entries.delete(path)
  }

  /** Names directly inside a directory, sorted as `ls` sorts them in the C locale. */
  list(path: string): string[] {
    const e = this.entries.get(path)
    if (!e) throw new FsError('ENOENT', path)
    if (e.kind !== 'dir') throw new FsError('ENOTDIR', path)
    const prefix = path === '/' ? '/' : path + '/'
    const names: string[] = []
    for (const k of this.entries.keys()) {
      if (k !== path && k.startsWith(prefix) && !k.slice(prefix.length).includes('/')) names.push(k.slice(prefix.length))
    }
    return names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  }

  /** Move an entry (and, for a directory, what is under it). */
  rename(from: string, to: string): void {
    const e = this.entries.get(from)
    if (!e) throw new FsError('ENOENT', from)
    const problem = this.parentProblem(to)
    if (problem) throw new FsError(problem, to)
    const moved = [...this.entries].filter(([k]) => k === from || k.startsWith(from + '/'))
    for (const [k] of moved) this.entries.delete(k)
    for (const [k, v] of moved) this.entries.set(to + k.slice(from.length), v)
  }

  /** Why a path's parent cannot hold it: missing (ENOENT) or not a directory (ENOTDIR). */
  private parentProblem(path: string): FsErrorCode | undefined {
    const parts = path.split('/').filter(Boolean)
    let cur = ''
    for (const p of parts.slice(0, -1)) {
      cur += '/' + p
      const e = this.entries.get(cur)
      if (!e) return 'ENOENT'
      if (e.kind !== 'dir') return 'ENOTDIR'
    }
    return undefined
  }
}

export function parentOf(path: string): string {
  const i = path.lastIndexOf('/')
  return i <= 0 ? '/' : path.slice(0, i)
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1)
}
