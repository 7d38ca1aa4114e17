import { expect, test, type Locator, type Page } from '@playwright/test'
import { openApp } from './helpers.ts'

const modeSelect = (page: Page): Locator => page.getByRole('combobox', { name: 'kube-proxy mode' })

async function openConsole(page: Page, node: string): Promise<void> {
  await page.getByRole('tablist', { name: 'Bottom panel' }).getByRole('tab', { name: 'Nodes' }).click()
  await page.getByRole('tablist', { name: 'Node' }).getByRole('tab', { name: node, exact: true }).click()
  await page.getByRole('tab', { name: 'Console', exact: true }).click()
}

/** Types a line into the node's console and returns its transcript entry once it has answered. */
async function typeLine(page: Page, node: string, line: string): Promise<Locator> {
  const entries = page.getByTestId('console-entry')
  const before = await entries.count()
  const input = page.getByRole('textbox', { name: `Command on ${node}` })
  await input.fill(line)
  await input.press('Enter')
  await expect(entries).toHaveCount(before + 1)
  const entry = entries.last()
  await expect(entry.getByTestId('console-line')).toHaveText(line)
  return entry
}

test('switching kube-proxy mode re-programs the Nodes: nft answers in nftables mode, ipvsadm in IPVS mode; undo goes back', async ({ page }) => {
  await openApp(page)
  await expect(modeSelect(page)).toHaveValue('iptables')

  await modeSelect(page).selectOption('nftables')
  await expect(page.getByTestId('mode-switch')).toHaveAttribute('data-mode', 'nftables')
  await openConsole(page, 'kind-worker')
  const nft = await typeLine(page, 'kind-worker', 'nft list ruleset')
  await expect(nft).toHaveAttribute('data-rc', '0')
  await expect(nft).toContainText('table ip kube-proxy {')
  await expect(nft).toContainText('map service-ips {')
  // The iptables-mode service chains were cleaned up.
  const save = await typeLine(page, 'kind-worker', 'iptables-save -t nat')
  await expect(save).not.toContainText('KUBE-SVC-')

  await modeSelect(page).selectOption('ipvs')
  await expect(page.getByTestId('mode-switch')).toHaveAttribute('data-mode', 'ipvs')
  const ipvs = await typeLine(page, 'kind-worker', 'ipvsadm -Ln')
  await expect(ipvs).toHaveAttribute('data-rc', '0')
  await expect(ipvs).toContainText('IP Virtual Server version')
  await expect(ipvs).toContainText(/TCP {2}10\.96\.\d+\.\d+:80 rr/)
  await page.getByRole('tab', { name: 'Rules', exact: true }).click()
  await expect(page.getByTestId('rules-view').getByTestId('proxy-mode-badge')).toHaveText('ipvs mode')

  // The switch is a scenario step like any other (so is each console line): undoing the ipvsadm line and
  // then the switch returns to nftables.
  await page.getByRole('button', { name: 'Undo' }).click()
  await expect(modeSelect(page)).toHaveValue('ipvs')
  await expect(page.getByRole('button', { name: 'Undo' })).toHaveAttribute('title', /KubeProxy|kubectl apply/)
  await page.getByRole('button', { name: 'Undo' }).click()
  await expect(modeSelect(page)).toHaveValue('nftables')
  await expect(page.getByTestId('rules-view').getByTestId('proxy-mode-badge')).toHaveText('nftables mode')
})

test('the player keeps working after a mode switch: a packet reaches an nginx Pod in IPVS mode', async ({ page }) => {
  await openApp(page)
  await modeSelect(page).selectOption('ipvs')
  await expect(page.getByTestId('mode-switch')).toHaveAttribute('data-mode', 'ipvs')
  await page.getByRole('tab', { name: 'Packet' }).click()
  await page.getByRole('button', { name: 'Send packet' }).click()
  await expect(page.getByTestId('journey-summary')).toContainText(/nginx-deployment-/)
})

test('the compare view sends one packet under two modes and one step control moves both panes to an nginx Pod', async ({ page }) => {
  await openApp(page)
  await page.getByRole('button', { name: 'Compare modes' }).click()
  const view = page.getByRole('region', { name: 'Compare modes' })
  await view.getByLabel('Left mode').selectOption('iptables')
  await view.getByLabel('Right mode').selectOption('ipvs')
  await view.getByLabel('Destination').selectOption({ label: 'nginx-service:80/TCP' })
  await view.getByRole('button', { name: 'Send in both modes' }).click()

  const panes = view.getByTestId('compare-pane')
  await expect(panes).toHaveCount(2)
  const left = view.getByRole('region', { name: 'iptables mode' })
  const right = view.getByRole('region', { name: 'IPVS mode' })
  for (const pane of [left, right]) {
    await expect(pane.getByTestId('pane-reached')).toContainText(/reaches Pod nginx-deployment-/)
    await expect(pane.getByTestId('rules-evaluated')).toHaveText(/^\d+$/)
  }

  await expect(view.getByTestId('compare-endpoints')).toHaveText('Both reach the same kind of endpoint: a Pod')
  const counter = view.getByTestId('compare-step-counter')
  await expect(counter).toHaveText(/^Step 1 of \d+$/)
  const steps = view.getByRole('group', { name: 'Compare steps' })
  await steps.getByRole('button', { name: 'Step forward' }).click()
  await steps.getByRole('button', { name: 'Step forward' }).click()
  await expect(counter).toHaveText(/^Step 3 of \d+$/)
  for (const pane of [left, right]) await expect(pane.locator('li[aria-current="step"]')).toContainText(/^3/)
  await steps.getByRole('button', { name: 'Step back' }).click()
  for (const pane of [left, right]) await expect(pane.locator('li[aria-current="step"]')).toContainText(/^2/)

  // To the end: both panes finish on the delivery to an nginx Pod.
  await steps.getByRole('button', { name: 'Last step' }).click()
  await expect(steps.getByRole('button', { name: 'Step forward' })).toBeDisabled()
  for (const pane of [left, right]) {
    const total = await pane.getByTestId('compare-hop').count()
    await pane.getByTestId('compare-hop').filter({ hasText: /delivered to Pod default\/nginx-deployment-/ }).first().waitFor()
    expect(total).toBeGreaterThan(10)
  }

  // Comparing changed nothing in the scenario.
  await view.getByRole('button', { name: 'Close compare view' }).click()
  await expect(page.getByRole('region', { name: 'Compare modes' })).toHaveCount(0)
  await expect(modeSelect(page)).toHaveValue('iptables')
  await expect(page.getByRole('button', { name: 'Undo' })).toBeDisabled()
})

test('the chart plots rules per packet against Services for all three modes', async ({ page }) => {
  await openApp(page)
  await page.getByRole('button', { name: 'Compare modes' }).click()
  await page.getByRole('tab', { name: 'Rules vs. Services chart' }).click()
  const chart = page.getByTestId('rules-chart')
  await expect(chart.getByTestId('chart-series')).toHaveCount(3)
  const table = chart.getByRole('table', { name: 'Rules evaluated per packet by mode and number of Services' })
  // The 100-Service points are measured early; iptables already checks far more rules than the map lookups.
  const cell = (mode: string, column: number) => table.getByRole('row', { name: new RegExp(`^${mode}`) }).getByRole('cell').nth(column)
  await expect(cell('iptables', 1)).toHaveText(/^\d[\d,]*$/)
  await expect(cell('nftables', 1)).toHaveText(/^\d+$/)
  await expect(cell('ipvs', 1)).toHaveText(/^\d+$/)
  const n = async (mode: string, column: number) => Number((await cell(mode, column).textContent())!.replace(/,/g, ''))
  expect(await n('iptables', 1)).toBeGreaterThan(2 * await n('nftables', 1))
  expect(await n('nftables', 1)).toBe(await n('nftables', 0))
  await expect(chart.getByRole('img')).toBeVisible()
  await expect(chart).toContainText('verdict map')
})
