import { expect, test } from '@playwright/test'
import { endpointEdges, openApp, podCards, podNames, scaleNginx, typeManifest } from './helpers.ts'

test('shows the two nginx Pods on different worker Nodes and the Service with its cluster IP', async ({ page }) => {
  await openApp(page)
  const nodes = await podCards(page).evaluateAll((els) => els.map((el) => el.getAttribute('data-node-name')))
  expect(new Set(nodes)).toEqual(new Set(['kind-worker', 'kind-worker2']))
  for (const ip of await podCards(page).evaluateAll((els) => els.map((el) => el.getAttribute('data-pod-ip') ?? ''))) {
    expect(ip).toMatch(/^10\.244\.\d+\.\d+$/)
  }

  const service = page.locator('[data-testid="service"][data-service-name="nginx-service"]')
  const clusterIP = await service.getAttribute('data-cluster-ip')
  expect(clusterIP).toMatch(/^10\.96\.\d+\.\d+$/)
  await expect(service).toContainText(clusterIP!)
  await expect(service).toContainText('80/TCP')
  await expect(endpointEdges(page, 'nginx-service')).toHaveCount(2)

  // Its details: the facts, the endpoints and its YAML.
  await service.click()
  const details = page.getByTestId('details')
  await expect(details.getByRole('heading', { name: 'nginx-service' })).toBeVisible()
  await expect(details.getByTestId('endpoints-list').getByTestId('endpoint')).toHaveCount(2)
  await expect(details.getByTestId('object-yaml')).toContainText(`clusterIP: ${clusterIP}`)
})

test('scaling the Deployment to 4 gives 4 Pods and 4 endpoints', async ({ page }) => {
  await openApp(page)
  await scaleNginx(page, 4)
  await expect(endpointEdges(page, 'nginx-service')).toHaveCount(4)
  await page.locator('[data-testid="service"][data-service-name="nginx-service"]').click()
  await expect(page.getByTestId('endpoints-list').getByTestId('endpoint')).toHaveCount(4)
  await expect(page.getByTestId('event-log')).toContainText('ScalingReplicaSet')
})

test('a broken manifest shows its error at its line and leaves the cluster unchanged', async ({ page }) => {
  await openApp(page)
  const before = await podNames(page)
  const broken = [
    'apiVersion: v1',
    'kind: Service',
    'metadata:',
    '  name: broken',
    'spec:',
    '  selector:',
    '    app: nginx',
    '  ports:',
    '  - port: 80',
    '\ttargetPort: 80', // indented with a tab, which YAML forbids
  ].join('\n')
  await typeManifest(page, broken)
  await page.getByRole('button', { name: 'Apply', exact: true }).click()

  const errors = page.getByRole('alert', { name: 'Manifest errors' })
  await expect(errors).toContainText('line 10')
  // The editor marks the offending line, and keeps every character that was typed.
  await expect(page.locator('.cm-lintRange-error').first()).toBeVisible()
  const markedLine = page.locator('.cm-line', { has: page.locator('.cm-lintRange-error') })
  await expect(markedLine).toContainText('targetPort: 80')
  await expect(page.getByRole('textbox', { name: 'Manifest editor' })).toContainText('name: broken')
  // The error in the list takes the cursor to its line.
  await page.getByRole('textbox', { name: 'Manifest editor' }).press('ControlOrMeta+Home')
  await errors.getByRole('button').first().click()
  await expect(page.locator('.cm-activeLine')).toContainText('targetPort: 80')

  // Nothing changed: same Pods, no new Service, nothing to undo.
  expect(await podNames(page)).toEqual(before)
  await expect(page.locator('[data-service-name="broken"]')).toHaveCount(0)
  await expect(page.getByRole('button', { name: 'Undo' })).toBeDisabled()
})

test('a field error names its path and line; fixing it applies the manifest', async ({ page }) => {
  await openApp(page)
  const manifest = (port: number) => `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: NodePort
  selector:
    app: nginx
  ports:
  - port: ${port}
    targetPort: 80
`
  await typeManifest(page, manifest(70000))
  await page.getByRole('button', { name: 'Apply', exact: true }).click()
  await expect(page.getByRole('alert', { name: 'Manifest errors' })).toContainText(/line 10.*spec\.ports\[0\]\.port/)

  await typeManifest(page, manifest(8080))
  await page.getByRole('button', { name: 'Apply', exact: true }).click()
  await expect(page.getByRole('status', { name: 'Apply result' })).toContainText('service/web created')
  await expect(page.locator('[data-testid="service"][data-service-name="web"]')).toContainText('NodePort')
})

test('a deleted Pod terminates and is replaced by a new Pod with a new name and IP', async ({ page }) => {
  await openApp(page)
  const [victim] = await podNames(page)
  const victimCard = page.locator(`[data-pod-name="${victim}"]`)
  const victimIP = await victimCard.getAttribute('data-pod-ip')
  await victimCard.click()
  await page.getByRole('button', { name: 'Delete pod' }).click()

  await expect(victimCard).toHaveAttribute('data-state', 'Terminating')
  const running = page.locator('[data-testid="pod"][data-pod-name^="nginx-deployment-"][data-state="Running"]')
  await expect(running).toHaveCount(2)
  await expect(page.getByTestId('event-log')).toContainText('Killing')

  await page.getByRole('button', { name: 'Finish terminations' }).click()
  await expect(victimCard).toHaveCount(0)
  await expect(podCards(page)).toHaveCount(2)
  const after = await podNames(page)
  expect(after).not.toContain(victim)
  const ips = await podCards(page).evaluateAll((els) => els.map((el) => el.getAttribute('data-pod-ip')))
  expect(ips).not.toContain(victimIP)
})

test('cordoning and stopping a Node shows on the canvas', async ({ page }) => {
  await openApp(page)
  const worker = page.locator('[data-testid="k8s-node"][data-node-name="kind-worker"]')
  await worker.getByText('kind-worker', { exact: true }).click()
  await page.getByRole('button', { name: 'Cordon' }).click()
  await expect(worker).toContainText('SchedulingDisabled')
  await page.getByRole('button', { name: 'Uncordon' }).click()
  await expect(worker).not.toContainText('SchedulingDisabled')
  await page.getByRole('button', { name: 'Stop node' }).click()
  await expect(worker).toContainText('NotReady')
  await page.getByRole('button', { name: 'Start node' }).click()
  await expect(worker).not.toContainText('NotReady')
})

test('canvas objects are buttons a keyboard can select, and the scenario lists every step', async ({ page }) => {
  await openApp(page)
  await page.getByRole('button', { name: 'Service default/nginx-service' }).focus()
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('details').getByRole('heading', { name: 'nginx-service' })).toBeVisible()

  await scaleNginx(page, 3)
  await page.getByRole('tab', { name: 'Scenario' }).click()
  const steps = page.getByRole('list', { name: 'Scenario steps' }).getByRole('listitem')
  await expect(steps).toHaveCount(2)
  await expect(steps.nth(1)).toContainText('kubectl scale deployment/nginx-deployment --replicas=3')
  await expect(page.getByRole('button', { name: 'Undo' })).toHaveAttribute('title', /kubectl scale deployment\/nginx-deployment --replicas=3/)
})

test('an object loads into the manifest editor and applies back', async ({ page }) => {
  await openApp(page)
  await page.getByRole('button', { name: 'Service default/nginx-service' }).click()
  await page.getByRole('button', { name: 'Edit in manifest editor' }).click()
  const editor = page.getByRole('textbox', { name: 'Manifest editor' })
  await expect(editor).toContainText('name: nginx-service')
  await expect(editor).not.toContainText('resourceVersion')
  await page.getByRole('button', { name: 'Apply', exact: true }).click()
  await expect(page.getByRole('status', { name: 'Apply result' })).toContainText(/service\/nginx-service (configured|unchanged)/)
})
