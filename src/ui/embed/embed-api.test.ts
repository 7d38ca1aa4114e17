import { describe, expect, it } from 'vitest'
import { parseEmbedCommand } from './embed-api.ts'

describe('embed commands', () => {
  it('accepts each command in its documented shape', () => {
    expect(parseEmbedCommand({ type: 'kpv:goto', step: 3 })).toEqual({ ok: true, command: { type: 'kpv:goto', step: 3 } })
    expect(parseEmbedCommand({ type: 'kpv:play' })).toEqual({ ok: true, command: { type: 'kpv:play' } })
    expect(parseEmbedCommand({ type: 'kpv:pause', extra: 1 })).toEqual({ ok: true, command: { type: 'kpv:pause' } })
    expect(parseEmbedCommand({ type: 'kpv:sendPacket', from: 'kind-worker', to: 'default/nginx-service', port: 80 }))
      .toEqual({ ok: true, command: { type: 'kpv:sendPacket', from: 'kind-worker', to: 'default/nginx-service', port: 80, proto: 'tcp' } })
    expect(parseEmbedCommand({ type: 'kpv:load', scenario: { kind: 'Scenario' } })).toEqual({ ok: true, command: { type: 'kpv:load', scenario: '{"kind":"Scenario"}' } })
  })

  it('ignores messages that are not for it', () => {
    expect(parseEmbedCommand('kpv:play')).toBeNull()
    expect(parseEmbedCommand({ type: 'webpackOk' })).toBeNull()
    expect(parseEmbedCommand(null)).toBeNull()
  })

  it('refuses wrong shapes with a reason', () => {
    expect(parseEmbedCommand({ type: 'kpv:goto', step: '3' })).toMatchObject({ ok: false, message: /step/ })
    expect(parseEmbedCommand({ type: 'kpv:goto', step: -1 })).toMatchObject({ ok: false })
    expect(parseEmbedCommand({ type: 'kpv:sendPacket', from: '<img src=x onerror=alert(1)>', to: 'default/x', port: 80 })).toMatchObject({ ok: false, message: /from/ })
    expect(parseEmbedCommand({ type: 'kpv:sendPacket', from: 'kind-worker', to: 'default/x', port: 70000 })).toMatchObject({ ok: false, message: /port/ })
    expect(parseEmbedCommand({ type: 'kpv:sendPacket', from: 'kind-worker', to: 'default/x', port: 80, proto: 'icmp' })).toMatchObject({ ok: false, message: /proto/ })
    expect(parseEmbedCommand({ type: 'kpv:load', scenario: 42 })).toMatchObject({ ok: false })
    expect(parseEmbedCommand({ type: 'kpv:eval', code: 'alert(1)' })).toMatchObject({ ok: false, message: /unknown command/ })
  })
})
