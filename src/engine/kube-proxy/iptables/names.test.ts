import { describe, expect, it } from 'vitest'
import {
  computeProbability, endpointChainName, endpointString, formatFixed, hash16, masqueradeMark, savedProbability,
  serviceChainNames, servicePortNameString,
} from './names.ts'

describe('chain names (sha256 → base32 → 16 chars), as kube-proxy hashes them', () => {
  it('reproduces the worked nginx example (reference §1.3)', () => {
    const spn = servicePortNameString('default', 'nginx-service', undefined)
    expect(spn).toBe('default/nginx-service')
    expect(serviceChainNames(spn, 'tcp')).toEqual({
      clusterPolicy: 'KUBE-SVC-V2OKYYMBY3REGZOG',
      localPolicy: 'KUBE-SVL-V2OKYYMBY3REGZOG',
      external: 'KUBE-EXT-V2OKYYMBY3REGZOG',
      firewall: 'KUBE-FW-V2OKYYMBY3REGZOG',
    })
    expect(endpointChainName(spn, 'tcp', '10.244.1.2:80')).toBe('KUBE-SEP-MNKVGFJKVZSSJG7K')
    expect(endpointChainName(spn, 'tcp', '10.244.2.3:80')).toBe('KUBE-SEP-XOMS3IZLIRPKWCVB')
    expect(endpointChainName(spn, 'tcp', '10.244.3.4:80')).toBe('KUBE-SEP-F3GR3XIRGKXBA6LA')
    expect(serviceChainNames(spn, 'udp').clusterPolicy).toBe('KUBE-SVC-HWAGBW7A4NFRA6XC')
    expect(serviceChainNames(servicePortNameString('default', 'nginx-service', 'http'), 'tcp').clusterPolicy).toBe('KUBE-SVC-6IM33IEVEEV7U3GP')
  })

  it('reproduces the names in upstream proxier_test.go (reference §1.4)', () => {
    const svc = (ns: string, name: string, port: string) => serviceChainNames(servicePortNameString(ns, name, port), 'tcp').clusterPolicy
    expect(svc('ns1', 'svc1', 'p80')).toBe('KUBE-SVC-XPGD46QRK7WJZT7O')
    expect(svc('ns2', 'svc2', 'p80')).toBe('KUBE-SVC-GNZBNJ2PO5MGZ6GT')
    expect(svc('ns3', 'svc3', 'p80')).toBe('KUBE-SVC-X27LE4BHSL4DOUIK')
    expect(svc('ns4', 'svc4', 'p80')).toBe('KUBE-SVC-4SW47YFZTEDKD3PK')
    expect(svc('ns5', 'svc5', 'p80')).toBe('KUBE-SVC-NUKIZ6OKUXPJNT4C')
    expect(serviceChainNames('ns5/svc5:p80', 'tcp').firewall).toBe('KUBE-FW-NUKIZ6OKUXPJNT4C')
    expect(svc('ns2', 'svc2', 'p8080')).toBe('KUBE-SVC-2VJB64SDSIJUP5T6')
    expect(svc('ns4', 'svc4', 'p8082')).toBe('KUBE-SVC-EBDQOQU5SJFXRIL3')
    expect(endpointChainName('ns1/svc1:p80', 'tcp', '10.180.0.1:80')).toBe('KUBE-SEP-SXIVWICOYRO3J4NJ')
    expect(endpointChainName('ns4/svc4:p80', 'tcp', '10.180.0.4:80')).toBe('KUBE-SEP-UKSFD7AGPMPPLUHC')
    expect(endpointChainName('ns4/svc4:p80', 'tcp', '10.180.0.5:80')).toBe('KUBE-SEP-C6EBXVWJJZMIWKLZ')
    expect(endpointChainName('ns5/svc5:p80', 'tcp', '10.180.0.3:80')).toBe('KUBE-SEP-I77PXRDZVX7PMWMN')
    expect(endpointChainName('ns3/svc3:p80', 'tcp', '10.0.3.1:80')).toBe('KUBE-SEP-BSWRHOQ77KEXZLNL')
    expect(endpointChainName('ns3/svc3:p80', 'tcp', '10.0.3.2:80')).toBe('KUBE-SEP-DKCFIS26GWF2WLWC')
    expect(endpointChainName('ns3/svc3:p80', 'tcp', '10.0.3.3:80')).toBe('KUBE-SEP-JVVZVJ7BSEPPRNBS')
    expect(endpointChainName('ns1/svc1:p80', 'tcp', '10.0.0.0:80')).toBe('KUBE-SEP-DKGQUZGBKLTPAR56')
    expect(endpointChainName('ns3/svc3:p8081', 'tcp', '203.0.113.4:8081')).toBe('KUBE-SEP-RUVVH7YV3PHQBDOS')
    expect(endpointChainName('ns4/svc4:p8082', 'tcp', '10.4.0.1:8082')).toBe('KUBE-SEP-SU5STNODRYEWJAUF')
  })

  it('reproduces well-known names of every real cluster', () => {
    expect(serviceChainNames('default/kubernetes:https', 'tcp').clusterPolicy).toBe('KUBE-SVC-NPX46M4PTMTKRN6Y')
    expect(serviceChainNames('kube-system/kube-dns:dns', 'udp').clusterPolicy).toBe('KUBE-SVC-TCOU7JCQXEZGVUNU')
    expect(serviceChainNames('kube-system/kube-dns:dns-tcp', 'tcp').clusterPolicy).toBe('KUBE-SVC-ERIFXISQEP7F7OF4')
    expect(serviceChainNames('kube-system/kube-dns:metrics', 'tcp').clusterPolicy).toBe('KUBE-SVC-JD5MR3NA4I4DYORP')
  })

  it('hashes to exactly 16 base32 characters', () => {
    for (const s of ['', 'a', 'default/nginx-servicetcp', 'ü/ñ']) expect(hash16(s)).toMatch(/^[A-Z2-7]{16}$/)
  })

  it('brackets IPv6 endpoints as net.JoinHostPort does', () => {
    expect(endpointString('10.244.1.2', 80)).toBe('10.244.1.2:80')
    expect(endpointString('fd00:10:180::1', 80)).toBe('[fd00:10:180::1]:80')
  })
})

describe('numbers as kube-proxy and iptables print them', () => {
  it('computeProbability is Go fmt "%0.10f" of 1/n (upstream TestComputeProbability)', () => {
    const expected: Record<number, string> = {
      1: '1.0000000000', 2: '0.5000000000', 10: '0.1000000000', 100: '0.0100000000', 1000: '0.0010000000',
      10000: '0.0001000000', 100000: '0.0000100000', 100001: '0.0000099999',
    }
    for (const [n, p] of Object.entries(expected)) expect(computeProbability(Number(n))).toBe(p)
    expect([3, 4, 5, 6, 7].map(computeProbability)).toEqual(['0.3333333333', '0.2500000000', '0.2000000000', '0.1666666667', '0.1428571429'])
  })

  it('probabilities decrease strictly from n=2 to n=100000, as upstream checks', () => {
    let prev = 0
    for (let i = 100000; i > 1; i--) {
      const p = Number(computeProbability(i))
      expect(p > prev).toBe(true)
      prev = p
    }
  })

  it('rounds an exact tie to even like Go (JavaScript toFixed would round 1/2048 up)', () => {
    expect(formatFixed(1 / 2048, 10)).toBe('0.0004882812')
    expect((1 / 2048).toFixed(10)).toBe('0.0004882813')
    expect(formatFixed(0.125, 2)).toBe('0.12')
    expect(formatFixed(0.375, 2)).toBe('0.38')
  })

  it('iptables-save prints the stored fixed-point probability with 11 decimals (checked in the kernel)', () => {
    expect(savedProbability('0.5000000000')).toBe('0.50000000000')
    expect(savedProbability('0.3333333333')).toBe('0.33333333349')
    expect(savedProbability('0.2500000000')).toBe('0.25000000000')
    expect(savedProbability('0.2000000000')).toBe('0.20000000019')
    expect(savedProbability('0.1666666667')).toBe('0.16666666651')
    expect(savedProbability('0.1428571429')).toBe('0.14285714272')
  })

  it('the masquerade mark is Go "%#08x" of 1<<bit: the digits are zero-padded to 8, then 0x', () => {
    expect(masqueradeMark(14)).toBe('0x00004000')
    expect(masqueradeMark(0)).toBe('0x00000001')
    expect(masqueradeMark(31)).toBe('0x80000000')
  })
})
