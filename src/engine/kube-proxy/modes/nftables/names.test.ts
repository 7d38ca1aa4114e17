/**
 * kube-proxy's nftables chain names: upstream's Test_servicePortChainNameBase and
 * Test_servicePortEndpointChainNameBase (pkg/proxy/nftables/proxier_test.go @
 * 81810de635aa13aa0a32992f6def3aa9d6025ebc), case for case.
 */
import { describe, expect, it } from 'vitest'
import { hashAndTruncate, isServiceChainName, servicePortChainNameBase, servicePortEndpointChainNameBase } from './names.ts'

const LONG_NS = 'very-long-namespace-name-abcdefghijklmnopqrstuvwxyz0123456789xx'
const LONG_SVC = 'very-long-service-name-why-would-you-even-do-this-i-mean-really'
const LONG_PORT = 'port-443-providing-the-hypertext-transmission-protocol-with-tls'

describe('servicePortChainNameBase (upstream Test_servicePortChainNameBase)', () => {
  it.each([
    ['simple', 'testing', 'service', 'http', 'tcp', 'P4ZYZVCF-testing/service/tcp/http'],
    ['different port, different hash', 'testing', 'service', 'https', 'tcp', 'LZBRENCP-testing/service/tcp/https'],
    ['max length', LONG_NS, LONG_SVC, LONG_PORT, 'sctp', `KR6NACJP-${LONG_NS}/${LONG_SVC}/sctp/${LONG_PORT}`],
  ])('%s', (_name, ns, svc, port, proto, expected) => {
    expect(servicePortChainNameBase(ns, svc, proto, port)).toBe(expected)
  })
})

describe('servicePortEndpointChainNameBase (upstream Test_servicePortEndpointChainNameBase)', () => {
  it.each([
    ['simple', 'testing', 'service', 'http', 'tcp', '10.180.0.1:80', 'JO2XBXZR-testing/service/tcp/http__10.180.0.1/80'],
    ['different endpoint, different hash', 'testing', 'service', 'http', 'tcp', '10.180.0.2:80', '5S6H3H22-testing/service/tcp/http__10.180.0.2/80'],
    ['ipv6', 'testing', 'service', 'http', 'tcp', '[fd80:abcd:12::a1b2:c3d4:e5f6:9999]:80', 'U7E2ET36-testing/service/tcp/http__fd80.abcd.12..a1b2.c3d4.e5f6.9999/80'],
    ['max length without truncation', LONG_NS, LONG_SVC, LONG_PORT, 'sctp', '[1234:5678:9abc:def0::abc:1234]:443',
      `5YS7AFEA-${LONG_NS}/${LONG_SVC}/sctp/${LONG_PORT}__1234.5678.9abc.def0..abc.1234/443`],
    ['truncated, 1', LONG_NS, LONG_SVC, LONG_PORT, 'sctp', '[1234:5678:9abc:def0::abcd:1234:5678]:443',
      `CI6C53Q3-${LONG_NS}/${LONG_SVC}/sctp/${LONG_PORT}__1234.5678.9abc.def0..abcd.1234...`],
    ['truncated, 2 (different IP, which is not visible in the result)', LONG_NS, LONG_SVC, LONG_PORT, 'sctp', '[1234:5678:9abc:def0::abcd:1234:8765]:443',
      `2FLXFK6X-${LONG_NS}/${LONG_SVC}/sctp/${LONG_PORT}__1234.5678.9abc.def0..abcd.1234...`],
  ])('%s', (_name, ns, svc, port, proto, endpoint, expected) => {
    expect(servicePortEndpointChainNameBase(ns, svc, proto, port, endpoint)).toBe(expected)
  })

  it('names from the reference notes (nginx example: unnamed port)', () => {
    expect(servicePortChainNameBase('default', 'nginx-service', 'tcp', '')).toBe('UOJBH74F-default/nginx-service/tcp/')
    expect(servicePortEndpointChainNameBase('default', 'nginx-service', 'tcp', '', '10.244.1.2:80')).toBe('6IEVVVAU-default/nginx-service/tcp/__10.244.1.2/80')
  })

  it('truncates to 240 characters ending in "..."', () => {
    expect(hashAndTruncate('x'.repeat(300))).toHaveLength(240)
    expect(hashAndTruncate('x'.repeat(300)).endsWith('...')).toBe(true)
  })
})

describe('isServiceChainName', () => {
  it('tells per-service chains (with a slash) from kube-proxy\'s fixed chains', () => {
    expect(isServiceChainName('service-ULMVA6XW-ns1/svc1/tcp/p80')).toBe(true)
    expect(isServiceChainName('services')).toBe(false)
    expect(isServiceChainName('reject-chain')).toBe(false)
  })
})
