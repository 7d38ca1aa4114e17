/**
 * Shell patterns: `*`, `?` and bracket expressions (`[abc]`, `[!a-z]`, `[[:digit:]]`), for pathname
 * expansion against the node's filesystem and for `${name#pattern}`. A backslash makes the next character
 * literal (expansion marks quoted characters that way).
 */
import type { Filesystem } from './filesystem.ts'
import { bracket, RegexError } from './regex.ts'

/** Whether a (backslash-escaped) pattern has an unescaped *, ? or [. */
export function hasGlob(pattern: string): boolean {
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i] === '\\') { i++; continue }
    if ('*?['.includes(pattern[i])) return true
  }
  return false
}

/** Remove the backslashes that mark literal characters. */
export function unescapeGlob(pattern: string): string {
  return pattern.replace(/\\(.)/gs, '$1')
}

/** The regular expression source of a pattern; `pathname`: wildcards do not match `/`. */
export function globSource(pattern: string, pathname = false): string {
  const any = pathname ? '[^/]' : '[\\s\\S]'
  let re = ''
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]
    if (c === '\\' && i + 1 < pattern.length) { re += escapeRe(pattern[++i]); continue }
    if (c === '*') { re += any + '*'; continue }
    if (c === '?') { re += any; continue }
    if (c === '[') {
      const cls = globBracket(pattern, i)
      if (cls) { re += cls.source; i = cls.end; continue }
    }
    re += escapeRe(c)
  }
  return re
}

/** A bracket expression, or undefined when it is not closed (then `[` is literal, as in bash). */
function globBracket(p: string, start: number): { source: string; end: number } | undefined {
  try {
    return bracket(p, start, true)
  } catch (e) {
    if (e instanceof RegexError) return undefined
    throw e
  }
}

export function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
}

export function globRegExp(pattern: string, pathname = false): RegExp {
  return new RegExp(`^${globSource(pattern, pathname)}$`)
}

/**
 * Pathname expansion: the paths matching a pattern, sorted, or [] for none. Relative patterns match
 * relative to cwd and give relative paths. Names starting with `.` match only a pattern starting with `.`.
 */
export function expandPathname(fs: Filesystem, cwd: string, pattern: string): string[] {
  if (pattern.endsWith('/') && pattern.length > 1) {
    // `*/`: directories only, each with its slash.
    return expandPathname(fs, cwd, pattern.replace(/\/+$/, ''))
      .filter((p) => fs.isDir(normal(p.startsWith('/') ? p : `${cwd}/${p}`)))
      .map((p) => p + '/')
  }
  const absolute = pattern.startsWith('/')
  const segments = pattern.split('/').filter((s, i) => s !== '' || i === 0)
  let paths: string[] = [absolute ? '' : '.']
  for (const seg of absolute ? segments.slice(1) : segments) {
    const next: string[] = []
    for (const p of paths) {
      const dir = p === '' ? '/' : p === '.' ? cwd : p.startsWith('/') ? p : `${cwd}/${p}`
      const join = (name: string) => (p === '' ? `/${name}` : p === '.' ? name : `${p}/${name}`)
      if (!hasGlob(seg)) {
        const name = unescapeGlob(seg)
        const full = dir === '/' ? `/${name}` : `${dir}/${name}`
        if (fs.stat(normal(full))) next.push(join(name))
        continue
      }
      if (!fs.isDir(normal(dir))) continue
      const re = globRegExp(seg, true)
      for (const name of fs.list(normal(dir))) {
        if (name.startsWith('.') && !seg.startsWith('.')) continue
        if (re.test(name)) next.push(join(name))
      }
    }
    paths = next
  }
  return paths.filter((p) => p !== '.' && p !== '').sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
}

function normal(path: string): string {
  const parts: string[] = []
  for (const s of path.split('/')) {
    if (s === '' || s === '.') continue
    if (s === '..') parts.pop()
    else parts.push(s)
  }
  return '/' + parts.join('/')
}
