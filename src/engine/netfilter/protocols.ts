/**
 * IP protocol names and numbers as iptables resolves them: its own short list first (tcp, udp, udplite,
 * icmp, esp, ah, sctp, all), then /etc/protocols (Debian netbase), embedded here.
 */

/** /etc/protocols: [name, number, ...aliases] */
const ETC_PROTOCOLS: [string, number, ...string[]][] = [
  ['ip', 0, 'IP'],
  ['hopopt', 0, 'HOPOPT'],
  ['icmp', 1, 'ICMP'],
  ['igmp', 2, 'IGMP'],
  ['ggp', 3, 'GGP'],
  ['ipencap', 4, 'IP-ENCAP'],
  ['st', 5, 'ST'],
  ['tcp', 6, 'TCP'],
  ['egp', 8, 'EGP'],
  ['igp', 9, 'IGP'],
  ['pup', 12, 'PUP'],
  ['udp', 17, 'UDP'],
  ['hmp', 20, 'HMP'],
  ['xns-idp', 22, 'XNS-IDP'],
  ['rdp', 27, 'RDP'],
  ['iso-tp4', 29, 'ISO-TP4'],
  ['dccp', 33, 'DCCP'],
  ['xtp', 36, 'XTP'],
  ['ddp', 37, 'DDP'],
  ['idpr-cmtp', 38, 'IDPR-CMTP'],
  ['ipv6', 41, 'IPv6'],
  ['ipv6-route', 43, 'IPv6-Route'],
  ['ipv6-frag', 44, 'IPv6-Frag'],
  ['idrp', 45, 'IDRP'],
  ['rsvp', 46, 'RSVP'],
  ['gre', 47, 'GRE'],
  ['esp', 50, 'IPSEC-ESP'],
  ['ah', 51, 'IPSEC-AH'],
  ['skip', 57, 'SKIP'],
  ['ipv6-icmp', 58, 'IPv6-ICMP'],
  ['ipv6-nonxt', 59, 'IPv6-NoNxt'],
  ['ipv6-opts', 60, 'IPv6-Opts'],
  ['rspf', 73, 'RSPF', 'CPHB'],
  ['vmtp', 81, 'VMTP'],
  ['eigrp', 88, 'EIGRP'],
  ['ospf', 89, 'OSPFIGP'],
  ['ax.25', 93, 'AX.25'],
  ['ipip', 94, 'IPIP'],
  ['etherip', 97, 'ETHERIP'],
  ['encap', 98, 'ENCAP'],
  ['pim', 103, 'PIM'],
  ['ipcomp', 108, 'IPCOMP'],
  ['vrrp', 112, 'VRRP'],
  ['l2tp', 115, 'L2TP'],
  ['isis', 124, 'ISIS'],
  ['sctp', 132, 'SCTP'],
  ['fc', 133, 'FC'],
  ['mobility-header', 135, 'Mobility-Header'],
  ['udplite', 136, 'UDPLite'],
  ['mpls-in-ip', 137, 'MPLS-in-IP'],
  ['manet', 138],
  ['hip', 139, 'HIP'],
  ['shim6', 140, 'Shim6'],
  ['wesp', 141, 'WESP'],
  ['rohc', 142, 'ROHC'],
  ['ethernet', 143, 'Ethernet'],
  ['mptcp', 262, 'MPTCP'],
]

/** iptables' built-in list (xtables_chain_protos), consulted before /etc/protocols. */
const CHAIN_PROTOS: [string, number][] = [
  ['tcp', 6], ['sctp', 132], ['udp', 17], ['udplite', 136], ['icmp', 1], ['ipv6-icmp', 58], ['esp', 50], ['ah', 51],
  ['mh', 135], ['all', 0],
]

/** Protocol number for a name or number as `-p` accepts it; undefined when unknown or out of range. */
export function parseProtocol(text: string): number | undefined {
  const lower = text.toLowerCase()
  if (/^[0-9]+$/.test(lower)) {
    const n = Number(lower)
    return n <= 255 ? n : undefined
  }
  if (lower === 'icmpv6') return 58
  for (const [name, num] of CHAIN_PROTOS) if (name === lower) return num
  for (const [name, num, ...aliases] of ETC_PROTOCOLS) {
    if (name === lower || aliases.includes(lower)) return num
  }
  return undefined
}

/** The name iptables prints for a protocol number (save and `-L` without `-n`), or undefined. */
export function protocolName(num: number): string | undefined {
  for (const [name, n] of CHAIN_PROTOS) if (n === num) return name
  for (const [name, n] of ETC_PROTOCOLS) if (n === num) return name
  return undefined
}
