import { describe, expect, it } from 'vitest'
import { endpointChainName, endpointString, hash16, serviceChainNames, servicePortNameString } from './names.ts'

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
