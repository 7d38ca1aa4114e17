/** `-m ah [!] --ahspi spi[:spi]`: the SPI of an IPsec Authentication Header (needs `-p ah`). */
import { spiIsDefault, spiListText, spiMatch } from './spi-common.ts'

export const ahMatch = spiMatch({
  name: 'ah', option: 'ahspi', proto: 51, initial: [0, 0xffffffff], header: 'AH',
  // libipt_ah prints "ah " and then the range, so a rule without --ahspi ends in a blank.
  list: (o) => `ah ${spiIsDefault(o) ? '' : spiListText(o)}`,
})
