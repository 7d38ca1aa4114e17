import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test, type Download, type Page } from '@playwright/test'
import { podCards } from './helpers.ts'


/** Opens the app and waits for the default cluster (a busy machine makes the first replay slow). */
async function openApp(page: Page): Promise<void> {
  await page.goto('/')
  await expect(podCards(page)).toHaveCount(2, { timeout: 30_000 })
}

const fixtures = join(import.meta.dirname, '..', 'src', 'engine', 'scenario')
const kindListPath = join(fixtures, 'import-kind-list.fixture.yaml')
const kindWorkerSave = readFileSync(join(fixtures, 'import-kind-worker.iptables-save.fixture.txt'), 'utf8')

async function downloadOf(page: Page, button: string): Promise<{ download: Download; bytes: Buffer }> {
  const menu = page.getByRole('group', { name: 'Export' })
  if (!(await menu.isVisible())) await page.getByRole('button', { name: 'Export', exact: true }).click()
  const [download] = await Promise.all([page.waitForEvent('download'), menu.getByRole('button', { name: button, exact: true }).click()])
  const path = await download.path()
  return { download, bytes: readFileSync(path) }
}

async function sendFromKindWorker(page: Page, destination: { service?: string; ip?: string; port?: string }): Promise<void> {
  await page.getByRole('tablist', { name: 'Side panel' }).getByRole('tab', { name: 'Packet' }).click()
  await page.getByLabel('Source').selectOption('node:kind-worker')
  if (destination.service) await page.getByLabel('Destination', { exact: true }).selectOption(destination.service)
  else {
    await page.getByLabel('Destination', { exact: true }).selectOption('ip')
    await page.getByLabel('Destination IP').fill(destination.ip!)
    await page.getByRole('textbox', { name: 'Port' }).fill(destination.port!)
  }
  await page.getByRole('button', { name: 'Send packet' }).click()
}

test('import a kubectl List from a file: the real cluster\'s Nodes and Pods appear', async ({ page }) => {
  await openApp(page)
  await page.getByRole('button', { name: 'Import' }).click()
  const dialog = page.getByRole('dialog', { name: 'Import' })
  await dialog.getByLabel('Choose a file').setInputFiles(kindListPath)
  await dialog.getByRole('button', { name: 'Import cluster' }).click()
  await expect(dialog.getByRole('status')).toHaveText('Imported 3 Nodes, 16 Pods, 3 Services and 3 EndpointSlices.')
  await dialog.getByRole('button', { name: 'Close import' }).click()
  for (const pod of ['nginx-deployment-7c79c4bf97-2xkqp', 'nginx-deployment-7c79c4bf97-9fj4w', 'nginx-deployment-7c79c4bf97-ltx8m', 'local-path-provisioner-57c5987fd4-k2x9v']) {
    await expect(page.locator(`[data-testid="pod"][data-pod-name="${pod}"]`)).toHaveCount(1)
  }
  await expect(page.locator('[data-testid="pod"][data-pod-name="nginx-deployment-7c79c4bf97-ltx8m"]')).toHaveAttribute('data-pod-ip', '10.244.2.3')
  await expect(page.locator('[data-testid="k8s-node"][data-node-name="kind-worker"]').first()).toContainText('172.18.0.2')
  // The previous cluster is one Undo away.
  await page.getByRole('button', { name: 'Undo' }).click()
  await expect(page.locator('[data-testid="pod"][data-pod-name="nginx-deployment-7c79c4bf97-2xkqp"]')).toHaveCount(0)
})

test('import refuses text that is not a cluster dump and keeps it', async ({ page }) => {
  await openApp(page)
  await page.getByRole('button', { name: 'Import' }).click()
  const dialog = page.getByRole('dialog', { name: 'Import' })
  await dialog.getByLabel('kubectl output').fill('apiVersion: v1\nkind: List\nitems: []\n')
  await dialog.getByRole('button', { name: 'Import cluster' }).click()
  await expect(dialog.getByRole('alert')).toContainText('the List has no Nodes')
  await expect(dialog.getByLabel('kubectl output')).toHaveValue(/kind: List/)
})

test('a real node\'s iptables-save loaded onto kind-worker: a packet is traced through its rules', async ({ page }) => {
  await openApp(page)
  await page.getByRole('button', { name: 'Import' }).click()
  const dialog = page.getByRole('dialog', { name: 'Import' })
  await dialog.getByLabel('A node\'s iptables-save').check()
  await dialog.getByLabel('Node', { exact: true }).selectOption('kind-worker')
  await dialog.getByLabel('iptables-save output').fill(kindWorkerSave)
  await dialog.getByRole('button', { name: 'Load onto node' }).click()
  await expect(dialog.getByRole('status')).toHaveText('Loaded mangle, filter, nat onto kind-worker: packets sent now go through these rules.')
  await dialog.getByRole('button', { name: 'Close import' }).click()
  // 10.96.104.217 is the real cluster's nginx-service: only the loaded rules know it.
  await sendFromKindWorker(page, { ip: '10.96.104.217', port: '80' })
  await page.getByRole('button', { name: 'Pause' }).click()
  const transcript = (await downloadOf(page, 'Export transcript')).bytes.toString('utf8')
  expect(transcript).toContain('-A KUBE-SERVICES -d 10.96.104.217/32 -p tcp -m comment --comment "default/nginx-service cluster IP" -m tcp --dport 80 -j KUBE-SVC-V2OKYYMBY3REGZOG')
  expect(transcript).toMatch(/DNAT --to-destination 10\.244\.(1\.2|2\.2|2\.3):80/)
})

test('every export downloads a non-empty file of the right type', async ({ page }) => {
  await openApp(page)
  await sendFromKindWorker(page, { service: 'svc:default/nginx-service:80:tcp' })
  await page.getByRole('button', { name: 'Pause' }).click()

  const save = await downloadOf(page, 'Export iptables-save')
  expect(save.download.suggestedFilename()).toMatch(/^kind-worker-iptables-save\.txt$/)
  expect(save.bytes.toString('utf8')).toMatch(/^# Generated by iptables-save v1\.8\.9 \(nf_tables\)[\s\S]*\*nat\n[\s\S]*COMMIT\n# Completed on/)

  const scenario = await downloadOf(page, 'Export scenario')
  expect(scenario.download.suggestedFilename()).toBe('scenario.yaml')
  expect(scenario.bytes.toString('utf8')).toMatch(/^apiVersion: kube-proxy-visualizer\.dev\/v1\nkind: Scenario\n/)
  expect(scenario.bytes.toString('utf8')).toContain('- send:')

  const transcript = await downloadOf(page, 'Export transcript')
  expect(transcript.download.suggestedFilename()).toBe('journey-transcript.txt')
  expect(transcript.bytes.toString('utf8')).toContain('KUBE-SERVICES')

  const trace = await downloadOf(page, 'Export trace')
  expect(trace.download.suggestedFilename()).toBe('journey-trace.txt')
  const traceLines = trace.bytes.toString('utf8').trimEnd().split('\n')
  expect(traceLines.length).toBeGreaterThan(5)
  // xtables-monitor --trace: a PACKET line where a traversal starts, then one TRACE line per rule or policy met.
  for (const line of traceLines) expect(line).toMatch(/^(PACKET| TRACE): \d+ [0-9a-f]{8} /)
  expect(traceLines.filter((l) => l.startsWith(' TRACE: ')).some((l) => /nat:KUBE-SERVICES:rule:0x[0-9a-f]+:JUMP:KUBE-SVC-/.test(l))).toBe(true)

  const png = await downloadOf(page, 'Export PNG')
  expect(png.download.suggestedFilename()).toBe('cluster-canvas.png')
  expect([...png.bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
  const size = await page.evaluate(async (b64) => {
    const bitmap = await createImageBitmap(await (await fetch(`data:image/png;base64,${b64}`)).blob())
    return { width: bitmap.width, height: bitmap.height }
  }, png.bytes.toString('base64'))
  expect(size.width).toBeGreaterThan(200)
  expect(size.height).toBeGreaterThan(200)

  const svg = await downloadOf(page, 'Export SVG')
  expect(svg.download.suggestedFilename()).toBe('cluster-canvas.svg')
  expect(svg.bytes.toString('utf8')).toMatch(/^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/)
  expect(svg.bytes.toString('utf8')).toContain('nginx-service')
  // The app's own fonts travel inside the image (the PNG is drawn from the same document), so it looks the
  // same wherever it is opened or made.
  for (const family of ['Inter Variable', 'JetBrains Mono Variable']) {
    expect(svg.bytes.toString('utf8')).toMatch(new RegExp(`@font-face \\{ font-family: "${family}";[^}]*src: url\\("data:`))
  }
})
