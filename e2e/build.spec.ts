/**
 * The production build outside the dev server: served from a sub-path, used offline once loaded, and as one
 * self-contained HTML file opened from disk. Builds its own copies into a temporary folder.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { extname, join, normalize } from 'node:path'
import { pathToFileURL } from 'node:url'
import { expect, test, type Page } from '@playwright/test'

const SUB = '/some/sub/path/'
const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' }

let root = ''
let server: Server
let origin = ''

/** Serves `dir` under SUB only; everything else is a 404 (so an absolute /assets/… path would fail). */
function serve(dir: string): Promise<Server> {
  const s = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)
    if (!path.startsWith(SUB)) { res.writeHead(404).end(); return }
    const file = normalize(join(dir, path.slice(SUB.length) || 'index.html'))
    if (!file.startsWith(dir)) { res.writeHead(403).end(); return }
    try {
      const target = statSync(file).isDirectory() ? join(file, 'index.html') : file
      res.writeHead(200, { 'content-type': types[extname(target)] ?? 'application/octet-stream' }).end(readFileSync(target))
    } catch {
      res.writeHead(404).end()
    }
  })
  return new Promise((resolve) => s.listen(0, '127.0.0.1', () => resolve(s)))
}

test.describe.configure({ mode: 'serial' })

test.beforeAll(async () => {
  test.setTimeout(180_000)
  root = mkdtempSync(join(tmpdir(), 'kpv-build-'))
  const vite = (args: string[]) => execFileSync('npx', ['vite', 'build', '--logLevel', 'warn', ...args], { stdio: 'pipe' })
  vite(['--outDir', join(root, 'site'), '--emptyOutDir'])
  vite(['--mode', 'single', '--outDir', join(root, 'single'), '--emptyOutDir'])
  server = await serve(join(root, 'site'))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

test.afterAll(() => {
  server?.close()
  if (root) rmSync(root, { recursive: true, force: true })
})

const nginxPods = (page: Page) => page.locator('[data-testid="pod"][data-pod-name^="nginx-deployment-"]')

/** Sends a packet from a Node to nginx-service with the Packet tab (the engine worker must run). */
async function sendPacket(page: Page) {
  await page.getByRole('tablist', { name: 'Side panel' }).getByRole('tab', { name: 'Packet' }).click()
  await page.getByLabel('Source', { exact: true }).selectOption({ label: 'kind-worker' }).catch(async () => {
    const source = page.getByLabel('Source', { exact: true })
    const label = await source.locator('option').evaluateAll((os) => os.map((o) => o.textContent ?? '').find((t) => /kind-worker/.test(t)) ?? '')
    await source.selectOption({ label })
  })
  await page.getByLabel('Destination', { exact: true }).selectOption({ label: 'nginx-service:80/TCP' })
  await page.getByRole('button', { name: 'Send packet' }).click()
  await expect(page.getByTestId('player-bar')).toBeVisible()
}

test('served from a sub-path, with nothing fetched from anywhere else', async ({ page }) => {
  const foreign: string[] = []
  await page.route('**/*', (route) => {
    const url = route.request().url()
    if (url.startsWith(origin) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue()
    foreign.push(url)
    return route.abort()
  })
  const failed: string[] = []
  page.on('response', (r) => { if (r.status() >= 400) failed.push(r.url()) })
  await page.goto(`${origin}${SUB}`)
  await expect(nginxPods(page)).toHaveCount(2)
  await sendPacket(page)
  await page.goto(`${origin}${SUB}embed-example.html`)
  await expect(page.locator('#status')).toHaveText('Ready')
  expect(foreign).toEqual([])
  expect(failed).toEqual([])
})

test('offline after load: no request while the app is used', async ({ page, context }) => {
  await page.goto(`${origin}${SUB}`)
  await expect(nginxPods(page)).toHaveCount(2)
  await page.waitForLoadState('networkidle')
  const after: string[] = []
  page.on('request', (r) => { if (!r.url().startsWith('data:') && !r.url().startsWith('blob:')) after.push(r.url()) })
  await context.setOffline(true)
  // The editor and the YAML view are loaded lazily; they were fetched while online.
  await page.getByRole('tab', { name: 'Manifest' }).click()
  await expect(page.getByRole('textbox', { name: 'Manifest editor' })).toBeVisible()
  await sendPacket(page)
  await page.getByTestId('deployment').filter({ hasText: 'nginx-deployment' }).click()
  await page.getByTestId('pod').first().click()
  expect(after).toEqual([])
})

test('one self-contained HTML file works opened from disk', async ({ page }) => {
  const dir = join(root, 'single')
  expect(readdirSync(dir)).toEqual(['index.html'])
  const html = readFileSync(join(dir, 'index.html'), 'utf8')
  expect(html).not.toMatch(/<script[^>]+src=/)
  expect(html).not.toMatch(/<link[^>]+stylesheet/)
  const requests: string[] = []
  page.on('request', (r) => requests.push(r.url().slice(0, 60)))
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  await page.goto(pathToFileURL(join(dir, 'index.html')).href)
  await expect(nginxPods(page)).toHaveCount(2)
  await sendPacket(page)
  // A share link opens from the file too.
  await page.getByRole('button', { name: 'Share' }).click()
  const link = await page.getByRole('textbox', { name: 'Link to this scenario' }).inputValue()
  expect(link).toMatch(/^file:.*#s=/)
  expect(errors).toEqual([])
  expect(requests.filter((u) => !/^(file|data|blob):/.test(u))).toEqual([])
})
