/**
 * `-m ipcomp [!] --ipcompspi spi[:spi]`: the CPI of an IP Payload Compression header (needs `-p ipcomp`).
 * libxt_ipcomp leaves the range at 0:0 when the option is not given, so such a rule matches CPI 0 only
 * and prints `--ipcompspi 0` (measured).
 */
import { spiListText, spiMatch } from './spi-common.ts'

export const ipcompMatch = spiMatch({
  name: 'ipcomp', option: 'ipcompspi', proto: 108, initial: [0, 0], header: 'IPComp',
  list: (o) => `comp ${spiListText(o)}`,
})
