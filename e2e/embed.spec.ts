import { expect, test, type Page } from '@playwright/test'

const events = (page: Page, type: string) => page.locator(`#log li[data-type="${type}"]`)
const lastEvent = async (page: Page, type: string) => JSON.parse(await events(page, type).last().textContent() ?? '{}') as Record<string, unknown>

test('the example page drives the embedded app through postMessage and hears its steps', async ({ page }) => {
  const dialogs: string[] = []
  page.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss() })
  await page.goto('/embed-example.html')
  await expect(page.locator('#status')).toHaveText('Ready')
  await expect(events(page, 'kpv:ready')).toHaveCount(1)

  const app = page.frameLocator('#app')
  // No editing chrome: no undo, no manifest editor, no consoles.
  await expect(app.getByTestId('embed-app')).toBeVisible()
  await expect(app.locator('[data-testid="pod"]')).toHaveCount(4)
  await expect(app.getByRole('button', { name: 'Undo' })).toHaveCount(0)
  await expect(app.getByRole('tab', { name: 'Manifest' })).toHaveCount(0)
  await expect(app.getByRole('tab', { name: 'Nodes' })).toHaveCount(0)

  await page.getByRole('button', { name: /Send a packet/ }).click()
  await expect(events(page, 'kpv:journey')).toHaveCount(1)
  const journey = await lastEvent(page, 'kpv:journey')
  expect(journey.verdict).toBe('delivered')
  expect(String(journey.reached)).toMatch(/^pod\/default\/nginx-deployment-/)
  await expect(events(page, 'kpv:step')).not.toHaveCount(0)
  const first = await lastEvent(page, 'kpv:step')
  expect(first).toMatchObject({ step: 0 })
  const total = Number(first.total)
  expect(total).toBeGreaterThan(5)
  await expect(app.getByTestId('player-status')).toContainText(`1/${total}`)

  await page.getByRole('button', { name: 'Step ▶' }).click()
  await expect.poll(async () => (await lastEvent(page, 'kpv:step')).step).toBe(1)
  await expect(app.getByTestId('player-status')).toContainText(`2/${total}`)
  expect((await lastEvent(page, 'kpv:step')).hop).toMatchObject({ index: 1 })

  await page.getByRole('button', { name: 'Play' }).click()
  await expect.poll(async () => Number((await lastEvent(page, 'kpv:step')).step)).toBeGreaterThan(2)
  await page.getByRole('button', { name: 'Pause' }).click()
  await page.getByRole('button', { name: 'First step' }).click()
  await expect.poll(async () => (await lastEvent(page, 'kpv:step')).step).toBe(0)

  // A malformed command is refused with an event, and nothing runs.
  await page.evaluate(() => {
    const frame = document.getElementById('app') as HTMLIFrameElement
    frame.contentWindow!.postMessage({ type: 'kpv:sendPacket', from: '<img src=x onerror=alert(1)>', to: 'default/nginx-service', port: 80 }, '*')
  })
  await expect(events(page, 'kpv:error')).toHaveCount(1)
  expect(String((await lastEvent(page, 'kpv:error')).message)).toMatch(/from must be/)
  expect(dialogs).toEqual([])
})

test('kpv:load replaces the scenario; the link back opens the same scenario in the full app', async ({ page }) => {
  await page.goto('/embed-example.html')
  await expect(page.locator('#status')).toHaveText('Ready')
  await page.evaluate(() => {
    const frame = document.getElementById('app') as HTMLIFrameElement
    frame.contentWindow!.postMessage({
      type: 'kpv:load',
      scenario: {
        apiVersion: 'kube-proxy-visualizer.dev/v1', kind: 'Scenario',
        metadata: { name: 'scaled', title: 'Three nginx Pods' }, seed: 3,
        operations: [
          { apply: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: web\n        image: nginx\n' },
          { send: { from: 'kind-worker', to: '10.96.0.1', port: 443 } },
        ],
        step: { hop: 2 },
      },
    }, '*')
  })
  await expect(events(page, 'kpv:loaded')).toHaveCount(1)
  expect(await lastEvent(page, 'kpv:loaded')).toEqual({ type: 'kpv:loaded', ok: true })
  const app = page.frameLocator('#app')
  await expect(app.getByText('Three nginx Pods')).toBeVisible()
  await expect(app.locator('[data-testid="pod"][data-pod-name^="web-"]')).toHaveCount(3)
  await expect(app.getByTestId('player-status')).toContainText(/^3\//)
  const status = await app.getByTestId('player-status').textContent()

  const [full] = await Promise.all([page.waitForEvent('popup'), app.getByRole('link', { name: 'Open in full app' }).click()])
  await full.waitForLoadState()
  expect(full.url()).not.toMatch(/embed=1/)
  expect(full.url()).toMatch(/#s=/)
  await expect(full.getByRole('button', { name: 'Undo' })).toBeVisible()
  await expect(full.locator('[data-testid="pod"][data-pod-name^="web-"]')).toHaveCount(3)
  await expect(full.getByTestId('player-status')).toHaveText(status ?? '')
})

test('the embedded app fits a narrow frame', async ({ page }) => {
  await page.setViewportSize({ width: 420, height: 500 })
  await page.goto('/?embed=1')
  await expect(page.getByTestId('embed-app')).toBeVisible()
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
  expect(overflow).toBeLessThanOrEqual(0)
  const box = await page.getByTestId('embed-app').boundingBox()
  expect(box?.width).toBe(420)
  expect(box?.height).toBe(500)
  await expect(page.getByRole('link', { name: 'Open in full app' })).toBeVisible()
})

test('with origin= only that origin may command the app', async ({ page }) => {
  await page.goto('/embed-example.html')
  await expect(page.locator('#status')).toHaveText('Ready')
  const app = page.frameLocator('#app')
  const send = () => page.evaluate(() => {
    const frame = document.getElementById('app') as HTMLIFrameElement
    frame.contentWindow!.postMessage({ type: 'kpv:sendPacket', from: 'kind-worker', to: 'default/nginx-service', port: 80 }, '*')
  })
  // Resolves once the frame has loaded the new page: until then the old page (and its origin rule) answers.
  const repoint = (origin: string) => page.evaluate((o) => new Promise<void>((resolve) => {
    const frame = document.getElementById('app') as HTMLIFrameElement
    frame.addEventListener('load', () => resolve(), { once: true })
    frame.src = `./?embed=1&origin=${encodeURIComponent(o)}`
  }), origin)
  // Restricted to another origin: this page is not heard.
  await repoint('https://trainer.example')
  await expect(app.locator('[data-testid="pod"]')).toHaveCount(4)
  await send()
  await page.waitForTimeout(1500)
  await expect(app.getByTestId('player-bar')).toHaveCount(0)
  // Restricted to this page's origin: it is.
  await repoint(new URL(page.url()).origin)
  await expect(app.locator('[data-testid="pod"]')).toHaveCount(4)
  await send()
  await expect(app.getByTestId('player-bar')).toBeVisible()
})

test('autoplay=1 plays the link’s packet on its own', async ({ page }) => {
  const { deflateSync } = await import('fflate')
  const doc = JSON.stringify({
    apiVersion: 'kube-proxy-visualizer.dev/v1', kind: 'Scenario', metadata: { name: 'auto' }, seed: 1,
    operations: [
      { apply: (await import('node:fs')).readFileSync('scenarios/nginx-clusterip.yaml', 'utf8') },
      { send: { from: 'kind-worker', to: 'default/nginx-service', port: 80 } },
    ],
  })
  const fragment = Buffer.from(deflateSync(new TextEncoder().encode(doc))).toString('base64url')
  await page.goto(`/?embed=1&autoplay=1#s=${fragment}`)
  await expect(page.getByTestId('player-bar')).toBeVisible()
  await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible()
  await expect.poll(async () => Number((await page.getByTestId('player-status').textContent())?.split('/')[0])).toBeGreaterThan(2)
})
