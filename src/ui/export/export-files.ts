/**
 * What each export writes: pure text builders and file names (tested in export-files.test.ts), and the
 * browser download itself.
 */
import type { Journey } from '../../engine/journeys/journey.ts'

/**
 * The journey as the kernel's tracer prints it (`xtables-monitor --trace`): one line per rule or policy a
 * packet met, in order, on every Node it crossed (the engine writes each hop's line in the kernel's format).
 */
export function kernelTraceText(journey: Journey): string {
  const lines = journey.hops.flatMap((h) => (h.kernelTrace ? [h.kernelTrace] : []))
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`
}

/** A file name: lowercase words and digits joined by dashes, with the extension. */
export function exportFileName(parts: readonly string[], extension: string): string {
  const base = parts.map((p) => p.toLowerCase().replace(/[^a-z0-9.]+/g, '-').replace(/^-+|-+$/g, '')).filter((p) => p !== '').join('-')
  return `${base || 'export'}.${extension}`
}

/** Hands a Blob to the browser as a download (an object URL on a temporary link, released afterwards). */
export function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  link.rel = 'noopener'
  document.body.append(link)
  link.click()
  link.remove()
  // The download has started from the click; the URL may go once the event loop turns.
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}

export function downloadText(text: string, fileName: string, type = 'text/plain'): void {
  downloadBlob(new Blob([text], { type: `${type};charset=utf-8` }), fileName)
}

/** A `data:` URL (what html-to-image returns) as a Blob. */
export async function dataUrlToBlob(dataUrl: string): Promise<Blob> {
  const response = await fetch(dataUrl)
  return response.blob()
}
