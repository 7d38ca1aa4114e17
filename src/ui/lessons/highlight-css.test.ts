import { describe, expect, it } from 'vitest'
import { cssString, highlightCss, highlightSelectors } from './highlight-css.ts'

describe('lesson highlights', () => {
  it('select the canvas card of each referenced object by kind and name', () => {
    expect(highlightSelectors(['service/default/nginx-service', 'node/kind-worker', 'pod/default/client', 'deployment/default/nginx-deployment'])).toEqual([
      '[data-testid="service"][data-service-name="nginx-service"]',
      '[data-testid="k8s-node"][data-node-name="kind-worker"]',
      '[data-testid="pod"][data-pod-name="client"]',
      '[data-testid="deployment"][data-deployment-name="nginx-deployment"]',
    ])
  })

  it('skip references with no card (chains) and give no rule for none', () => {
    expect(highlightSelectors(['chain/KUBE-SERVICES'])).toEqual([])
    expect(highlightCss([])).toBe('')
  })

  it('quote names so they cannot leave their selector', () => {
    expect(cssString('a"]{}</style><script>')).toBe('"a\\"]{}</style><script>"')
    expect(cssString('x\ny')).toBe('"x\\a y"')
  })
})
