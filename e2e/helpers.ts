import { expect, type Locator, type Page } from '@playwright/test'

/** Pod cards on the canvas whose name starts with the prefix (the Deployment's Pods). */
export const podCards = (page: Page, prefix = 'nginx-deployment-'): Locator =>
  page.locator(`[data-testid="pod"][data-pod-name^="${prefix}"]`)

/** Canvas edges from a Service to its endpoints (React Flow names edge elements rf__edge-<id>). */
export const endpointEdges = (page: Page, service: string, namespace = 'default'): Locator =>
  page.locator(`[data-testid^="rf__edge-svc:${namespace}/${service}->"]`)

export async function openApp(page: Page): Promise<void> {
  await page.goto('/')
  await expect(podCards(page)).toHaveCount(2)
}

export async function podNames(page: Page, prefix = 'nginx-deployment-'): Promise<string[]> {
  return podCards(page, prefix).evaluateAll((els) => els.map((el) => el.getAttribute('data-pod-name') ?? ''))
}

/** Selects the nginx Deployment on the canvas and scales it with the details panel. */
export async function scaleNginx(page: Page, replicas: number): Promise<void> {
  await page.getByTestId('deployment').filter({ hasText: 'nginx-deployment' }).click()
  await page.getByLabel('Replicas').fill(String(replicas))
  await page.getByRole('button', { name: 'Scale', exact: true }).click()
  await expect(podCards(page)).toHaveCount(replicas)
}

/** Replaces the manifest editor's text, as a person pasting a manifest would. */
export async function typeManifest(page: Page, text: string): Promise<void> {
  await page.getByRole('tab', { name: 'Manifest' }).click()
  const editor = page.getByRole('textbox', { name: 'Manifest editor' })
  await editor.click()
  await page.keyboard.press('ControlOrMeta+a')
  await page.keyboard.press('Delete')
  await page.keyboard.insertText(text)
}
