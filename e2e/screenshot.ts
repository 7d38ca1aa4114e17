/**
 * Builds the app, serves it, and photographs it in headless Chromium.
 *
 *   npx tsx e2e/screenshot.ts                 writes docs/screenshot.png (the README's picture)
 *   npx tsx e2e/screenshot.ts --all DIR       also writes DIR/{default,selection,scaled,error,deleted}.png
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, type Page } from '@playwright/test'
import { build, preview } from 'vite'

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const args = process.argv.slice(2)
const allDir = args[0] === '--all' ? args[1] ?? 'test-results/screenshots' : null

async function shot(page: Page, file: string): Promise<void> {
  // Let React Flow's fit-view animation and any transition settle.
  await page.waitForTimeout(500)
  await page.screenshot({ path: file })
  console.log(`wrote ${file}`)
}

async function main(): Promise<void> {
  await build({ logLevel: 'warn' })
  const server = await preview({ preview: { port: 0, host: '127.0.0.1' }, logLevel: 'warn' })
  const url = server.resolvedUrls?.local[0]
  if (!url) throw new Error('vite preview did not report a URL')
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-gpu'] })
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, deviceScaleFactor: 1 })
    await page.goto(url)
    await page.locator('[data-testid="pod"][data-pod-name^="nginx-deployment-"]').nth(1).waitFor()
    const service = page.locator('[data-testid="service"][data-service-name="nginx-service"]')

    if (allDir) {
      mkdirSync(allDir, { recursive: true })
      await shot(page, join(allDir, 'default.png'))
      await service.click()
      await shot(page, join(allDir, 'selection.png'))
      await page.getByTestId('deployment').filter({ hasText: 'nginx-deployment' }).click()
      await page.getByLabel('Replicas').fill('4')
      await page.getByRole('button', { name: 'Scale', exact: true }).click()
      await page.locator('[data-testid="pod"][data-pod-name^="nginx-deployment-"]').nth(3).waitFor()
      await shot(page, join(allDir, 'scaled.png'))
      await page.locator('[data-testid="pod"][data-pod-name^="nginx-deployment-"]').first().click()
      await page.getByRole('button', { name: 'Delete pod' }).click()
      await page.locator('[data-state="Terminating"]').waitFor()
      await shot(page, join(allDir, 'deleted.png'))
      await page.getByRole('tab', { name: 'Manifest' }).click()
      const editor = page.getByRole('textbox', { name: 'Manifest editor' })
      await editor.click()
      await page.keyboard.press('ControlOrMeta+a')
      await page.keyboard.insertText('apiVersion: v1\nkind: Service\nmetadata:\n  name: broken\nspec:\n  ports:\n  - port: 80\n     targetPort: 80\n')
      await page.getByRole('button', { name: 'Apply', exact: true }).click()
      await page.getByRole('alert', { name: 'Manifest errors' }).waitFor()
      await shot(page, join(allDir, 'error.png'))
      await page.evaluate(() => localStorage.clear())
      await page.reload()
      await page.locator('[data-testid="pod"][data-pod-name^="nginx-deployment-"]').nth(1).waitFor()
    }

    // The README's picture: the default scenario with the Service selected, its endpoints and YAML showing.
    mkdirSync('docs', { recursive: true })
    await service.click()
    await shot(page, 'docs/screenshot.png')
  } finally {
    await browser.close()
    await new Promise<void>((resolve) => server.httpServer.close(() => resolve()))
  }
}

main().catch((err: unknown) => {
  console.error(err)
  process.exitCode = 1
})
