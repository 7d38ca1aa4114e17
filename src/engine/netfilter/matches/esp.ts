/** `-m esp [!] --espspi spi[:spi]`: the SPI of an IPsec Encapsulating Security Payload (needs `-p esp`). */
import { spiIsDefault, spiListText, spiMatch } from './spi-common.ts'

export const espMatch = spiMatch({
  name: 'esp', option: 'espspi', proto: 50, initial: [0, 0xffffffff], header: 'ESP',
  list: (o) => (spiIsDefault(o) ? 'esp' : `esp ${spiListText(o)}`),
})
