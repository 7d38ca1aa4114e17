/**
 * The CodeMirror 6 view, loaded lazily (its own chunk): YAML highlighting, line numbers, lint markers at the
 * lines the engine's errors name, Ctrl/Cmd+Enter to apply.
 */
import { useEffect, useRef } from 'react'
import { EditorView, basicSetup } from 'codemirror'
import { keymap } from '@codemirror/view'
import { Prec } from '@codemirror/state'
import { yaml } from '@codemirror/lang-yaml'
import { lintGutter, setDiagnostics } from '@codemirror/lint'
import { formatManifestError, type ManifestError } from '../../engine/cluster/manifest-error.ts'
import { manifestDiagnostics } from './diagnostics.ts'
import { onJumpRequest } from './editor-commands.ts'

export interface CodeMirrorEditorProps {
  value: string
  errors: readonly ManifestError[]
  onChange: (text: string) => void
  onApply: () => void
}

const theme = EditorView.theme({
  '&': { height: '100%', fontSize: '13px', backgroundColor: '#fff' },
  '.cm-scroller': { fontFamily: 'var(--font-mono)', lineHeight: '1.55' },
  '.cm-gutters': { backgroundColor: '#f8fafc', borderRight: '1px solid #e2e8f0', color: '#94a3b8' },
  '.cm-activeLineGutter': { backgroundColor: '#eef2ff' },
  '.cm-activeLine': { backgroundColor: '#f5f8ff' },
  '&.cm-focused': { outline: 'none' },
})

export default function CodeMirrorEditor({ value, errors, onChange, onApply }: CodeMirrorEditorProps) {
  const host = useRef<HTMLDivElement>(null)
  const view = useRef<EditorView | null>(null)
  // The latest callbacks, read by the long-lived editor without re-creating it.
  const callbacks = useRef({ onChange, onApply })
  useEffect(() => { callbacks.current = { onChange, onApply } })

  useEffect(() => {
    const editor = new EditorView({
      parent: host.current!,
      doc: value,
      extensions: [
        basicSetup,
        yaml(),
        lintGutter(),
        theme,
        EditorView.contentAttributes.of({ 'aria-label': 'Manifest editor' }),
        Prec.highest(keymap.of([{ key: 'Mod-Enter', run: () => { callbacks.current.onApply(); return true } }])),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) callbacks.current.onChange(update.state.doc.toString())
        }),
      ],
    })
    view.current = editor
    const stopJumps = onJumpRequest(({ line, column }) => {
      const doc = editor.state.doc
      const at = doc.line(Math.min(Math.max(1, line), doc.lines))
      const pos = Math.min(at.from + Math.max(0, column - 1), at.to)
      editor.dispatch({ selection: { anchor: pos }, effects: EditorView.scrollIntoView(pos, { y: 'center' }) })
      editor.focus()
    })
    return () => { stopJumps(); editor.destroy(); view.current = null }
    // The editor is created once; later values arrive through the effect below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [])

  // A value set from outside (reset, "edit in editor") replaces the text; our own edits already match.
  useEffect(() => {
    const editor = view.current
    if (!editor || editor.state.doc.toString() === value) return
    editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: value } })
  }, [value])

  useEffect(() => {
    const editor = view.current
    if (!editor) return
    editor.dispatch(setDiagnostics(editor.state, manifestDiagnostics(editor.state.doc, errors, formatManifestError)))
  }, [errors])

  return <div ref={host} className="h-full min-h-0 overflow-hidden" data-testid="codemirror-host" />
}
