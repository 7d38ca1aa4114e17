/** A seeded script of ipset commands for the model-vs-kernel check (restore syntax, one command a line). */
import { createRng } from '../../src/engine/random.ts'

export function ipsetScript(seed: number): string[] {
  const rng = createRng(seed)
  const int = (n: number) => rng.int(n)
  const ip = () => `10.${int(4)}.${int(256)}.${int(256)}`
  const proto = () => rng.pick(['tcp', 'udp', 'sctp'])
  // A network written as its network address, so two texts never name the same element.
  const net = () => {
    const prefix = 8 + int(25)
    const n = ((10 << 24) | (int(4) << 16) | (int(256) << 8) | int(256)) >>> 0
    const masked = prefix === 32 ? n : (n & (~((1 << (32 - prefix)) - 1) >>> 0)) >>> 0
    return `${[masked >>> 24, (masked >>> 16) & 255, (masked >>> 8) & 255, masked & 255].join('.')}/${prefix}`
  }
  const sets: { name: string; entry: () => string; comment: boolean }[] = [
    { name: 'H-IP', entry: ip, comment: false },
    { name: 'H-IPPORT', entry: () => `${ip()},${proto()}:${int(65536)}`, comment: false },
    { name: 'H-IPPORT-C', entry: () => `${ip()},${proto()}:${int(65536)}`, comment: true },
    { name: 'H-IPPORTIP', entry: () => `${ip()},${proto()}:${int(65536)},${ip()}`, comment: false },
    { name: 'H-IPPORTNET', entry: () => `${ip()},${proto()}:${int(65536)},${net()}`, comment: false },
    { name: 'H-NET', entry: () => net(), comment: false },
    { name: 'B-PORT', entry: () => String(int(65536)), comment: false },
    { name: 'B-PORT-C', entry: () => String(1000 + int(1001)), comment: true },
  ]
  const lines = [
    'create H-IP hash:ip family inet hashsize 1024 maxelem 65536 initval 0x1badb002',
    'create H-IPPORT hash:ip,port family inet hashsize 1024 maxelem 65536 initval 0x0ddba11',
    'create H-IPPORT-C hash:ip,port family inet hashsize 1024 maxelem 65536 comment initval 0xfeedface',
    'create H-IPPORTIP hash:ip,port,ip family inet hashsize 1024 maxelem 65536 initval 0x12345678',
    'create H-IPPORTNET hash:ip,port,net family inet hashsize 1024 maxelem 65536 initval 0x9abcdef0',
    'create H-NET hash:net family inet hashsize 1024 maxelem 65536 initval 0x31337',
    'create B-PORT bitmap:port range 0-65535',
    'create B-PORT-C bitmap:port range 1000-2000 comment',
  ]
  const added = new Map<string, string[]>(sets.map((s) => [s.name, []]))
  for (let i = 0; i < 2400; i++) {
    const set = rng.pick(sets)
    const have = added.get(set.name)!
    if (have.length > 10 && rng.next() < 0.3) {
      const [gone] = have.splice(int(have.length), 1)
      lines.push(`del ${set.name} ${gone}`)
    } else {
      const e = set.entry()
      if (have.includes(e)) continue
      have.push(e)
      lines.push(`add ${set.name} ${e}${set.comment && rng.next() < 0.7 ? ` comment "c${int(100000)}"` : ''}`)
    }
  }
  return lines
}

