/**
 * Numbers as kube-proxy and iptables print them: Go's `%0.10f` of the cascade probabilities, what
 * iptables-save prints back for them, and the masquerade mark's `%#08x`.
 */

/**
 * Formats `x` with `digits` decimals the way Go's fmt (and C's printf) do: from the exact binary value,
 * rounding a tie to even. (JavaScript's toFixed rounds a tie up, which differs e.g. for 1/2048.)
 */
export function formatFixed(x: number, digits: number): string {
  const rounded = x.toFixed(digits)
  const exact = x.toFixed(Math.min(100, digits + 60))
  const dot = exact.indexOf('.')
  const rest = exact.slice(dot + 1 + digits)
  // A tie: the exact expansion continues with 5 and nothing else. JavaScript rounded it up; Go rounds
  // to even, so step back down when the kept digits end in an even digit.
  if (rest.length > 0 && rest[0] === '5' && /^50*$/.test(rest)) {
    const truncated = exact.slice(0, dot + 1 + digits).replace(/\.$/, '')
    const lastDigit = Number(truncated[truncated.length - 1])
    if (lastDigit % 2 === 0) return truncated
  }
  return rounded
}

/** Upstream computeProbability(n): `fmt.Sprintf("%0.10f", 1.0/float64(n))`. */
export function computeProbability(n: number): string {
  // Upstream precomputes these (precomputedProbabilities); so do we.
  let p = probabilities[n]
  if (p === undefined) p = probabilities[n] = formatFixed(1 / n, 10)
  return p
}

const probabilities: string[] = []

/**
 * What `iptables-save` prints for a `--probability P` given as text: xt_statistic stores
 * `lround(P * 2^31)` and prints it back as `%.11f` of that fixed-point value.
 */
export function savedProbability(given: string): string {
  let saved = savedProbabilities.get(given)
  if (saved === undefined) {
    const fixed = Math.round(Number(given) * 0x80000000)
    saved = formatFixed(fixed / 0x80000000, 11)
    if (savedProbabilities.size > 100_000) savedProbabilities.clear()
    savedProbabilities.set(given, saved)
  }
  return saved
}

const savedProbabilities = new Map<string, string>()

/**
 * Go `fmt.Sprintf("%#08x", 1<<bit)`: the masquerade mark kube-proxy writes into its restore payload.
 * Go implements zero padding as a precision on the digits and adds the `0x` afterwards, so bit 14 gives
 * `0x00004000` (real kube-proxy logs show `--or-mark 0x00004000`; iptables-save prints it back as 0x4000).
 * Upstream's unit tests set the mark to the literal "0x4000" instead (NewFakeProxier).
 */
export function masqueradeMark(bit: number): string {
  return '0x' + (2 ** bit).toString(16).padStart(8, '0')
}
