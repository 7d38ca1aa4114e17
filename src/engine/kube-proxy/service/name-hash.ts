/**
 * The hash kube-proxy builds chain and set names from, in both the iptables and nftables proxiers: the
 * SHA-256 of a string, encoded with Go's base32.StdEncoding (RFC 4648 alphabet), first few characters.
 */
import { sha256 } from '@noble/hashes/sha2.js'
import { utf8ToBytes } from '@noble/hashes/utils.js'

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'

/** The first `chars` characters of base32(sha256(input)); padding is never reached for chars ≤ 51. */
export function sha256Base32Prefix(input: string, chars: number): string {
  const bytes = sha256(utf8ToBytes(input))
  let out = ''
  let buffer = 0
  let bits = 0
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte
    bits += 8
    while (bits >= 5 && out.length < chars) {
      out += BASE32[(buffer >>> (bits - 5)) & 31]
      bits -= 5
    }
    buffer &= (1 << bits) - 1
    if (out.length >= chars) break
  }
  return out
}
