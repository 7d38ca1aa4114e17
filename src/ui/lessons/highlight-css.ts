/**
 * The canvas highlight for a lesson step, as a style sheet: the canvas cards carry their kind and name in
 * data attributes, so highlighting needs no change to the canvas. References come from lesson documents
 * (`service/NS/NAME`, `pod/NS/NAME`, `deployment/NS/NAME`, `node/NAME`); names are quoted as CSS strings,
 * so no name can break out of its selector.
 */
const CARD: Record<string, { testid: string; attr: string }> = {
  service: { testid: 'service', attr: 'data-service-name' },
  pod: { testid: 'pod', attr: 'data-pod-name' },
  deployment: { testid: 'deployment', attr: 'data-deployment-name' },
  node: { testid: 'k8s-node', attr: 'data-node-name' },
}

/** A CSS string literal (quotes and backslashes escaped, line breaks and other controls as hex escapes). */
export function cssString(s: string): string {
  // eslint-disable-next-line no-control-regex
  return `"${s.replace(/["\\]/g, '\\$&').replace(/[\u0000-\u001f\u007f]/g, (c) => `\\${c.charCodeAt(0).toString(16)} `)}"`
}

/** Selectors of the canvas cards a step highlights (unknown kinds, e.g. `chain/...`, have no card). */
export function highlightSelectors(refs: readonly string[]): string[] {
  return refs.flatMap((ref) => {
    const parts = ref.split('/')
    const card = CARD[parts[0]]
    if (!card) return []
    const name = parts[parts.length - 1]
    return [`[data-testid="${card.testid}"][${card.attr}=${cssString(name)}]`]
  })
}

export function highlightCss(refs: readonly string[]): string {
  const selectors = highlightSelectors(refs)
  if (selectors.length === 0) return ''
  return `${selectors.join(',\n')} {\n  outline: 4px solid #f59e0b;\n  outline-offset: 3px;\n  box-shadow: 0 0 0 10px rgba(245, 158, 11, 0.25);\n}\n`
}
