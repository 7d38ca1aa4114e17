import { describe, expect, it } from 'vitest'
import { Filesystem, FsError } from './filesystem.ts'

describe('node filesystem', () => {
  it('starts with the skeleton a node has, /root as home', () => {
    const fs = Filesystem.create('kind-worker')
    expect(fs.list('/')).toEqual(['dev', 'etc', 'home', 'proc', 'root', 'tmp', 'usr', 'var'])
    expect(fs.list('/var')).toEqual(['log'])
    expect(fs.readFile('/etc/hostname')).toBe('kind-worker\n')
    expect(fs.readFile('/dev/null')).toBe('')
  })

  it('resolves paths as the kernel does (. .. and repeated slashes)', () => {
    expect(Filesystem.resolve('/root', 'a/./b/../c')).toBe('/root/a/c')
    expect(Filesystem.resolve('/root', '../../..//tmp/')).toBe('/tmp')
    expect(Filesystem.resolve('/tmp', '/etc//hostname')).toBe('/etc/hostname')
  })

  it('writes, appends, makes directories and removes', () => {
    const fs = Filesystem.create('n')
    fs.writeFile('/tmp/a', 'x\n', 1)
    fs.writeFile('/tmp/a', 'y\n', 2, true)
    expect(fs.readFile('/tmp/a')).toBe('x\ny\n')
    fs.mkdir('/tmp/d/e/f', 3, true)
    expect(fs.isDir('/tmp/d/e')).toBe(true)
    fs.writeFile('/tmp/d/e/f/g', '', 4)
    fs.remove('/tmp/d', { recursive: true })
    expect(fs.stat('/tmp/d/e/f/g')).toBeUndefined()
    fs.writeFile('/dev/null', 'gone', 5)
    expect(fs.readFile('/dev/null')).toBe('')
  })

  it('fails with the errno texts the tools print', () => {
    const fs = Filesystem.create('n')
    const code = (f: () => void) => {
      try { f() } catch (e) { return (e as FsError).code + ': ' + (e as FsError).message }
      return 'no error'
    }
    expect(code(() => fs.readFile('/nope'))).toBe('ENOENT: No such file or directory')
    expect(code(() => fs.readFile('/tmp'))).toBe('EISDIR: Is a directory')
    expect(code(() => fs.writeFile('/tmp/x/y', '', 0))).toBe('ENOENT: No such file or directory')
    fs.writeFile('/tmp/f', '', 0)
    expect(code(() => fs.writeFile('/tmp/f/y', '', 0))).toBe('ENOTDIR: Not a directory')
    expect(code(() => fs.mkdir('/tmp', 0))).toBe('EEXIST: File exists')
    expect(code(() => fs.remove('/tmp'))).toBe('EISDIR: Is a directory')
  })

  it('clones into an independent copy', () => {
    const fs = Filesystem.create('n')
    fs.writeFile('/root/notes', 'one\n', 0)
    const copy = fs.clone()
    copy.writeFile('/root/notes', 'two\n', 1)
    copy.touch('/root/new', 1)
    expect(fs.readFile('/root/notes')).toBe('one\n')
    expect(fs.stat('/root/new')).toBeUndefined()
    expect(copy.readFile('/root/notes')).toBe('two\n')
  })
})
