import { expect, test, type Page } from '@playwright/test'
import { openApp } from './helpers.ts'

/** Opens the Packet tab and picks a source and a destination (by the option's label). */
async function choose(page: Page, source: string | RegExp, destination = 'nginx-service:80/TCP'): Promise<void> {
  await page.getByRole('tablist', { name: 'Side panel' }).getByRole('tab', { name: 'Packet' }).click()
  const sourceSelect = page.getByLabel('Source', { exact: true })
  const label = await sourceSelect.locator('option').evaluateAll((options, wanted) => {
    const re = typeof wanted === 'string' ? null : new RegExp(wanted.source)
    return options.map((o) => o.textContent ?? '').find((t) => (re ? re.test(t) : t === wanted)) ?? ''
  }, typeof source === 'string' ? source : { source: source.source })
  await sourceSelect.selectOption({ label })
  await page.getByLabel('Destination', { exact: true }).selectOption({ label: destination })
}

const status = (page: Page) => page.getByTestId('player-status')
const markers = (page: Page) => page.getByTestId('hop-marker')

/** The hop markers' accessible names, in order (`Step 5: kind-worker · nat KUBE-SERVICES rule 2`). */
async function hopNames(page: Page): Promise<string[]> {
  return markers(page).evaluateAll((els) => els.map((el) => el.getAttribute('aria-label') ?? ''))
}

/** Index of the first hop name matching each pattern, each after the previous one. */
function inOrder(names: string[], patterns: RegExp[]): number[] {
  const found: number[] = []
  let from = 0
  for (const p of patterns) {
    const i = names.findIndex((n, k) => k >= from && p.test(n))
    found.push(i)
    if (i >= 0) from = i + 1
  }
  return found
}

test('a packet from a Pod to nginx-service:80, driven with the keyboard and the buttons', async ({ page }) => {
  await openApp(page)
  await choose(page, /^kube-system\/coredns-/)
  await page.getByRole('button', { name: 'Send packet' }).click()
  // It plays on its own; pause it and take over.
  await page.getByRole('button', { name: 'Pause' }).click()
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible()
  await expect(page.getByTestId('packet-token')).toBeVisible()

  // The hops: from the Pod's veth into its Node, nat PREROUTING → KUBE-SERVICES → KUBE-SVC-… → KUBE-SEP-… (DNAT).
  const names = await hopNames(page)
  const order = inOrder(names, [/: Pod coredns-\S+ → kind-control-plane$/, /nat PREROUTING rule 1$/, /nat KUBE-SERVICES rule \d+$/, /nat KUBE-SVC-\w+ rule \d+$/, /nat KUBE-SEP-\w+ rule \d+$/, /: delivered to Pod nginx-deployment-/])
  expect(order.every((i) => i >= 0), `${order} in ${names.join('\n')}`).toBe(true)

  // Keyboard: Home goes to the first hop, → and ← step, End to the last.
  await page.locator('body').click({ position: { x: 5, y: 300 } })
  await page.keyboard.press('Home')
  await expect(status(page)).toContainText(`1/${names.length}`)
  await page.keyboard.press('ArrowRight')
  await page.keyboard.press('ArrowRight')
  await expect(status(page)).toContainText(`3/${names.length}`)
  await page.keyboard.press('ArrowLeft')
  await expect(status(page)).toContainText(`2/${names.length}`)
  // Buttons.
  await page.getByRole('button', { name: 'Step forward' }).click()
  await expect(status(page)).toContainText(`3/${names.length}`)
  await page.getByRole('button', { name: 'Step back' }).click()
  await expect(status(page)).toContainText(`2/${names.length}`)
  await page.getByRole('button', { name: 'Restart' }).click()
  await expect(status(page)).toContainText(`1/${names.length}`)

  // The DNAT rule: the header calls out the destination changing from the cluster IP to the Pod's IP.
  await markers(page).and(page.locator('[data-chain^="KUBE-SEP-"][data-changed*="dst"]')).first().click()
  await expect(page.getByTestId('step-title')).toContainText(/nat KUBE-SEP-\w+ rule \d+/)
  await expect(page.getByTestId('step-verdict')).toContainText('DNAT')
  const dst = page.getByTestId('packet-header').locator('[data-field="dst"][data-changed] td')
  await expect(dst).toHaveText(/^10\.96\.\d+\.\d+ → 10\.244\.\d+\.\d+$/)
  await expect(dst.getByLabel(/^dst changed from 10\.96\.\d+\.\d+ to 10\.244\.\d+\.\d+$/)).toBeVisible()
  // The chain's rules, the rule under evaluation highlighted.
  await expect(page.getByTestId('chain-rule').and(page.locator('[data-current]'))).toContainText('-j DNAT --to-destination 10.244.')
  await expect(page.getByTestId('node-pipeline').locator('[data-hook="PREROUTING"][data-current]')).toBeVisible()

  // The Pod reached: the request's delivery names an nginx Pod.
  await markers(page).and(page.locator('[data-kind="deliver"]')).first().click()
  await expect(page.getByTestId('step-text')).toContainText(/^delivered to Pod default\/nginx-deployment-\S+ \(10\.244\.\d+\.\d+\)$/)
  await expect(page.getByTestId('journey-summary')).toContainText(/reached Pod default\/nginx-deployment-/)

  // End: the last hop, the client receives the answer from the Service address.
  await page.locator('body').click({ position: { x: 5, y: 300 } })
  await page.keyboard.press('End')
  await expect(status(page)).toContainText(`${names.length}/${names.length}`)
  await expect(page.getByTestId('step-text')).toContainText(/receives SYN-ACK from 10\.96\.\d+\.\d+:80/)

  // Space plays from the start (at the end) and pauses again.
  await page.keyboard.press(' ')
  await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible()
  await page.keyboard.press(' ')
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible()

  // Right after clicking a player button, Space is still play/pause.
  await page.getByRole('button', { name: 'Restart' }).click()
  await page.keyboard.press(' ')
  await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible()
  await page.getByRole('button', { name: 'Pause' }).click()

  // The transcript holds the whole journey, and copies.
  const transcript = page.getByLabel('Journey transcript')
  await expect(transcript).toContainText('KUBE-SVC-')
  await expect(transcript).toContainText(/dst 10\.96\.\d+\.\d+ → 10\.244\.\d+\.\d+/)
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'])
  await page.getByRole('button', { name: 'Copy transcript' }).click()
  await expect(page.getByText('Copied', { exact: true })).toBeVisible()
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await transcript.textContent())
})

test('a packet from a Node goes through nat OUTPUT, and the timeline scrubs', async ({ page }) => {
  await openApp(page)
  await choose(page, 'kind-worker')
  await page.getByRole('button', { name: 'Send packet' }).click()
  await page.getByRole('button', { name: 'Pause' }).click()
  const names = await hopNames(page)
  const order = inOrder(names, [/nat OUTPUT rule 1$/, /nat KUBE-SERVICES rule \d+$/, /nat KUBE-SVC-\w+ rule \d+$/, /nat KUBE-SEP-\w+ rule \d+$/, /: delivered to Pod nginx-deployment-/])
  expect(order.every((i) => i >= 0), `${order} in ${names.join('\n')}`).toBe(true)
  const timeline = page.getByRole('slider', { name: 'Timeline' })
  await timeline.fill(String(order[1]))
  await expect(status(page)).toContainText(`${order[1] + 1}/${names.length}`)
  await expect(page.getByTestId('step-title')).toContainText('nat KUBE-SERVICES')
  await page.getByLabel('Speed').selectOption('4')
  await page.getByRole('button', { name: 'Play' }).click()
  // At 4× the rest of the journey plays out and stops at the last hop.
  await expect(status(page)).toContainText(`${names.length}/${names.length}`, { timeout: 45_000 })
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible()
})

test('1,000 connections to nginx-service split about evenly between its two Pods', async ({ page }) => {
  await openApp(page)
  await choose(page, 'kind-worker')
  await page.getByRole('button', { name: 'Send 1,000' }).click()
  const bars = page.getByTestId('lb-bar')
  await expect(bars).toHaveCount(2, { timeout: 30_000 })
  const counts = await bars.evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-count'))))
  expect(counts.reduce((a, b) => a + b, 0)).toBe(1000)
  for (const c of counts) expect(c).toBeGreaterThan(400)
  for (const pod of await bars.evaluateAll((els) => els.map((el) => el.getAttribute('data-pod') ?? ''))) expect(pod).toMatch(/^nginx-deployment-/)
  await expect(bars.first()).toContainText('expected 50.0%')
  await expect(page.getByTestId('lb-chart')).toContainText(/KUBE-SVC-\w+ on kind-worker/)

  // The rule counters rose: one more packet, and its KUBE-SVC- chain shows what the 1,000 did.
  await page.getByRole('button', { name: 'Send packet' }).click()
  await page.getByRole('button', { name: 'Pause' }).click()
  await markers(page).and(page.locator('[data-chain^="KUBE-SVC-"]')).first().click()
  const rules = page.getByTestId('chain-rule')
  await expect(rules.filter({ hasText: '--probability' })).toHaveCount(1)
  const counters = await rules.filter({ hasText: '-j KUBE-SEP-' }).evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-packets'))))
  expect(counters).toHaveLength(2)
  expect(counters.reduce((a, b) => a + b, 0)).toBe(1001)
})

test('with prefers-reduced-motion the token jumps to its place instead of travelling', async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' })
  await openApp(page)
  await choose(page, /^kube-system\/coredns-/)
  await page.getByRole('button', { name: 'Send packet' }).click()
  await page.getByRole('button', { name: 'Pause' }).click()
  await page.getByLabel('Speed').selectOption('0.25')
  const names = await hopNames(page)
  const move = names.findIndex((n) => /: kind-control-plane → kind-worker2?$/.test(n))
  expect(move).toBeGreaterThan(0)
  await markers(page).nth(move - 1).click()
  const token = page.getByTestId('packet-token')
  const before = await token.evaluate((el) => el.style.transform)
  await page.getByRole('button', { name: 'Step forward' }).click()
  const right = await token.evaluate((el) => el.style.transform)
  await page.waitForTimeout(600)
  // No frames in between: the first position after the step is already the last.
  expect(await token.evaluate((el) => el.style.transform)).toBe(right)
  expect(right).not.toBe(before)
})

test('an outside client cannot reach a ClusterIP Service: the engine says why, and nothing is added to the scenario', async ({ page }) => {
  await openApp(page)
  await choose(page, 'an outside client (IP)')
  await expect(page.getByLabel('Client IP')).toHaveValue('172.18.0.100')
  await page.getByRole('button', { name: 'Send packet' }).click()
  await expect(page.getByRole('alert')).toContainText('cannot be reached from outside the cluster')
  await expect(page.getByText('1 scenario step')).toBeVisible()
})

test('the next packet of the same connection skips the nat table and reaches the same Pod', async ({ page }) => {
  await openApp(page)
  await choose(page, 'kind-worker')
  await page.getByRole('button', { name: 'Send packet' }).click()
  await page.getByRole('button', { name: 'Pause' }).click()
  const first = await page.getByTestId('journey-summary').textContent()
  const pod = /reached Pod (\S+)/.exec(first ?? '')?.[1]
  expect(pod).toMatch(/^default\/nginx-deployment-/)
  await page.getByRole('button', { name: 'Send next packet' }).click()
  await expect(page.getByTestId('journey-summary')).toContainText('(next packet)')
  await expect(page.getByTestId('journey-summary')).toContainText(`reached Pod ${pod}`)
  const names = await hopNames(page)
  expect(names.some((n) => /nat KUBE-SERVICES/.test(n))).toBe(false)
  expect(names.some((n) => /skip-table \(OUTPUT\)/.test(n))).toBe(true)
})

test('a firewall rule typed in a Node console drops the packet, and the player shows where', async ({ page }) => {
  await openApp(page)
  await page.getByRole('tablist', { name: 'Bottom panel' }).getByRole('tab', { name: 'Nodes' }).click()
  await page.getByRole('tablist', { name: 'Node' }).getByRole('tab', { name: 'kind-control-plane', exact: true }).click()
  await page.getByRole('tab', { name: 'Console', exact: true }).click()
  const line = 'iptables -I FORWARD 1 -p tcp --dport 80 -j DROP'
  await page.getByRole('textbox', { name: 'Command on kind-control-plane' }).fill(line)
  await page.getByRole('textbox', { name: 'Command on kind-control-plane' }).press('Enter')
  await expect(page.getByTestId('console-line').last()).toHaveText(line)

  await choose(page, /^kube-system\/coredns-/)
  await page.getByRole('button', { name: 'Send packet' }).click()
  await expect(page.getByTestId('journey-summary')).toContainText('dropped on kind-control-plane (filter FORWARD rule 1)')
  await page.locator('body').click({ position: { x: 5, y: 300 } })
  await page.keyboard.press('End')
  await expect(page.getByTestId('step-title')).toContainText('dropped')
  await markers(page).and(page.locator('[data-chain="FORWARD"][data-kind="rule"]')).last().click()
  await expect(page.getByTestId('step-text')).toHaveText('-A FORWARD -p tcp -m tcp --dport 80 -j DROP')
  await expect(page.getByTestId('step-verdict')).toHaveText('DROP')
})
