import { expect, test } from '@playwright/test'
import { openApp, podCards, podNames, scaleNginx, typeManifest } from './helpers.ts'

test('the scenario survives a reload', async ({ page }) => {
  await openApp(page)
  await scaleNginx(page, 3)
  const names = await podNames(page)
  await page.reload()
  await expect(podCards(page)).toHaveCount(3)
  // Deterministic replay: the very same Pods come back.
  expect((await podNames(page)).sort()).toEqual([...names].sort())
})

test('undo and redo step through scenario edits, by button and by keyboard', async ({ page }) => {
  await openApp(page)
  const undoButton = page.getByRole('button', { name: 'Undo' })
  const redoButton = page.getByRole('button', { name: 'Redo' })
  await expect(undoButton).toBeDisabled()
  await scaleNginx(page, 4)

  await undoButton.click()
  await expect(podCards(page)).toHaveCount(2)
  await expect(redoButton).toBeEnabled()
  await redoButton.click()
  await expect(podCards(page)).toHaveCount(4)

  await page.locator('.react-flow__pane').click()
  await page.keyboard.press('ControlOrMeta+z')
  await expect(podCards(page)).toHaveCount(2)
  await page.keyboard.press('ControlOrMeta+Shift+z')
  await expect(podCards(page)).toHaveCount(4)
})

test('reset goes back to the default scenario, and can itself be undone', async ({ page }) => {
  await openApp(page)
  await scaleNginx(page, 5)
  await page.getByRole('button', { name: 'Reset' }).click()
  await expect(podCards(page)).toHaveCount(2)
  await page.getByRole('button', { name: 'Undo' }).click()
  await expect(podCards(page)).toHaveCount(5)
})

test('the editor draft survives a reload, even when it was never applied', async ({ page }) => {
  await openApp(page)
  await typeManifest(page, 'apiVersion: v1\nkind: Service\nmetadata:\n  name: half-written\n')
  await page.reload()
  await page.getByRole('tab', { name: 'Manifest' }).click()
  await expect(page.getByRole('textbox', { name: 'Manifest editor' })).toContainText('name: half-written')
})
