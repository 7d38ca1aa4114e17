/**
 * The command-line tool: `kpv COMMAND ...` (or `kube-proxy-visualizer`, or `npm run -s cli -- COMMAND ...`
 * in a checkout). Each command lives in cli/commands/NAME.ts and exports `run(args, io)` (the exit status)
 * and `HELP` (what `kpv COMMAND --help` and `kpv help COMMAND` print).
 *
 * runCli is the program: it turns an exception no command expected into one line asking for a bug report
 * (exit status 70, EX_SOFTWARE; KPV_DEBUG=1 prints the stack too), and ends quietly when the reader of its
 * output goes away (`kpv ... | head`).
 */
import { readFileSync } from 'node:fs'
import type { CliIO } from './io.ts'
import { nodeIO } from './io.ts'

interface Command {
  run(args: string[], io: CliIO): Promise<number>
  HELP: string
}

const commands: Record<string, () => Promise<Command>> = {
  cluster: () => import('./commands/cluster.ts'),
  shell: () => import('./commands/shell.ts'),
  'trace-rules': () => import('./commands/trace-rules.ts'),
  compile: () => import('./commands/compile.ts'),
  journey: () => import('./commands/journey.ts'),
}

const usage = `usage: npm run -s cli -- COMMAND [ARGS...]

commands:
  cluster FILE... [--empty] [--json]          apply manifests, print kubectl get nodes,pods,services,endpointslices -o wide
  shell --script FILE [--json]                run node console commands (iptables, iptables-save, ...) on a fresh node
  trace-rules --rules SAVEFILE ...            trace one packet through an iptables-save rule set
  compile FILE... --node NAME [--empty]       print a Node's iptables-save as kube-proxy programs it
  journey FILE... --from SRC --to DEST:PORT   follow one connection across the cluster hop by hop (--count N: where N land)
`

const more = `
kpv COMMAND --help (or kpv help COMMAND) describes a command; kpv --version prints the version.
`

/** The version in package.json (next to cli/ in a checkout, next to dist-cli/ in the package). */
export function version(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
  return manifest.version
}

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv
  if (name === '--version' || name === '-V') {
    io.out(`kube-proxy-visualizer ${version()}\n`)
    return 0
  }
  if (name === 'help' && rest.length > 0) {
    const load = commands[rest[0]]
    if (!load) {
      io.err(`unknown command "${rest[0]}"\n\n${usage}`)
      return 2
    }
    io.out((await load()).HELP)
    return 0
  }
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(name ? usage + more : usage)
    return name ? 0 : 2
  }
  const load = commands[name]
  if (!load) {
    io.err(`unknown command "${name}"\n\n${usage}`)
    return 2
  }
  const command = await load()
  return command.run(rest, io)
}

/** The one line an unexpected exception becomes (a bug in kpv, not in the input). */
export function bugReport(error: unknown, argv: readonly string[]): string {
  const what = error instanceof Error ? `${error.name}: ${error.message.split('\n')[0]}` : String(error)
  return `kpv: internal error: ${what} (a bug in kube-proxy-visualizer ${safeVersion()}; please report it with the command line: kpv ${argv.join(' ')})\n`
}

function safeVersion(): string {
  try {
    return version()
  } catch {
    return '(unknown version)'
  }
}

/** The program: runs the command line and sets the exit status; never lets an exception print a stack dump. */
export async function runCli(argv: string[]): Promise<void> {
  const quit = (e: NodeJS.ErrnoException) => {
    // The reader went away (`kpv ... | head`): stop as other tools do, without a word.
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0)
    throw e
  }
  process.stdout.on('error', quit)
  process.stderr.on('error', quit)
  try {
    process.exitCode = await main(argv, nodeIO())
  } catch (e) {
    process.stderr.write(bugReport(e, argv))
    if (process.env.KPV_DEBUG === '1' && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`)
    process.exitCode = 70
  }
}

// Run when executed directly (tsx cli/main.ts ...), not when imported by tests or the bin launcher.
if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  void runCli(process.argv.slice(2))
}
