/**
 * One console line -> the netfilter command it names. Shared by the node console and the CLI `shell`:
 * a leading `sudo` is dropped, then `iptables`, `iptables-save`, `iptables-restore` (standard input given
 * separately) are run on the rule set, `ipset` (ipset/command.ts) on the rule set's ipsets.
 * Words are split as bash would split them (quotes, backslashes), see tokenizeCommandLine.
 */
import type { Ruleset } from './ruleset.ts'
import { runIptables, runIptablesRestore, runIptablesSave, type CommandResult } from './iptables-command.ts'
import { runIpset } from '../ipset/command.ts'

export type { CommandResult } from './iptables-command.ts'

/** The result of splitting a line: words, or an error such as an unterminated quote. */
export type Tokenized = { ok: true; words: string[] } | { ok: false; error: string }

/**
 * Split a command line into words as bash does for simple commands: blanks separate words; single quotes
 * keep everything literally; double quotes keep blanks, and a backslash in them escapes `"`, `\`, `$` and
 * `` ` ``; outside quotes a backslash escapes any character. Unterminated quotes are an error. A `#` at the
 * start of a word begins a comment. No expansion of variables, globs or other operators is done.
 */
export function tokenize(line: string): Tokenized {
  const words: string[] = []
  let word = ''
  let inWord = false
  let i = 0
  while (i < line.length) {
    const c = line[i]
    if (c === ' ' || c === '\t' || c === '\n') {
      if (inWord) words.push(word)
      word = ''
      inWord = false
      i++
      continue
    }
    if (c === '#' && !inWord) break
    inWord = true
    if (c === '\\') {
      if (i + 1 < line.length) {
        if (line[i + 1] !== '\n') word += line[i + 1]
        i += 2
      } else i++
      continue
    }
    if (c === "'") {
      const end = line.indexOf("'", i + 1)
      if (end < 0) return { ok: false, error: "unexpected EOF while looking for matching `''" }
      word += line.slice(i + 1, end)
      i = end + 1
      continue
    }
    if (c === '"') {
      i++
      let closed = false
      while (i < line.length) {
        const d = line[i]
        if (d === '"') { closed = true; i++; break }
        if (d === '\\' && i + 1 < line.length && '"\\$`\n'.includes(line[i + 1])) {
          if (line[i + 1] !== '\n') word += line[i + 1]
          i += 2
          continue
        }
        word += d
        i++
      }
      if (!closed) return { ok: false, error: 'unexpected EOF while looking for matching `"\'' }
      continue
    }
    word += c
    i++
  }
  if (inWord) words.push(word)
  return { ok: true, words }
}

/** Words of a line as bash would split it; throws on an unterminated quote. */
export function tokenizeCommandLine(line: string): string[] {
  const t = tokenize(line)
  if (!t.ok) throw new Error(t.error)
  return t.words
}

export interface CommandLineOptions {
  /** Date for iptables-save's comment lines (default: a fixed date, so output is deterministic). */
  now?: Date
}

/** Whether runCommandLine knows this program (after an optional sudo). */
export function isNetfilterCommand(line: string): boolean {
  const t = tokenize(line)
  if (!t.ok) return false
  const words = t.words[0] === 'sudo' ? t.words.slice(1) : t.words
  return ['iptables', 'iptables-save', 'iptables-restore', 'ipset', 'iptables-nft', 'iptables-nft-save', 'iptables-nft-restore'].includes(words[0] ?? '')
}

/** Run one line: `[sudo] iptables|iptables-save|iptables-restore|ipset ARGS...`; `stdin` feeds iptables-restore. */
export function runCommandLine(ruleset: Ruleset, line: string, stdin = '', opts: CommandLineOptions = {}): CommandResult {
  const t = tokenize(line)
  if (!t.ok) return { rc: 2, out: '', err: `bash: ${t.error}\n` }
  let words = t.words
  if (words[0] === 'sudo') words = words.slice(1)
  if (words.length === 0) return { rc: 0, out: '', err: '' }
  const [program, ...args] = words
  switch (program) {
    case 'iptables': case 'iptables-nft': return runIptables(ruleset, args, { now: opts.now })
    case 'iptables-save': case 'iptables-nft-save': return runIptablesSave(ruleset, args, { now: opts.now })
    case 'iptables-restore': case 'iptables-nft-restore': return runIptablesRestore(ruleset, stdin, args)
    case 'ipset': return runIpset(ruleset.ipsets, args, stdin)
    default: return { rc: 127, out: '', err: `bash: ${program}: command not found\n` }
  }
}
