import { describe, expect, it } from 'vitest'
import { rerunWatch, runShell, ShellState } from './shell.ts'
import type { ShellEnvironment } from './shell.ts'

const env: ShellEnvironment = { hostname: 'kind-worker' }

function session() {
  const state = ShellState.create('kind-worker')
  return { state, run: (line: string, stdin?: string) => runShell(state, line, env, stdin) }
}

describe('node shell: state between lines', () => {
  it('keeps variables, exports, the working directory and $? from line to line', () => {
    const { run } = session()
    run('X=5; export Y=6')
    expect(run('echo $X $Y; env | grep "^Y="').out).toBe('5 6\nY=6\n')
    run('mkdir -p /tmp/work && cd /tmp/work')
    expect(run('pwd').out).toBe('/tmp/work\n')
    run('false')
    expect(run('echo $?').out).toBe('1\n')
    expect(run('cd /nope').err).toBe('bash: cd: /nope: No such file or directory\n')
    expect(run('cd; pwd').out).toBe('/root\n')
  })

  it('keeps files: written with >, >> and tee, read with < and cat', () => {
    const { run } = session()
    run('echo one > notes; echo two >> notes; echo three | tee -a notes >/dev/null')
    expect(run('cat notes').out).toBe('one\ntwo\nthree\n')
    expect(run('wc -l < /root/notes').out).toBe('3\n')
    expect(run('ls').out).toBe('notes\n')
  })

  it('runs pipeline members and $(…) in subshells: their variables and cd do not leak', () => {
    const { run } = session()
    expect(run('echo x | read V; echo "[$V]"').out).toBe('[]\n')
    expect(run('D=$(cd /tmp; pwd); echo $D; pwd').out).toBe('/tmp\n/root\n')
    expect(run('(cd /etc; X=1); echo "$X"; pwd').out).toBe('\n/root\n')
  })

  it('command substitution drops trailing newlines and sets $?', () => {
    const { run } = session()
    expect(run('echo "[$(printf "a\\n\\n\\n")]"').out).toBe('[a]\n')
    expect(run('x=$(exit 3); echo $?').out).toBe('3\n')
    expect(run('echo $(echo $(echo deep) er)').out).toBe('deep er\n')
  })

  it('here-documents: in the line, quoted (no expansion), with <<- tabs, or the pasted text', () => {
    const { run } = session()
    run('N=7')
    expect(run('cat <<EOF\nn=$N\nEOF').out).toBe('n=7\n')
    expect(run("cat <<'EOF'\nn=$N\nEOF").out).toBe('n=$N\n')
    expect(run('cat <<-EOF\n\t\tindented\n\tEOF').out).toBe('indented\n')
    expect(run('grep -c x <<EOF', 'x\ny\nx\n').out).toBe('2\n')
    expect(run('cat > /tmp/in <<EOF\na b\nEOF\nwc -w /tmp/in').out).toBe('2 /tmp/in\n')
  })

  it('text given with a line is its standard input, read by the first command that reads', () => {
    const { run } = session()
    expect(run('sort', 'b\na\n').out).toBe('a\nb\n')
    expect(run('echo start; cat', 'piped\n').out).toBe('start\npiped\n')
  })

  it('exit ends the line with its status (and prints exit on the terminal)', () => {
    const { run } = session()
    expect(run('echo a; exit 4; echo b')).toEqual({ rc: 4, out: 'a\n', err: 'exit\n' })
    expect(run('exit abc')).toEqual({ rc: 2, out: '', err: 'exit\nbash: exit: abc: numeric argument required\n' })
    expect(run('(exit 7); echo $?')).toEqual({ rc: 0, out: '7\n', err: '' })
  })

  it('stops a loop that would never end, saying why', () => {
    const { run } = session()
    const r = run('while true; do :; done')
    expect(r.rc).toBe(1)
    expect(r.err).toBe('bash: while: loop stopped after 10000 iterations (this simulated console has no Ctrl+C)\n')
  })

  it('set -e stops at the first failing command outside conditions', () => {
    const { run } = session()
    expect(run('set -e; false || echo handled; false; echo never')).toEqual({ rc: 1, out: 'handled\n', err: '' })
  })

  it('lists names in columns on the terminal and one per line into a pipe', () => {
    const { run } = session()
    run('cd /tmp && touch alpha beta gamma delta epsilon')
    expect(run('ls').out).toBe('alpha  beta  delta  epsilon  gamma\n')
    expect(run('ls | cat').out).toBe('alpha\nbeta\ndelta\nepsilon\ngamma\n')
    expect(run('ls -l /tmp | head -2').out).toBe('total 0\n-rw-r--r-- 1 root root 0 Jan  1 00:00 alpha\n')
  })

  it('refuses unsupported syntax with a message and status 2', () => {
    const { run } = session()
    expect(run('sleep 5 &')).toEqual({ rc: 2, out: '', err: 'bash: background jobs (&): not supported by this simulated shell\n' })
    expect(run("awk 'function f() { return 1 } { print f() }'")).toEqual({
      rc: 2, out: '', err: "awk: user-defined functions: not supported by this simulated shell's awk\n",
    })
    expect(run("sed 'h;G' /etc/hostname")).toEqual({
      rc: 1, out: '', err: "sed: -e expression #1, char 1: the `h' command is not supported by this simulated shell\n",
    })
  })
})

describe('node shell: watch', () => {
  it('prints procps-ng watch\'s header once and remembers the command for the next steps', () => {
    const state = ShellState.create('kind-worker')
    let now = Date.UTC(2026, 0, 1, 0, 0, 0)
    const clocked: ShellEnvironment = { hostname: 'kind-worker', now: () => now }
    runShell(state, 'echo 1 > /tmp/n', clocked)
    const first = runShell(state, 'watch -n 1 cat /tmp/n', clocked)
    // Measured: procps-ng 4.0.2 watch in an 80-column pty (TERM=dumb), hostname `vm`.
    const header = 'Every 1.0s: cat /tmp/n' + ' '.repeat(21) + 'kind-worker: Thu Jan  1 00:00:00 2026'
    expect(first).toEqual({ rc: 0, out: `${header}\n\n1\n`, err: '' })
    expect(header).toHaveLength(80)
    runShell(state, 'echo 2 > /tmp/n', clocked)
    now += 5000
    const again = rerunWatch(state, clocked)
    expect(again?.out).toMatch(/^Every 1\.0s: cat \/tmp\/n +kind-worker: Thu Jan {2}1 00:00:05 2026\n\n2\n$/)
    expect(rerunWatch(ShellState.create('x'), env)).toBeUndefined()
  })

  it('cuts a long command with ... two blanks before the host and date, as procps-ng does', () => {
    const state = ShellState.create('vm')
    const at = Date.UTC(2026, 11, 8, 3, 12, 56)
    const r = runShell(state, 'watch -n 1 -x echo this is a long command line with many many words that goes on', { hostname: 'vm', now: () => at })
    expect(r.out.split('\n')[0]).toBe('Every 1.0s: echo this is a long command line wi...  vm: Tue Dec  8 03:12:56 2026')
  })
})

describe('node shell: robustness', () => {
  it('a script that runs itself stops at the nesting limit with a message', () => {
    const { run } = session()
    run("echo 'bash /tmp/self.sh' > /tmp/self.sh")
    const r = run('bash /tmp/self.sh')
    expect(r.rc).toBe(1)
    expect(r.err).toBe('bash: maximum nesting level exceeded (100 subshells)\n')
  })

  it('never throws on arbitrary input: every line ends in a status and text', () => {
    const alphabet = ['echo', 'grep', 'awk', 'sed', 'cat', 'x', '|', '||', '&&', ';', '>', '<', '<<', '2>&1', '$', '$(', ')', '(', '`', '"', "'", '\\', '{', '}', '[', ']', '*', '?', '-n', '-e', '/tmp/f', '=', 'if', 'then', 'fi', 'for', 'do', 'done', 'case', 'esac', '#', '\n', ' ', '$((', '1', '+', '{1..3}', 's/a/b/', "'{print $1}'", 'NR']
    let seed = 12345
    const next = () => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed }
    const { run } = session()
    for (let n = 0; n < 1500; n++) {
      const words = Array.from({ length: 1 + (next() % 8) }, () => alphabet[next() % alphabet.length])
      const line = words.join(next() % 3 === 0 ? '' : ' ')
      const r = run(line)
      expect(typeof r.rc).toBe('number')
      expect(r.rc).toBeGreaterThanOrEqual(0)
    }
  })
})

describe('node shell: names that are Object.prototype members', () => {
  it('are commands like any unknown word: not found, exit status 127', () => {
    const { run } = session()
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      expect(run(name)).toMatchObject({ rc: 127, out: '', err: `bash: ${name}: command not found\n` })
    }
    expect(run('set -o constructor').rc).toBe(2)
    expect(run("echo a | tr '[:constructor:]' x").rc).toBe(1)
  })
})
