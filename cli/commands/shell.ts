/**
 * `shell --script FILE [--json]`: run node-console command lines on a fresh node (eth0 172.18.0.2/16, lo,
 * default route via 172.18.0.1, ip_forward=1, empty rule set), one per line, through the node's shell
 * (pipes, redirects to the node's files, the text tools: src/engine/shell). Blank lines and `#` comments
 * are skipped; `CMD <<EOF ... EOF` (here-documents) feeds the command's standard input, and so does
 * `CMD < FILE` for a relative FILE that exists beside the script (absolute paths, and files the script
 * wrote, are the node's: the shell reads them). Without --json each command is echoed after a `root@node:~# ` prompt, followed by
 * what it printed (stdout, then stderr), as a terminal shows it; with --json one object per command per line:
 * {"cmd","rc","out","err"}. The exit status is 0 when the script ran, whatever the commands returned (their
 * status is in the JSON); 2 for a usage error or an unreadable script.
 */
import { dirname, resolve } from 'node:path'
import { freshNode } from '../../src/engine/host/host.ts'
import { runConsoleLine } from '../../src/engine/host/console.ts'
import type { CliIO } from '../io.ts'
import { readFlags, wantsHelp } from '../args.ts'

const USAGE = 'usage: shell --script FILE [--json]\n'

export const HELP = `usage: kpv shell --script FILE [--json]

Run node-console commands (iptables, iptables-save, iptables-restore, ip, conntrack, nft, ipset, ...), one
per line, on a fresh node: eth0 172.18.0.2/16, lo, default route via 172.18.0.1, ip_forward=1, no rules.
Blank lines and # comments are skipped; CMD <<EOF ... EOF and CMD < FILE feed a command's standard input.

  --script FILE   the commands (required)
  --json          one {"cmd","rc","out","err"} object per command per line, instead of a terminal transcript

The exit status is 0 when the script ran, whatever its commands returned; 2 for a usage error or a script
that cannot be read.
`

export interface ScriptCommand {
  cmd: string
  stdin?: string
  /** 1-based line of the command in the script. */
  line: number
}

/** Split a script into commands, gathering here-documents and `< FILE` redirections into stdin. */
export function parseScript(text: string, readFile: (path: string) => string): ScriptCommand[] {
  const lines = text.split('\n')
  const out: ScriptCommand[] = []
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i].replace(/\r$/, '')
    const t = raw.trim()
    if (t === '' || t.startsWith('#')) continue
    const here = /\s*<<(-?)\s*(['"]?)([A-Za-z_][A-Za-z0-9_]*)\2\s*$/.exec(raw)
    if (here) {
      const body: string[] = []
      const strip = here[1] === '-'
      let j = i + 1
      for (; j < lines.length; j++) {
        const l = lines[j].replace(/\r$/, '')
        if ((strip ? l.replace(/^\t+/, '') : l) === here[3]) break
        body.push(strip ? l.replace(/^\t+/, '') : l)
      }
      if (j >= lines.length) throw new Error(`line ${i + 1}: here-document delimited by "${here[3]}" is not closed`)
      out.push({ cmd: raw.slice(0, here.index).trim(), stdin: body.join('\n') + '\n', line: i + 1 })
      i = j
      continue
    }
    const redirect = /\s+<\s*([^\s/]\S*)\s*$/.exec(raw)
    const beside = redirect ? readBeside(readFile, redirect[1]) : undefined
    if (redirect && beside !== undefined) {
      out.push({ cmd: raw.slice(0, redirect.index).trim(), stdin: beside, line: i + 1 })
      continue
    }
    out.push({ cmd: t, line: i + 1 })
  }
  return out
}

/** A file beside the script, or undefined when there is none (the node's shell then resolves the path). */
function readBeside(readFile: (path: string) => string, path: string): string | undefined {
  try {
    return readFile(path)
  } catch {
    return undefined
  }
}

export async function run(args: string[], io: CliIO): Promise<number> {
  if (wantsHelp(args)) { io.out(HELP); return 0 }
  let script: string | undefined
  let json = false
  const { tokens, problem } = readFlags(args, { script: { type: 'string' }, json: { type: 'boolean' } })
  for (const t of tokens) {
    if (t.kind === 'positional') { io.err(`shell: unknown argument "${t.value}"\n${USAGE}`); return 2 }
    if (t.name === 'script') script = t.value
    else if (t.name === 'json') json = true
  }
  if (problem?.kind === 'unknown') { io.err(`shell: unknown argument "${problem.word}"\n${USAGE}`); return 2 }
  if (!script) { io.err(`shell: --script FILE is required\n${USAGE}`); return 2 }
  let commands: ScriptCommand[]
  try {
    const text = io.readFile(script)
    const base = dirname(resolve(script))
    commands = parseScript(text, (p) => io.readFile(resolve(base, p)))
  } catch (e) {
    io.err(`shell: ${(e as Error).message}\n`)
    return 2
  }
  const host = freshNode()
  for (const c of commands) {
    const r = runConsoleLine(host, c.cmd, c.stdin)
    if (json) {
      io.out(JSON.stringify({ cmd: c.cmd, rc: r.rc, out: r.out, err: r.err }) + '\n')
    } else {
      io.out(`root@${host.name}:~# ${c.cmd}\n${r.out}${r.err}`)
    }
  }
  return 0
}
