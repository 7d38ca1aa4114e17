import { deflateSync } from 'fflate'
import { expect, test, type Page } from '@playwright/test'
import { openApp, podCards, scaleNginx, typeManifest } from './helpers.ts'

const toBase64Url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url')
const fragmentOf = (text: string) => `#s=${toBase64Url(deflateSync(new TextEncoder().encode(text)))}`
const documentWith = (fields: Record<string, unknown>) => JSON.stringify({
  apiVersion: 'kube-proxy-visualizer.dev/v1', kind: 'Scenario', metadata: { name: 'x' }, seed: 1, ...fields,
})

const hopNames = (page: Page) => page.getByTestId('hop-marker').evaluateAll((els) => els.map((el) => el.getAttribute('aria-label') ?? ''))

/** Every dialog (alert, confirm) and every script a link might smuggle in fails the test. */
function guard(page: Page): { dialogs: string[] } {
  const seen = { dialogs: [] as string[] }
  page.on('dialog', (d) => { seen.dialogs.push(d.message()); void d.dismiss() })
  return seen
}

test('a shared link reopens the scenario and the step in a new page, reaching the same Pod', async ({ page, browser }) => {
  await openApp(page)
  await page.getByRole('tablist', { name: 'Side panel' }).getByRole('tab', { name: 'Packet' }).click()
  const source = page.getByLabel('Source', { exact: true })
  const coredns = await source.locator('option').evaluateAll((os) => os.map((o) => o.textContent ?? '').find((t) => t.startsWith('kube-system/coredns-')) ?? '')
  await source.selectOption({ label: coredns })
  await page.getByLabel('Destination', { exact: true }).selectOption({ label: 'nginx-service:80/TCP' })
  await page.getByRole('button', { name: 'Send packet' }).click()
  await expect(page.getByTestId('player-bar')).toBeVisible()
  await page.getByRole('button', { name: 'Pause' }).click().catch(() => {})
  await page.getByRole('slider', { name: 'Timeline' }).fill('7')
  const names = await hopNames(page)
  const deliveredTo = names.find((n) => /nginx-deployment-/.test(n) && /deliver/i.test(n)) ?? names.find((n) => /DNAT/.test(n))
  expect(deliveredTo).toBeTruthy()
  const status = await page.getByTestId('player-status').textContent()
  expect(status).toMatch(/^8\//)

  await page.getByRole('button', { name: 'Share' }).click()
  const link = await page.getByRole('textbox', { name: 'Link to this scenario' }).inputValue()
  expect(link).toMatch(/#s=[A-Za-z0-9_-]+$/)

  // A different person: a fresh browser context, nothing stored.
  const other = await browser.newContext()
  const second = await other.newPage()
  await second.goto(link)
  await expect(second.getByTestId('player-bar')).toBeVisible()
  await expect(second.getByTestId('player-status')).toHaveText(status ?? '')
  expect(await hopNames(second)).toEqual(names)
  await expect(podCards(second)).toHaveCount(2)
  await other.close()
})

test.describe('hostile and broken links are refused safely', () => {
  const cases: [string, string, RegExp][] = [
    ['script in a name', fragmentOf(documentWith({ metadata: { name: '<script>alert(1)</script>' } })), /metadata.name/],
    ['script in a Pod reference', fragmentOf(documentWith({ operations: [{ deletePod: 'default/<img src=x onerror=alert(1)>' }] })), /deletePod/],
    ['malformed base64', '#s=%%%not*base64!!', /not valid base64url/],
    ['truncated deflate', fragmentOf(documentWith({ operations: [{ advance: 1 }] })).slice(0, 30), /cut short|damaged/],
    ['a zip bomb', `#s=${toBase64Url(deflateSync(new Uint8Array(64 * 1024 * 1024)))}`, /expands to more than 2 MB/],
    ['wrong types', fragmentOf(documentWith({ seed: 'seven', operations: 'all of them' })), /seed: expected a whole number/],
    ['not JSON or YAML at all', fragmentOf('{{{ ]]] : :'), /not valid/],
  ]
  for (const [name, fragment, message] of cases) {
    test(name, async ({ page }) => {
      // The person has their own scenario saved: three nginx replicas.
      await openApp(page)
      await scaleNginx(page, 3)
      const saved = await page.evaluate(() => localStorage.getItem('kube-proxy-visualizer'))
      const seen = guard(page)
      await page.goto(`/${fragment}`)
      await expect(page.getByRole('alert').filter({ hasText: 'This link is damaged:' })).toContainText(message)
      // The default scenario is open...
      await expect(podCards(page)).toHaveCount(2)
      expect(await page.locator('img[src="x"]').count()).toBe(0)
      expect(seen.dialogs).toEqual([])
      // ...and the saved one is untouched: it comes back without the link.
      expect(await page.evaluate(() => localStorage.getItem('kube-proxy-visualizer'))).toBe(saved)
      await page.goto('/')
      await expect(podCards(page)).toHaveCount(3)
    })
  }

  test('a 50 MB fragment', async ({ page }) => {
    await openApp(page)
    const seen = guard(page)
    // Browsers do not navigate to 50 MB addresses; put it into this page's fragment instead.
    await page.evaluate(() => { location.hash = `s=${'A'.repeat(50 * 1024 * 1024)}` })
    await expect(page.getByRole('alert').filter({ hasText: 'This link is damaged:' })).toContainText(/too long/)
    await expect(podCards(page)).toHaveCount(2)
    expect(seen.dialogs).toEqual([])
  })

  test('markup in a valid link’s texts is shown as text', async ({ page }) => {
    const seen = guard(page)
    const doc = documentWith({
      metadata: { name: 'x', title: '<img src=x onerror=alert(1)>', description: '<script>alert(2)</script>' },
      operations: [{ apply: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: demo\n' }],
      lesson: { steps: [{ title: '<b>step</b>', text: '<img src=x onerror=alert(3)> **bold**' }] },
    })
    await page.goto(`/${fragmentOf(doc)}`)
    await expect(page.getByText('Opened from a link')).toContainText('<img src=x onerror=alert(1)>')
    expect(await page.locator('img[src="x"]').count()).toBe(0)
    await page.waitForTimeout(300)
    expect(seen.dialogs).toEqual([])
  })
})

test('“Keep this one instead” makes the link’s scenario the saved one', async ({ page }) => {
  const doc = documentWith({
    metadata: { name: 'kept', title: 'Scaled to three' },
    operations: [
      { apply: (await import('node:fs')).readFileSync('scenarios/nginx-clusterip.yaml', 'utf8') },
      { scale: { deployment: 'default/nginx-deployment', replicas: 3 } },
    ],
  })
  await page.goto(`/${fragmentOf(doc)}`)
  await expect(podCards(page)).toHaveCount(3)
  await expect(page.getByText('Opened from a link')).toContainText('Scaled to three')
  await page.goto('/')
  await expect(podCards(page)).toHaveCount(2)
  await page.goto(`/${fragmentOf(doc)}`)
  await expect(podCards(page)).toHaveCount(3)
  await page.getByRole('button', { name: 'Keep this one instead' }).click()
  await page.goto('/')
  await expect(podCards(page)).toHaveCount(3)
})

test('an apply still with the engine when a link opens lands first and is saved; the link then opens whole', async ({ page }) => {
  const race = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: race-web\nspec:\n  selector:\n    app: nginx\n  ports:\n  - port: 80\n'
  const link = fragmentOf(documentWith({
    metadata: { name: 'scaled', title: 'Scaled to three' },
    operations: [
      { apply: (await import('node:fs')).readFileSync('scenarios/nginx-clusterip.yaml', 'utf8') },
      { scale: { deployment: 'default/nginx-deployment', replicas: 3 } },
    ],
  }))
  await openApp(page)
  await typeManifest(page, race)
  // Apply, and in the same moment a link pasted into this tab: the apply is still with the engine worker.
  await page.evaluate((hash) => {
    [...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Apply')!.click()
    location.hash = hash
  }, link)
  // The link opens whole: three nginx Pods, and the apply did not overwrite it...
  await expect(page.getByText('Opened from a link')).toContainText('Scaled to three')
  await expect(podCards(page)).toHaveCount(3)
  await expect(page.locator('[data-testid="service"][data-service-name="race-web"]')).toHaveCount(0)
  // ...because it landed first, on the person's own scenario, and was saved there, once.
  const saved = await page.evaluate(() => JSON.parse(localStorage.getItem('kube-proxy-visualizer') ?? 'null') as { state: { scenario: { operations: { yaml?: string }[] } } })
  expect(saved.state.scenario.operations.filter((op) => op.yaml?.includes('name: race-web'))).toHaveLength(1)
  // Without the link the person's scenario comes back, with the apply shown.
  await page.goto('/')
  await expect(page.locator('[data-testid="service"][data-service-name="race-web"]')).toBeVisible()
  await expect(podCards(page)).toHaveCount(2)
})
