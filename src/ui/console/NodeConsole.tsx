import { useEffect, useRef, useState, type KeyboardEvent } from 'react'
import { runConsoleCommand } from '../../state/actions.ts'
import { useAppStore } from '../../state/store.ts'
import type { ConsoleEntry } from '../../worker/node-protocol.ts'
import { useEngineAnswer } from '../rules/use-engine-answer.ts'
import { lineCount, prompt, readsStdin, stepHistory, visibleEntries, type HistoryCursor } from './console-model.ts'

const EMPTY: ConsoleEntry[] = []

/**
 * A root shell on one Node: type a command, see its output (stderr in red). Every line is a scenario
 * step, so the transcript is derived from the scenario: it survives a reload and follows undo/redo.
 */
export function NodeConsole({ node }: { node: string }) {
  const answer = useEngineAnswer(`console:${node}`, (client, scenario) => client.node({ type: 'nodeConsole', scenario, node }).then((r) => r.entries))
  const entries = answer.data ?? EMPTY
  const history = entries.map((e) => e.line)
  const shown = visibleEntries(entries)
  const busy = useAppStore((s) => s.busy)
  const [text, setText] = useState('')
  const [cursor, setCursor] = useState<HistoryCursor>({ index: null, draft: '' })
  /** The iptables-restore line waiting for its pasted input. */
  const [restoreLine, setRestoreLine] = useState<string | null>(null)
  const [stdin, setStdin] = useState('')
  const input = useRef<HTMLInputElement>(null)
  const screen = useRef<HTMLDivElement>(null)

  useEffect(() => {
    const el = screen.current
    if (el) el.scrollTop = el.scrollHeight
  }, [entries, restoreLine])

  async function run(line: string, pasted?: string) {
    const accepted = await runConsoleCommand(node, line, pasted)
    if (accepted) {
      setText('')
      setCursor({ index: null, draft: '' })
    }
  }

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key === 'ArrowUp' || e.key === 'ArrowDown') {
      e.preventDefault()
      const step = stepHistory(history, cursor, text, e.key === 'ArrowUp' ? 'up' : 'down')
      setCursor(step.cursor)
      setText(step.text)
    } else if (e.key === 'Enter') {
      e.preventDefault()
      const line = text.trim()
      if (line === '') return
      if (readsStdin(line)) {
        setRestoreLine(line)
        setStdin('')
        return
      }
      void run(line)
    } else if (e.key === 'l' && e.ctrlKey) {
      e.preventDefault()
      void runConsoleCommand(node, 'clear')
    }
  }

  return (
    <section className="flex h-full min-h-0 flex-col bg-slate-950 font-mono text-[12.5px] leading-[1.45] text-slate-200" aria-label={`Console of ${node}`}>
      <div ref={screen} className="min-h-0 flex-1 overflow-auto px-3 pt-2" data-testid="console-screen"
        onClick={() => { if (!window.getSelection()?.toString()) input.current?.focus() }}>
        {shown.length === 0 && (
          <p className="mb-1 text-slate-500">
            A root shell on {node}. Try <span className="text-slate-300">iptables -t nat -S KUBE-SERVICES</span>,{' '}
            <span className="text-slate-300">iptables-save</span>, <span className="text-slate-300">ip route</span>,{' '}
            <span className="text-slate-300">conntrack -L</span> or <span className="text-slate-300">help</span>.
            Every command is a scenario step: Undo takes it back. ↑/↓ recall earlier commands; <span className="text-slate-300">clear</span> or Ctrl+L clears the screen.
          </p>
        )}
        <ol aria-label="Console output" data-testid="console-transcript">
          {shown.map((entry) => <Entry key={entry.index} node={node} entry={entry} />)}
        </ol>
        {restoreLine !== null ? (
          <form className="my-1 space-y-1" aria-label="Input for iptables-restore" onSubmit={(e) => {
            e.preventDefault()
            void run(restoreLine, stdin).then(() => { setRestoreLine(null); setStdin(''); input.current?.focus() })
          }}>
            <div><span className="text-emerald-400">{prompt(node)}</span>{restoreLine}</div>
            <label className="block text-xs text-slate-400" htmlFor={`restore-${node}`}>
              Paste the rules {restoreLine.split(/\s+/).find((w) => w.endsWith('restore'))} reads from standard input (iptables-save format):
            </label>
            <textarea id={`restore-${node}`} autoFocus value={stdin} onChange={(e) => setStdin(e.target.value)} rows={8} spellCheck={false}
              placeholder={'*filter\n-A INPUT -p tcp --dport 8080 -j REJECT\nCOMMIT'}
              className="block w-full rounded border border-slate-700 bg-slate-900 p-2 text-slate-100 focus:border-sky-500 focus:outline-none" />
            <div className="flex gap-2 pb-2">
              <button type="submit" disabled={busy} className="rounded bg-sky-600 px-3 py-1 font-sans text-xs font-medium text-white hover:bg-sky-500 disabled:opacity-50">Run</button>
              <button type="button" onClick={() => { setRestoreLine(null); input.current?.focus() }} className="rounded px-3 py-1 font-sans text-xs text-slate-300 ring-1 ring-slate-600 hover:bg-slate-800">Cancel</button>
            </div>
          </form>
        ) : (
          <div className="flex items-center pb-2">
            <label htmlFor={`console-input-${node}`} className="shrink-0 whitespace-pre text-emerald-400">{prompt(node)}</label>
            <input id={`console-input-${node}`} ref={input} value={text} aria-label={`Command on ${node}`}
              onChange={(e) => { setText(e.target.value); if (cursor.index !== null) setCursor({ ...cursor, index: null }) }}
              onKeyDown={onKeyDown} spellCheck={false} autoComplete="off" autoCapitalize="off"
              className="min-w-0 flex-1 bg-transparent text-slate-100 caret-emerald-400 outline-none" />
            {busy && <span className="text-xs text-slate-500" aria-hidden>…</span>}
          </div>
        )}
      </div>
    </section>
  )
}

function Entry({ node, entry }: { node: string; entry: ConsoleEntry }) {
  return (
    <li data-testid="console-entry" data-rc={entry.rc}>
      <div className="whitespace-pre-wrap break-all"><span className="text-emerald-400">{prompt(node)}</span>
        <span data-testid="console-line" className="text-slate-50">{entry.line}</span>
      </div>
      {entry.stdin !== undefined && (
        <details className="mb-0.5 text-slate-500">
          <summary className="cursor-pointer select-none text-xs">standard input: {lineCount(entry.stdin)} lines pasted</summary>
          <pre className="whitespace-pre-wrap border-l-2 border-slate-700 pl-2 text-slate-400">{entry.stdin}</pre>
        </details>
      )}
      {entry.out && <pre data-testid="console-stdout" className="whitespace-pre-wrap break-all text-slate-200">{entry.out.replace(/\n$/, '')}</pre>}
      {entry.outChars !== undefined && (
        <div className="text-[11px] text-slate-500">… output cut here: {entry.outChars.toLocaleString('en')} characters in all. The iptables-save and Rules tabs show everything.</div>
      )}
      {/* stderr: red when the command failed; a successful command's notes (conntrack's summary) in amber. */}
      {entry.err && <pre data-testid="console-stderr" title="standard error"
        className={`whitespace-pre-wrap break-all ${entry.rc === 0 ? 'text-amber-200/90' : 'text-red-300'}`}>{entry.err.replace(/\n$/, '')}</pre>}
      {entry.rc !== 0 && <div className="text-[11px] text-red-400/80" title="exit status">exit status {entry.rc}</div>}
    </li>
  )
}
