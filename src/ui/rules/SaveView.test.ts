import { describe, expect, it } from 'vitest'
import { mentionsAny } from './SaveView.tsx'

describe('iptables-save highlighting', () => {
  const chains = new Set(['KUBE-SVC-ABC', 'KUBE-SEP-DEF'])
  it('marks the lines that declare, fill or jump to a chain of the selected Service', () => {
    expect(mentionsAny(':KUBE-SVC-ABC - [0:0]', chains)).toBe(true)
    expect(mentionsAny('-A KUBE-SEP-DEF -p tcp -j DNAT --to-destination 10.244.1.2:80', chains)).toBe(true)
    expect(mentionsAny('-A KUBE-SERVICES -d 10.96.0.10/32 -j KUBE-SVC-ABC', chains)).toBe(true)
    expect(mentionsAny('[0:0] -A KUBE-SVC-ABC -j KUBE-MARK-MASQ', chains)).toBe(true)
  })
  it('leaves other lines, including chains whose name merely starts the same', () => {
    expect(mentionsAny('-A KUBE-SVC-ABCD -j KUBE-SEP-X', chains)).toBe(false)
    expect(mentionsAny('*nat', chains)).toBe(false)
  })
})
