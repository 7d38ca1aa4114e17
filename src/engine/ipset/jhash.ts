/**
 * The kernel's jhash2 (include/linux/jhash.h, Bob Jenkins' lookup3 on 32-bit words). ipset's hash types
 * place an element in bucket `jhash2(elem words, initval) & (2^bits - 1)` and `ipset list` walks buckets in
 * index order, so this function decides the order of `Members:` exactly as the kernel prints them.
 */

const JHASH_INITVAL = 0xdeadbeef

function rol32(x: number, shift: number): number {
  return ((x << shift) | (x >>> (32 - shift))) >>> 0
}

/** jhash2(k, k.length, initval) on unsigned 32-bit words. */
export function jhash2(k: readonly number[], initval: number): number {
  let length = k.length
  let a = (JHASH_INITVAL + (length << 2) + initval) >>> 0
  let b = a
  let c = a
  let i = 0
  while (length > 3) {
    a = (a + k[i]) >>> 0
    b = (b + k[i + 1]) >>> 0
    c = (c + k[i + 2]) >>> 0
    // __jhash_mix
    a = (a - c) >>> 0; a = (a ^ rol32(c, 4)) >>> 0; c = (c + b) >>> 0
    b = (b - a) >>> 0; b = (b ^ rol32(a, 6)) >>> 0; a = (a + c) >>> 0
    c = (c - b) >>> 0; c = (c ^ rol32(b, 8)) >>> 0; b = (b + a) >>> 0
    a = (a - c) >>> 0; a = (a ^ rol32(c, 16)) >>> 0; c = (c + b) >>> 0
    b = (b - a) >>> 0; b = (b ^ rol32(a, 19)) >>> 0; a = (a + c) >>> 0
    c = (c - b) >>> 0; c = (c ^ rol32(b, 4)) >>> 0; b = (b + a) >>> 0
    length -= 3
    i += 3
  }
  if (length === 0) return c
  // The switch falls through: 3 adds k[2], 2 adds k[1], 1 adds k[0].
  if (length >= 3) c = (c + k[i + 2]) >>> 0
  if (length >= 2) b = (b + k[i + 1]) >>> 0
  a = (a + k[i]) >>> 0
  // __jhash_final
  c = (c ^ b) >>> 0; c = (c - rol32(b, 14)) >>> 0
  a = (a ^ c) >>> 0; a = (a - rol32(c, 11)) >>> 0
  b = (b ^ a) >>> 0; b = (b - rol32(a, 25)) >>> 0
  c = (c ^ b) >>> 0; c = (c - rol32(b, 16)) >>> 0
  a = (a ^ c) >>> 0; a = (a - rol32(c, 4)) >>> 0
  b = (b ^ a) >>> 0; b = (b - rol32(a, 14)) >>> 0
  c = (c ^ b) >>> 0; c = (c - rol32(b, 24)) >>> 0
  return c
}

/** Four bytes in memory order read as a little-endian u32 (how the kernel's `(u32 *)` cast sees them on x86). */
export function leWord(b0: number, b1: number, b2: number, b3: number): number {
  return ((b0 & 0xff) | ((b1 & 0xff) << 8) | ((b2 & 0xff) << 16) | ((b3 & 0xff) << 24)) >>> 0
}

/** An IPv4 address (host-order number) as the __be32 the kernel stores, read as a little-endian word. */
export function be32Word(addr: number): number {
  return leWord(addr >>> 24, addr >>> 16, addr >>> 8, addr)
}
