import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import { parseLesson, stepExpect, type Lesson } from '../src/state/lesson-model.ts'
import { podCards } from './helpers.ts'


/** Opens the app and waits for the default cluster (a busy machine makes the first replay slow). */
async function openApp(page: Page): Promise<void> {
  await page.goto('/')
  await expect(podCards(page)).toHaveCount(2, { timeout: 30_000 })
}

const dir = join(import.meta.dirname, '..', 'scenarios', 'lessons')
const lessons: Lesson[] = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()
  .map((f) => parseLesson(readFileSync(join(dir, f), 'utf8'), readFileSync(join(dir, 'checks', f), 'utf8'), f))

async function stepShown(page: Page, n: number, total: number): Promise<void> {
  const presenter = page.getByRole('region', { name: 'Presenter' })
  await expect(presenter.getByTestId('lesson-step-counter')).toHaveText(`Step ${n} of ${total}`, { timeout: 20_000 })
  await expect(presenter).toHaveAttribute('aria-busy', 'false', { timeout: 20_000 })
}

test('the lesson browser lists every built-in lesson with its description', async ({ page }) => {
  await openApp(page)
  await page.getByRole('button', { name: 'Lessons' }).click()
  const dialog = page.getByRole('dialog', { name: 'Lessons' })
  await expect(dialog.getByTestId('lesson-item')).toHaveCount(lessons.length)
  for (const lesson of lessons) {
    await expect(dialog.getByRole('heading', { name: lesson.title })).toBeVisible()
    await expect(dialog.getByText(lesson.description)).toBeVisible()
  }
})

test('opening a lesson keeps the person\'s scenario in the undo history', async ({ page }) => {
  await openApp(page)
  const before = await podCards(page).evaluateAll((els) => els.map((el) => el.getAttribute('data-pod-name')))
  await page.getByRole('button', { name: 'Lessons' }).click()
  await page.getByRole('button', { name: 'Open lesson: Scaling changes the rules' }).click()
  const panel = page.getByRole('region', { name: 'Lesson' })
  await expect(panel.getByTestId('lesson-step-title')).toHaveText('Two endpoints, two KUBE-SEP chains')
  await expect(panel.getByText(/kept in the undo history/)).toBeVisible()
  await expect(page.locator('[data-testid="pod"][data-pod-name="client"]')).toHaveCount(1)
  await page.getByRole('button', { name: 'Close lesson' }).click()
  await page.getByRole('button', { name: 'Undo' }).click()
  await expect(page.locator('[data-testid="pod"][data-pod-name="client"]')).toHaveCount(0)
  expect(await podCards(page).evaluateAll((els) => els.map((el) => el.getAttribute('data-pod-name')))).toEqual(before)
})

for (const lesson of lessons) {
  test(`lesson "${lesson.title}" plays from start to end and its packets land where the text says`, async ({ page }) => {
    await openApp(page)
    await page.getByRole('button', { name: 'Lessons' }).click()
    await page.getByRole('button', { name: `Present lesson: ${lesson.title}` }).click()
    const presenter = page.getByRole('region', { name: 'Presenter' })
    const total = lesson.steps.length
    for (let i = 0; i < total; i++) {
      if (i > 0) await presenter.getByRole('button', { name: 'Next step' }).click()
      await stepShown(page, i + 1, total)
      const step = lesson.steps[i]
      await expect(presenter.getByTestId('lesson-step-title')).toHaveText(step.title)
      const expected = stepExpect(lesson, i)
      const packet = presenter.getByTestId('lesson-packet')
      if (step.packet) await expect(packet).toBeVisible()
      if (expected.reaches) await expect(packet).toHaveAttribute('data-reached', expected.reaches)
      if (expected.verdict) await expect(packet).toHaveAttribute('data-verdict', expected.verdict)
      // The step's objects are highlighted on the canvas.
      for (const ref of step.highlight ?? []) {
        const [kind, ...rest] = ref.split('/')
        const name = rest[rest.length - 1]
        const selector = { service: `[data-testid="service"][data-service-name="${name}"]`, pod: `[data-testid="pod"][data-pod-name="${name}"]`,
          deployment: `[data-testid="deployment"][data-deployment-name="${name}"]`, node: `[data-testid="k8s-node"][data-node-name="${name}"]` }[kind]
        if (!selector) continue
        await expect(page.locator(selector).first()).toHaveCSS('outline-style', 'solid')
      }
    }
    await expect(presenter.getByRole('button', { name: 'Next step' })).toBeDisabled()
    await presenter.getByRole('button', { name: 'Previous step' }).click()
    await stepShown(page, total - 1, total)
  })
}
