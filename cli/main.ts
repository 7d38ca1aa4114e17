/**
 * The command-line tool: `npm run -s cli -- COMMAND ...`. Each command lives in cli/commands/NAME.ts and
 * exports `run(args: string[], io: CliIO): Promise<number>` (the exit status).
 */
import type { CliIO } from './io.ts'
import { nodeIO } from './io.ts'

const commands: Record<string, () => Promise<{ run(args: string[], io: CliIO): Promise<number> }>> = {
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

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(usage)
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

// Run when executed directly (tsx cli/main.ts ...), not when imported by tests.
if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  main(process.argv.slice(2), nodeIO()).then((code) => { process.exitCode = code })
}
