/**
 * The cluster canvas as an image, with html-to-image (the approach React Flow's docs show for downloading
 * a flow as an image): the React Flow element as it is on screen, without its controls, minimap and panels.
 */
import { toPng, toSvg } from 'html-to-image'

const CHROME = ['react-flow__controls', 'react-flow__minimap', 'react-flow__panel', 'react-flow__attribution']

function canvasElement(): HTMLElement {
  const element = document.querySelector<HTMLElement>('main[aria-label="Cluster canvas"] .react-flow')
  if (!element) throw new Error('the canvas is not on screen')
  return element
}

const options = {
  backgroundColor: '#f1f5f9',
  filter: (node: HTMLElement) => !(node.classList && CHROME.some((c) => node.classList.contains(c))),
}

export async function canvasPng(): Promise<string> {
  return toPng(canvasElement(), { ...options, pixelRatio: 2 })
}

export async function canvasSvg(): Promise<string> {
  return toSvg(canvasElement(), options)
}
