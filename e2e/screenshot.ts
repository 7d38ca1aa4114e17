/**
 * Builds the app, serves it, and photographs it in headless Chromium.
 *
 *   npx tsx e2e/screenshot.ts                 writes docs/screenshot.png (the README's picture)
 *   npx tsx e2e/screenshot.ts --all DIR       also writes DIR/{default,selection,scaled,error,deleted}.png and the
 *                                             Nodes panel: DIR/nodes-{console,restore,rules,highlight,graph,save,syncs}.png
 *                                             and the player: DIR/player-{form,svc,dnat,move,delivered,reply,zoomed,lb}.png
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, type Page } from '@playwright/test'
import { chromiumLaunch, launchOptions } from './browser.ts'
import { build, preview } from 'vite'

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
  const browser = await chromium.launch(launchOptions(await chromiumLaunch()))
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
      await nodeShots(page, allDir)
      await page.evaluate(() => localStorage.clear())
      await page.reload()
      await page.locator('[data-testid="pod"][data-pod-name^="nginx-deployment-"]').nth(1).waitFor()
      await playerShots(page, allDir)
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

/** The Nodes panel: console, iptables-restore input, rules (plain, with a Service highlighted, as a graph), save, syncs. */
async function nodeShots(page: Page, dir: string): Promise<void> {
  await page.getByRole('tab', { name: 'Nodes' }).click()
  await page.getByRole('tab', { name: 'kind-worker', exact: true }).click()
  const input = page.getByRole('textbox', { name: 'Command on kind-worker' })
  for (const line of ['sudo iptables -I INPUT -p tcp --dport 22 -j DROP', 'iptables -S INPUT', 'iptables -A NOPE -j DROP', 'ip route']) {
    await input.fill(line)
    await input.press('Enter')
    await page.getByTestId('console-line').filter({ hasText: line }).waitFor()
  }
  await shot(page, join(dir, 'nodes-console.png'))
  await input.fill('iptables-restore --noflush')
  await input.press('Enter')
  await page.getByRole('textbox', { name: /Paste the rules/ }).fill('*filter\n-A INPUT -p tcp --dport 8080 -j REJECT\nCOMMIT\n')
  await shot(page, join(dir, 'nodes-restore.png'))
  await page.getByRole('button', { name: 'Run' }).click()
  await page.getByRole('tab', { name: 'Rules' }).click()
  await page.getByRole('button', { name: 'nat', exact: true }).click()
  await page.getByRole('navigation', { name: 'Chains' }).getByRole('button', { name: /^KUBE-SERVICES/ }).click()
  await shot(page, join(dir, 'nodes-rules.png'))
  await page.locator('[data-testid="service"][data-service-name="nginx-service"]').click()
  await page.locator('[data-highlighted="true"]').first().waitFor()
  await page.getByTestId('rule-row').filter({ hasText: 'default/nginx-service' }).getByRole('button').click()
  await shot(page, join(dir, 'nodes-highlight.png'))
  await page.getByRole('button', { name: 'Jump graph' }).click()
  await shot(page, join(dir, 'nodes-graph.png'))
  await page.getByRole('tab', { name: 'iptables-save' }).click()
  await shot(page, join(dir, 'nodes-save.png'))
  await page.getByTestId('deployment').filter({ hasText: 'nginx-deployment' }).click()
  await page.getByLabel('Replicas').fill('4')
  await page.getByRole('button', { name: 'Scale', exact: true }).click()
  await page.getByRole('tab', { name: 'Syncs' }).click()
  await page.getByTestId('sync-diff').first().waitFor()
  await shot(page, join(dir, 'nodes-syncs.png'))
}

/**
 * The packet player: a packet from a CoreDNS Pod (kind-control-plane) to nginx-service:80, at the hops that
 * matter (the KUBE-SVC choice, the DNAT, mid-flight between Nodes, delivery, the reply), then 1,000 connections.
 */
async function playerShots(page: Page, dir: string): Promise<void> {
  await page.getByRole('tablist', { name: 'Side panel' }).getByRole('tab', { name: 'Packet' }).click()
  const source = page.getByLabel('Source', { exact: true })
  const coredns = await source.locator('option').evaluateAll((os) => os.map((o) => o.textContent ?? '').find((t) => t.startsWith('kube-system/coredns-')) ?? '')
  await source.selectOption({ label: coredns })
  await shot(page, join(dir, 'player-form.png'))
  await page.getByRole('button', { name: 'Send packet' }).click()
  await page.getByRole('button', { name: 'Pause' }).click()
  const markers = page.getByTestId('hop-marker')
  const names = await markers.evaluateAll((els) => els.map((el) => el.getAttribute('aria-label') ?? ''))
  const at = async (re: RegExp, file: string) => {
    await markers.nth(names.findIndex((n) => re.test(n))).click()
    await shot(page, join(dir, file))
  }
  await at(/KUBE-SVC-\w+ rule 2$/, 'player-svc.png')
  await at(/KUBE-SEP-\w+ rule 2$/, 'player-dnat.png')
  // Mid-flight: step onto the move between Nodes at a quarter speed and photograph the token on its way.
  await page.getByLabel('Speed').selectOption('0.25')
  await markers.nth(names.findIndex((n) => / → kind-worker2?$/.test(n) && n.includes('kind-control-plane →')) - 1).click()
  await page.getByRole('button', { name: 'Step forward' }).click()
  await page.waitForTimeout(700)
  await page.screenshot({ path: join(dir, 'player-move.png') })
  console.log(`wrote ${join(dir, 'player-move.png')}`)
  await at(/delivered to Pod nginx-deployment-/, 'player-delivered.png')
  await at(/receives SYN-ACK|delivered to Pod coredns-/, 'player-reply.png')
  // Zoomed into the Node the packet is in, at the DNAT.
  await page.getByLabel('Zoom to the packet').check()
  await at(/KUBE-SEP-\w+ rule 2$/, 'player-zoomed.png')
  await page.getByLabel('Zoom to the packet').uncheck()
  await page.getByRole('button', { name: 'Send 1,000' }).click()
  await page.getByTestId('lb-bar').nth(1).waitFor({ timeout: 60_000 })
  await page.getByTestId('lb-chart').scrollIntoViewIfNeeded()
  await shot(page, join(dir, 'player-lb.png'))
}

main().catch((err: unknown) => {
  console.error(err)
  process.exitCode = 1
})
