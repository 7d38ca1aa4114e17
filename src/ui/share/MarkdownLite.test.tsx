// @vitest-environment happy-dom
import { render } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { MarkdownLite } from './MarkdownLite.tsx'

describe('MarkdownLite', () => {
  it('renders bold, emphasis, code and paragraphs as elements', () => {
    const { container } = render(<MarkdownLite text={'A **ClusterIP** has a *virtual* IP: `10.96.0.1`.\n\nSecond.'} />)
    expect(container.querySelectorAll('p')).toHaveLength(2)
    expect(container.querySelector('strong')?.textContent).toBe('ClusterIP')
    expect(container.querySelector('em')?.textContent).toBe('virtual')
    expect(container.querySelector('code')?.textContent).toBe('10.96.0.1')
  })

  it('shows markup from a lesson as text, never as elements', () => {
    const { container } = render(<MarkdownLite text={'<img src=x onerror="alert(1)"> **<script>x()</script>**'} />)
    expect(container.querySelector('img')).toBeNull()
    expect(container.querySelector('script')).toBeNull()
    expect(container.textContent).toContain('<img src=x onerror="alert(1)">')
    expect(container.querySelector('strong')?.textContent).toBe('<script>x()</script>')
  })
})
