import { describe, expect, it } from 'vitest'
import { parseShell, ShellSyntaxError } from './parser.ts'

function errorOf(source: string): ShellSyntaxError {
  try {
    parseShell(source)
  } catch (e) {
    if (e instanceof ShellSyntaxError) return e
    throw e
  }
  throw new Error(`no error for ${source}`)
}

describe('shell parser', () => {
  it('builds lists, pipelines, assignments and redirections', () => {
    const { list } = parseShell('X=1 grep -c KUBE < /tmp/rules 2>&1 | head -3 && echo ok; ls')
    expect(list.items).toHaveLength(2)
    const [first] = list.items
    expect(first.rest.map((r) => r.op)).toEqual(['&&'])
    const grep = first.first.commands[0].command
    expect(grep.type).toBe('simple')
    if (grep.type !== 'simple') return
    expect(grep.assignments.map((a) => a.name)).toEqual(['X'])
    expect(grep.redirects.map((r) => [r.fd, r.op])).toEqual([[0, '<'], [2, '>&']])
    expect(grep.source).toBe('X=1 grep -c KUBE < /tmp/rules 2>&1')
    expect(first.first.commands).toHaveLength(2)
  })

  it('reports the unexpected token as bash does, with line and column', () => {
    const e = errorOf('echo a |\n| grep x')
    expect(e.message).toBe("syntax error near unexpected token `|'")
    expect([e.line, e.column, e.offset]).toEqual([2, 1, 9])
    expect(errorOf('echo >').message).toBe("syntax error near unexpected token `newline'")
    expect(errorOf('echo a ;;').message).toBe("syntax error near unexpected token `;;'")
    expect(errorOf('if true; then echo; fi fi').message).toBe("syntax error near unexpected token `fi'")
  })

  it('reports an unfinished line as the end of file bash reaches', () => {
    expect(errorOf('echo a &&').message).toBe('syntax error: unexpected end of file')
    expect(errorOf('for i in 1 2; do echo').message).toBe('syntax error: unexpected end of file')
    const q = errorOf('echo "abc')
    expect(q.message).toBe('unexpected EOF while looking for matching `"\'')
    expect(q.column).toBe(6)
    expect(errorOf("echo 'x").message).toBe("unexpected EOF while looking for matching `''")
    expect(errorOf('echo $(date').message).toBe("unexpected EOF while looking for matching `)'")
    expect(errorOf('echo `date').message).toBe("unexpected EOF while looking for matching ``'")
    expect(errorOf('echo ${x').message).toBe("unexpected EOF while looking for matching `}'")
  })

  it('refuses what the simulated shell does not run, saying so', () => {
    for (const [src, what] of [
      ['sleep 1 &', 'background jobs (&)'],
      ['case x in x) echo;;& esac', 'case fall-through (;& and ;;&)'],
      ['[[ -f x ]]', '[[ … ]] (use [ … ] or test)'],
      ['f() { echo; }', 'function definitions'],
      ['echo ${x/a/b}', '${x/a/b}'],
    ]) {
      const e = errorOf(src)
      expect(e.unsupported).toBe(true)
      expect(e.message).toBe(`${what}: not supported by this simulated shell`)
    }
  })

  it('reads here-document bodies after the line, or takes the given text for an open one', () => {
    const inline = parseShell('cat <<EOF\nhello $X\nEOF\necho after')
    expect(inline.list.items).toHaveLength(2)
    const pasted = parseShell('iptables-restore --noflush <<RULES', { heredocBody: '*filter\nCOMMIT\n' })
    expect(pasted.stdinUsed).toBe(true)
    const open = parseShell('cat <<EOF\nno end')
    expect(open.warnings).toEqual(['warning: here-document at line 1 delimited by end-of-file (wanted `EOF\')'])
  })

  it('parses case, (( )) and brace groups', () => {
    const c = parseShell('case $x in a|b) echo ab;; *) echo other;; esac').list.items[0].first.commands[0].command
    expect(c.type === 'case' && c.items.map((i) => i.patterns.length)).toEqual([2, 1])
    expect(parseShell('(( i += 1 ))').list.items[0].first.commands[0].command.type).toBe('arith')
    expect(parseShell('{ echo a; echo b; } > f').list.items[0].first.commands[0].command.type).toBe('group')
  })

  it('keeps comments out and # inside words', () => {
    const { list } = parseShell('echo a#b # comment')
    const c = list.items[0].first.commands[0].command
    expect(c.type === 'simple' && c.words.length).toBe(2)
  })
})
