import { describe, expect, it } from 'vitest'
import { recordingIO } from '../io.ts'
import { run } from './trace-rules.ts'

const rules = [
  '*nat',
  ':PREROUTING ACCEPT [0:0]',
  ':INPUT ACCEPT [0:0]',
  ':OUTPUT ACCEPT [0:0]',
  ':POSTROUTING ACCEPT [0:0]',
  ':KUBE-SERVICES - [0:0]',
  '-A PREROUTING -j KUBE-SERVICES',
  '-A OUTPUT -j KUBE-SERVICES',
  '-A KUBE-SERVICES -d 10.96.0.10/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.1.0.2:8080',
  '-A POSTROUTING -o eth1 -j MASQUERADE',
  'COMMIT',
  '*filter',
  ':INPUT ACCEPT [0:0]',
  ':FORWARD DROP [0:0]',
  ':OUTPUT ACCEPT [0:0]',
  '-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
  '-A FORWARD -d 10.1.0.2/32 -p tcp -m tcp --dport 8080 -j ACCEPT',
  '-A FORWARD -p udp -j REJECT',
  'COMMIT',
  '',
].join('\n')
const base = ['--rules', 'r.save', '--iface', 'eth0=10.0.0.1/24', 'eth1=10.1.0.1/24', '--route', 'default=10.1.0.254']

async function trace(extra: string[]) {
  const io = recordingIO({ 'r.save': rules })
  const code = await run([...base, ...extra, '--json'], io)
  return { code, json: code === 0 ? JSON.parse(io.stdout) : undefined, io }
}

describe('cli trace-rules', () => {
  it('traces a forwarded SYN to a ClusterIP: DNAT, FORWARD accept, MASQUERADE', async () => {
    const { code, json } = await trace(['--packet', 'tcp 10.0.0.2:40000 -> 10.96.0.10:80', '--in', 'eth0'])
    expect(code).toBe(0)
    expect(json.path).toBe('forward')
    expect(json.hits).toEqual(['nat/PREROUTING#1', 'nat/KUBE-SERVICES#1', 'filter/FORWARD#2', 'nat/POSTROUTING#1'])
    expect(json.policy_hits).toEqual([])
    expect(json.verdict).toBe('delivered')
    expect(json.reject_kind).toBeNull()
    expect(json.packet).toMatchObject({ src: '10.1.0.1', sport: 40000, dst: '10.1.0.2', dport: 8080, outIface: 'eth1' })
  })

  it('--nth 2: the ACK after the answered SYN is ESTABLISHED and meets no nat rule', async () => {
    const { json } = await trace(['--packet', 'tcp 10.0.0.2:40000 -> 10.96.0.10:80', '--in', 'eth0', '--nth', '2'])
    expect(json.hits).toEqual(['filter/FORWARD#1'])
    expect(json.conntrack.state).toBe('ESTABLISHED')
    expect(json.packet).toMatchObject({ src: '10.1.0.1', dst: '10.1.0.2', dport: 8080 })
  })

  it('a rejected UDP datagram reports the ICMP the client sees', async () => {
    const { json } = await trace(['--packet', 'udp 10.0.0.2 -> 10.1.0.2:53', '--in', 'eth0'])
    expect(json.verdict).toBe('rejected')
    expect(json.reject_kind).toBe('icmp-port-unreachable')
    expect(json.hits).toEqual(['nat/PREROUTING#1', 'filter/FORWARD#3'])
  })

  it('a locally generated packet to the ClusterIP takes the output path', async () => {
    const { json } = await trace(['--packet', 'tcp 10.1.0.1:50000 -> 10.96.0.10:80', '--local'])
    expect(json.path).toBe('output')
    expect(json.hits).toEqual(['nat/OUTPUT#1', 'nat/KUBE-SERVICES#1', 'nat/POSTROUTING#1'])
    expect(json.packet.outIface).toBe('eth1')
  })

  it('the policy applies when no rule accepts', async () => {
    const { json } = await trace(['--packet', 'tcp 10.0.0.2:40000 -> 10.1.0.9:22', '--in', 'eth0'])
    expect(json.verdict).toBe('dropped')
    expect(json.policy_hits).toEqual(['nat/PREROUTING', 'filter/FORWARD'])
  })

  it('prints a readable trace without --json', async () => {
    const io = recordingIO({ 'r.save': rules })
    expect(await run([...base, '--packet', 'tcp 10.0.0.2:40000 -> 10.96.0.10:80', '--in', 'eth0'], io)).toBe(0)
    expect(io.stdout).toContain('✓ nat/KUBE-SERVICES#1')
    expect(io.stdout).toContain('verdict: delivered')
  })

  it('refuses bad arguments with status 2', async () => {
    const { code, io } = await trace(['--packet', 'tcp 10.0.0.2 -> 10.96.0.10', '--in', 'eth0'])
    expect(code).toBe(2)
    expect(io.stderr).toMatch(/needs a destination port/)
    const both = await trace(['--packet', 'icmp 10.0.0.2 -> 10.1.0.2', '--in', 'eth0', '--local'])
    expect(both.code).toBe(2)
  })

  describe('--assume', () => {
    const socketRules = [
      '*mangle', ':PREROUTING ACCEPT [0:0]', ':DIVERT - [0:0]',
      '-A PREROUTING -p tcp -m socket -j DIVERT', '-A DIVERT -j MARK --set-xmark 0x1/0xffffffff', 'COMMIT', '',
    ].join('\n')
    const socketTrace = async (extra: string[]) => {
      const io = recordingIO({ 's.save': socketRules })
      const code = await run(['--rules', 's.save', '--iface', 'eth0=10.0.0.1/24', '--packet', 'tcp 10.0.0.2:40000 -> 10.0.0.1:80', '--in', 'eth0', ...extra], io)
      return { code, io }
    }

    it('says what a match the node cannot decide was assumed to be, and how to flip it', async () => {
      const { code, io } = await socketTrace([])
      expect(code).toBe(0)
      expect(io.stdout).toContain('assumed false (the simulation has no sockets): flip with --assume socket=true')
      expect(io.stdout).not.toContain('mangle/DIVERT#1')
    })

    it('takes the value given, repeatable, in the JSON trace too', async () => {
      const { code, io } = await socketTrace(['--assume', 'socket=true', '--assume=time=false', '--json'])
      expect(code).toBe(0)
      const json = JSON.parse(io.stdout)
      expect(json.hits).toEqual(['mangle/PREROUTING#1', 'mangle/DIVERT#1'])
      expect(json.packet.mark).toBe(1)
      expect(JSON.stringify(json.steps)).toContain('assumed true as set with --assume socket=true')
    })

    it('refuses a module without an assumption or a value that is not true or false', async () => {
      const unknown = await socketTrace(['--assume', 'tcp=true'])
      expect(unknown.code).toBe(2)
      expect(unknown.io.stderr).toContain('--assume tcp: no assumption for that module; modules: socket, cgroup, cpu, time, rateest, CHECKSUM, TPROXY, SYNPROXY')
      const bad = await socketTrace(['--assume', 'socket=yes'])
      expect(bad.code).toBe(2)
      expect(bad.io.stderr).toContain('invalid --assume "socket=yes": expected MODULE=true or MODULE=false')
    })
  })
})
