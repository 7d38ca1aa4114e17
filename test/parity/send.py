#!/usr/bin/env python3
"""Send hand-built IPv4 packets through a raw socket (IP_HDRINCL), exactly as described, so the kernel
and the engine see the same bytes. Usage: send.py '<json list of packets>'. Each packet:
{"src","dst","proto":"tcp"|"udp"|"icmp","sport","dport","flags":"S"|"SA"|"A"|"R"|"F"|"E"|"C"...,"seq","ack",
 "mss":N (a TCP MSS option),"icmpType","icmpCode","icmpId","icmpSeq","payload":N,"ttl","tos",
 "quoted":{packet an ICMP error is about}}"""
import json, socket, struct, sys

def csum(data: bytes) -> int:
    if len(data) % 2:
        data += b'\0'
    s = sum(struct.unpack('!%dH' % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff

FLAG_BITS = {'F': 1, 'S': 2, 'R': 4, 'P': 8, 'A': 16, 'U': 32, 'E': 64, 'C': 128}

def build(p):
    src, dst = socket.inet_aton(p['src']), socket.inet_aton(p['dst'])
    payload = b'x' * p.get('payload', 0)
    proto = p['proto']
    if proto == 'tcp':
        flags = sum(FLAG_BITS[c] for c in p.get('flags', 'S'))
        opts = struct.pack('!BBH', 2, 4, p['mss']) if 'mss' in p else b''
        hdr = struct.pack('!HHIIBBHHH', p['sport'], p['dport'], p.get('seq', 1000), p.get('ack', 0), (5 + len(opts) // 4) << 4, flags, 64240, 0, 0) + opts
        pseudo = src + dst + struct.pack('!BBH', 0, 6, len(hdr) + len(payload))
        c = csum(pseudo + hdr + payload)
        l4 = hdr[:16] + struct.pack('!H', c) + hdr[18:] + payload
        num = 6
    elif proto == 'udp':
        ln = 8 + len(payload)
        hdr = struct.pack('!HHHH', p['sport'], p['dport'], ln, 0)
        pseudo = src + dst + struct.pack('!BBH', 0, 17, ln)
        c = csum(pseudo + hdr + payload) or 0xffff
        l4 = hdr[:6] + struct.pack('!H', c) + payload
        num = 17
    else:
        if 'quoted' in p:
            # An ICMP error quotes the offending packet's IP header and its first 8 bytes.
            payload = build(p['quoted'])[:28]
        hdr = struct.pack('!BBHHH', p.get('icmpType', 8), p.get('icmpCode', 0), 0, p.get('icmpId', 0), p.get('icmpSeq', 1))
        c = csum(hdr + payload)
        l4 = hdr[:2] + struct.pack('!H', c) + hdr[4:] + payload
        num = 1
    total = 20 + len(l4)
    ip = struct.pack('!BBHHHBBH4s4s', 0x45, p.get('tos', 0), total, 0, 0x4000, p.get('ttl', 64), num, 0, src, dst)
    ip = ip[:10] + struct.pack('!H', csum(ip)) + ip[12:]
    return ip + l4

def main():
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_HDRINCL, 1)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
    for p in json.loads(sys.argv[1]):
        try:
            s.sendto(build(p), (p['dst'], 0))
        except OSError as e:
            # OUTPUT dropped or rejected it (EPERM), or no route: the kernel's verdict, not an error here.
            print(f'send: {e}', file=sys.stderr)

main()
