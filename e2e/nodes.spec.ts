import { readFileSync } from 'node:fs'
import { expect, test, type Locator, type Page } from '@playwright/test'
import { openApp, scaleNginx, typeManifest } from './helpers.ts'

const NODES = ['kind-control-plane', 'kind-worker', 'kind-worker2']

/** Opens the Nodes panel on a Node and one of its views (Console, Rules, iptables-save, Syncs). */
async function openNode(page: Page, node: string, view: 'Console' | 'Rules' | 'iptables-save' | 'Syncs'): Promise<void> {
  await page.getByRole('tablist', { name: 'Bottom panel' }).getByRole('tab', { name: 'Nodes' }).click()
  await page.getByRole('tablist', { name: 'Node' }).getByRole('tab', { name: node, exact: true }).click()
  await page.getByRole('tab', { name: view, exact: true }).click()
}

const consoleInput = (page: Page, node: string): Locator => page.getByRole('textbox', { name: `Command on ${node}` })
const transcript = (page: Page): Locator => page.getByTestId('console-entry')

/** Types a line into the node's console and waits for its output to appear. */
async function typeLine(page: Page, node: string, line: string): Promise<Locator> {
  const before = await transcript(page).count()
  await consoleInput(page, node).fill(line)
  await consoleInput(page, node).press('Enter')
  await expect(transcript(page)).toHaveCount(before + 1)
  const entry = transcript(page).last()
  await expect(entry.getByTestId('console-line')).toHaveText(line)
  return entry
}

/** Opens a chain of a table in the rules view (from the chain list). */
async function openChain(page: Page, table: string, chain: string): Promise<void> {
  await page.getByRole('group', { name: 'Table' }).getByRole('button', { name: table, exact: true }).click()
  await page.getByRole('navigation', { name: 'Chains' }).locator(`[data-chain="${chain}"]`).click()
  await expect(page.getByTestId('chain-detail')).toHaveAttribute('data-chain', chain)
}

const chainNames = (list: Locator): Promise<string[]> => list.evaluateAll((els) => els.map((el) => el.getAttribute('data-chain') ?? ''))

test('scaling nginx to 4 shows two new KUBE-SEP- chains in the newest sync diff of every Node', async ({ page }) => {
  await openApp(page)
  await openNode(page, 'kind-worker', 'Rules')
  await page.getByRole('group', { name: 'Table' }).getByRole('button', { name: 'nat', exact: true }).click()
  await page.getByRole('searchbox', { name: 'Filter chains and rules' }).fill('KUBE-SEP-')
  const sepItems = page.getByRole('navigation', { name: 'Chains' }).locator('[data-chain^="KUBE-SEP-"]')
  await expect(sepItems.first()).toBeVisible()
  const before = await chainNames(sepItems)

  await scaleNginx(page, 4)

  let added: string[] | null = null
  for (const node of NODES) {
    await openNode(page, node, 'Syncs')
    const newest = page.getByTestId('sync').first()
    await expect(newest).toHaveAttribute('data-kind', 'partial')
    const newChains = newest.locator('[data-op="+"]', { hasText: /^\+:KUBE-SEP-/ })
    await expect(newChains).toHaveCount(2)
    const names = (await chainNames(newChains)).sort()
    for (const name of names) expect(before).not.toContain(name)
    // The same endpoints, so the same hashed chain names, on every Node.
    if (added) expect(names).toEqual(added)
    added = names
    // Each new endpoint chain DNATs to its Pod, and the service chain's cascade is rewritten.
    await expect(newest.getByTestId('sync-diff')).toContainText(`+-A ${names[0]} -p tcp -m comment --comment "default/nginx-service" -m tcp -j DNAT --to-destination 10.244.`)
    await expect(newest.getByTestId('sync-diff')).toContainText('-m statistic --mode random --probability 0.25000000000')
  }
})

test('every line of firewall-examples.sh runs verbatim in a Node console; the rules view and iptables -S show the rules', async ({ page }) => {
  const lines = readFileSync('scenarios/firewall-examples.sh', 'utf8').split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'))
  await openApp(page)
  await openNode(page, 'kind-worker', 'Console')
  for (const line of lines) {
    const entry = await typeLine(page, 'kind-worker', line)
    await expect(entry).toHaveAttribute('data-rc', '0')
    await expect(entry.getByTestId('console-stderr')).toHaveCount(0)
  }
  // As the real iptables 1.8.9 prints them (checked in a network namespace): inserted rules first.
  const expected = [
    '-A INPUT -s 192.168.1.50/32 -p tcp -m tcp --dport 80 -j DROP',
    '-A INPUT -p tcp -m tcp --dport 80 -j DROP',
    '-A INPUT -p tcp -m tcp --dport 22 -j DROP',
    '-A INPUT -p tcp -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable',
  ]
  const listed = await typeLine(page, 'kind-worker', 'iptables -S INPUT')
  const out = (await listed.getByTestId('console-stdout').textContent()) ?? ''
  expect(out.split('\n').slice(0, 5)).toEqual(['-P INPUT ACCEPT', ...expected])
  expect(out.trimEnd().split('\n').at(-1)).toBe('-A INPUT -s 192.168.1.1/32 -j DROP')

  await openNode(page, 'kind-worker', 'Rules')
  await openChain(page, 'filter', 'INPUT')
  const rows = page.getByTestId('rule-row')
  const specs = await rows.evaluateAll((els) => els.map((el) => el.getAttribute('title')))
  expect(specs.slice(0, 4)).toEqual(expected)
  expect(specs.at(-1)).toBe('-A INPUT -s 192.168.1.1/32 -j DROP')
  await expect(rows.first()).toContainText('DROP')
  await expect(rows.first()).toContainText('192.168.1.50')
  // Only kind-worker changed.
  await openNode(page, 'kind-worker2', 'Rules')
  await openChain(page, 'filter', 'INPUT')
  await expect(page.getByTestId('rule-row').filter({ hasText: '192.168.1.50' })).toHaveCount(0)
})

test('iptables-restore takes pasted rules, and the rules view shows them at once', async ({ page }) => {
  await openApp(page)
  await openNode(page, 'kind-worker2', 'Console')
  await consoleInput(page, 'kind-worker2').fill('sudo iptables-restore --noflush')
  await consoleInput(page, 'kind-worker2').press('Enter')
  await page.getByRole('textbox', { name: /Paste the rules/ }).fill('*filter\n:MY-WALL - [0:0]\n-A INPUT -j MY-WALL\n-A MY-WALL -p udp --dport 53 -j ACCEPT\nCOMMIT\n')
  await page.getByRole('button', { name: 'Run' }).click()
  await expect(transcript(page).last()).toHaveAttribute('data-rc', '0')
  await openNode(page, 'kind-worker2', 'Rules')
  await openChain(page, 'filter', 'INPUT')
  // Follow the jump from INPUT to the new chain.
  await page.getByTestId('rule-row').getByRole('button', { name: 'MY-WALL' }).click()
  await expect(page.getByTestId('chain-detail')).toHaveAttribute('data-chain', 'MY-WALL')
  await expect(page.getByTestId('chain-header')).toContainText('Chain MY-WALL (1 references)')
  await expect(page.getByTestId('rule-row')).toHaveAttribute('title', '-A MY-WALL -p udp -m udp --dport 53 -j ACCEPT')
})

test('selecting nginx-service highlights its KUBE-SVC- and KUBE-SEP- chains on every Node', async ({ page }) => {
  await openApp(page)
  await page.locator('[data-testid="service"][data-service-name="nginx-service"]').click()
  for (const node of NODES) {
    await openNode(page, node, 'Rules')
    await page.getByRole('group', { name: 'Table' }).getByRole('button', { name: 'nat', exact: true }).click()
    const lit = page.getByRole('navigation', { name: 'Chains' }).locator('[data-highlighted="true"]')
    await expect(lit).toHaveCount(3)
    const names = await chainNames(lit)
    expect(names.filter((n) => n.startsWith('KUBE-SVC-'))).toHaveLength(1)
    expect(names.filter((n) => n.startsWith('KUBE-SEP-'))).toHaveLength(2)
    await expect(page.getByTestId('layout-release')).toHaveText(/^v1\.\d+$/)
    // The highlighted KUBE-SVC- chain is the one KUBE-SERVICES sends nginx-service's cluster IP to.
    await openChain(page, 'nat', 'KUBE-SERVICES')
    const svcRule = page.getByTestId('rule-row').filter({ hasText: 'default/nginx-service cluster IP' })
    await expect(svcRule).toHaveAttribute('data-highlighted', 'true')
    await expect(svcRule.getByRole('button')).toHaveText(names.find((n) => n.startsWith('KUBE-SVC-'))!)
  }
  // The Service's details list the same chains; one opens the rules view there.
  const listed = page.getByRole('region', { name: 'iptables chains' }).getByRole('button')
  await expect(listed).toHaveCount(3)
  const sep = (await listed.allTextContents()).find((n) => n.startsWith('KUBE-SEP-'))!
  await listed.filter({ hasText: sep }).click()
  await expect(page.getByTestId('chain-detail')).toHaveAttribute('data-chain', sep)
  await expect(page.getByTestId('rule-row').filter({ hasText: 'DNAT' })).toContainText('to:10.244.')

  // Another Service moves the highlight.
  await page.locator('[data-testid="service"][data-service-name="kubernetes"]').click()
  const lit = page.getByRole('navigation', { name: 'Chains' }).locator('[data-highlighted="true"]')
  await expect(lit).toHaveCount(2)
})

test('the console answers ip, conntrack, dmesg and help as the node would, and clear wipes the screen', async ({ page }) => {
  await openApp(page)
  await openNode(page, 'kind-worker', 'Console')
  const addr = await typeLine(page, 'kind-worker', 'ip addr')
  await expect(addr.getByTestId('console-stdout')).toContainText('inet 172.18.0.3/16')
  await expect(addr.getByTestId('console-stdout')).toContainText('1: lo: <LOOPBACK,UP,LOWER_UP>')
  const route = await typeLine(page, 'kind-worker', 'ip route')
  await expect(route.getByTestId('console-stdout')).toContainText('default via 172.18.0.1 dev eth0')
  const conntrack = await typeLine(page, 'kind-worker', 'sudo conntrack -L')
  await expect(conntrack).toHaveAttribute('data-rc', '0')
  await expect(conntrack.getByTestId('console-stderr')).toContainText('flow entries have been shown.')
  const dmesg = await typeLine(page, 'kind-worker', 'dmesg')
  await expect(dmesg).toHaveAttribute('data-rc', '0')
  const help = await typeLine(page, 'kind-worker', 'help')
  await expect(help.getByTestId('console-stdout')).toContainText('iptables-restore')
  await consoleInput(page, 'kind-worker').fill('clear')
  await consoleInput(page, 'kind-worker').press('Enter')
  await expect(transcript(page)).toHaveCount(0)
  // The screen is clear, the history is not.
  await consoleInput(page, 'kind-worker').press('ArrowUp')
  await expect(consoleInput(page, 'kind-worker')).toHaveValue('clear')
})

test('the console recalls earlier commands with the arrow keys', async ({ page }) => {
  await openApp(page)
  await openNode(page, 'kind-worker', 'Console')
  await typeLine(page, 'kind-worker', 'ip route')
  await typeLine(page, 'kind-worker', 'iptables -t nat -S KUBE-SERVICES')
  const input = consoleInput(page, 'kind-worker')
  await input.fill('dmes')
  await input.press('ArrowUp')
  await expect(input).toHaveValue('iptables -t nat -S KUBE-SERVICES')
  await input.press('ArrowUp')
  await expect(input).toHaveValue('ip route')
  await input.press('ArrowDown')
  await expect(input).toHaveValue('iptables -t nat -S KUBE-SERVICES')
  await input.press('ArrowDown')
  await expect(input).toHaveValue('dmes')
})

test('console commands undo and redo like any scenario step, and survive a reload', async ({ page }) => {
  await openApp(page)
  await openNode(page, 'kind-worker', 'Console')
  const line = 'sudo iptables -A INPUT -s 192.168.1.1 -j DROP'
  await typeLine(page, 'kind-worker', line)
  await typeLine(page, 'kind-worker', 'frobnicate')
  await expect(transcript(page).last().getByTestId('console-stderr')).toHaveText('bash: frobnicate: command not found')

  const undo = page.getByRole('button', { name: 'Undo' })
  await undo.click()
  await expect(transcript(page)).toHaveCount(1)
  await undo.click()
  await expect(transcript(page)).toHaveCount(0)
  await openNode(page, 'kind-worker', 'Rules')
  await openChain(page, 'filter', 'INPUT')
  await expect(page.getByTestId('rule-row').filter({ hasText: '192.168.1.1' })).toHaveCount(0)
  await page.getByRole('button', { name: 'Redo' }).click()
  await expect(page.getByTestId('rule-row').filter({ hasText: '192.168.1.1' })).toHaveCount(1)

  await page.reload()
  // The panel reopens where it was; the rule and the transcript are replayed from the stored scenario.
  await expect(page.getByTestId('rule-row').filter({ hasText: '192.168.1.1' })).toHaveCount(1)
  await openNode(page, 'kind-worker', 'Console')
  await expect(transcript(page)).toHaveCount(1)
  await expect(transcript(page).first().getByTestId('console-line')).toHaveText(line)
})

test('iptables-save shows the node\'s rules, with counters on request', async ({ page }) => {
  await openApp(page)
  await openNode(page, 'kind-control-plane', 'iptables-save')
  const text = page.getByTestId('iptables-save-text')
  await expect(text).toContainText('# Generated by iptables-save v1.8.9 (nf_tables)')
  await expect(text).toContainText('-A KUBE-SERVICES -d 10.96.0.1/32 -p tcp -m comment --comment "default/kubernetes:https cluster IP" -m tcp --dport 443 -j KUBE-SVC-')
  await page.getByRole('checkbox', { name: 'Counters (-c)' }).check()
  await expect(text).toContainText('[0:0] -A KUBE-SERVICES -d 10.96.0.1/32')
})

test('a long chain comes a page at a time', async ({ page }) => {
  await openApp(page)
  // 150 Services without endpoints: kube-proxy REJECTs each in the filter table's KUBE-SERVICES.
  const services = Array.from({ length: 150 }, (_, i) =>
    `apiVersion: v1\nkind: Service\nmetadata:\n  name: empty-${i}\nspec:\n  ports:\n  - port: 80\n`).join('---\n')
  await typeManifest(page, services)
  await page.getByRole('button', { name: 'Apply', exact: true }).click()
  await expect(page.locator('[data-service-name="empty-149"]')).toHaveCount(1)
  await openNode(page, 'kind-worker', 'Rules')
  await openChain(page, 'filter', 'KUBE-SERVICES')
  const pages = page.getByLabel('Pages')
  await expect(pages).toContainText('rules 1–100 of 150')
  await expect(page.getByTestId('rule-row')).toHaveCount(100)
  await pages.getByRole('button', { name: 'Next 100' }).click()
  await expect(pages).toContainText('rules 101–150 of 150')
  await expect(page.getByTestId('rule-row')).toHaveCount(50)
  await expect(page.getByTestId('rule-row').first()).toHaveAttribute('title', /^-A KUBE-SERVICES -d 10\.96\.\d+\.\d+\/32 -p tcp -m comment --comment "default\/empty-\d+ has no endpoints" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable$/)
  await expect(page.getByTestId('rule-row').first().locator('td').first()).toHaveText('101')
  // The filter finds one Service's rule among them.
  await page.getByRole('searchbox', { name: 'Filter chains and rules' }).fill('empty-42 ')
  await expect(page.getByTestId('rule-row')).toHaveCount(1)
  await expect(page.getByTestId('rule-row')).toContainText('default/empty-42 has no endpoints')
})

test('the jump graph draws the nat table from PREROUTING to the endpoint chains, and a click opens a chain', async ({ page }) => {
  await openApp(page)
  await page.locator('[data-testid="service"][data-service-name="nginx-service"]').click()
  await openNode(page, 'kind-worker2', 'Rules')
  await page.getByRole('group', { name: 'Table' }).getByRole('button', { name: 'nat', exact: true }).click()
  await page.getByRole('button', { name: 'Jump graph' }).click()
  const graph = page.getByTestId('chain-graph')
  await expect(graph).toBeVisible()
  await expect(graph.locator('[data-chain="PREROUTING"]')).toBeVisible()
  await expect(graph.locator('[data-highlighted="true"]')).toHaveCount(3)
  await graph.getByRole('button', { name: 'Open chain KUBE-SERVICES' }).click()
  await expect(page.getByTestId('chain-detail')).toHaveAttribute('data-chain', 'KUBE-SERVICES')
})
