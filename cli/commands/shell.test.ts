import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { recordingIO } from '../io.ts'
import { parseScript, run } from './shell.ts'

const script = [
  "# a learner's session",
  'sudo iptables -A INPUT -p tcp --dport 22 -j ACCEPT',
  '',
  'iptables -S INPUT',
  'iptables-restore --noflush <<RULES',
  '*filter',
  ':INPUT ACCEPT [0:0]',
  '-A INPUT -p tcp -m tcp --dport 80 -j DROP',
  'COMMIT',
  'RULES',
  'iptables -S INPUT',
  'nosuchtool --flag',
  'ip route',
  '',
].join('\n')

describe('cli shell', () => {
  it('runs each line on a fresh node and prints one JSON object per command', async () => {
    const io = recordingIO({ 's.sh': script })
    expect(await run(['--script', 's.sh', '--json'], io)).toBe(0)
    const lines = io.stdout.trim().split('\n').map((l) => JSON.parse(l))
    expect(lines.map((l) => l.cmd)).toEqual([
      'sudo iptables -A INPUT -p tcp --dport 22 -j ACCEPT', 'iptables -S INPUT', 'iptables-restore --noflush',
      'iptables -S INPUT', 'nosuchtool --flag', 'ip route'])
    expect(lines[1]).toEqual({ cmd: 'iptables -S INPUT', rc: 0, out: '-P INPUT ACCEPT\n-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT\n', err: '' })
    expect(lines[3].out).toBe('-P INPUT ACCEPT\n-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT\n-A INPUT -p tcp -m tcp --dport 80 -j DROP\n')
    expect(lines[4]).toEqual({ cmd: 'nosuchtool --flag', rc: 127, out: '', err: 'bash: nosuchtool: command not found\n' })
    expect(lines[5].out).toBe('default via 172.18.0.1 dev eth0 \n172.18.0.0/16 dev eth0 proto kernel scope link src 172.18.0.2 \n')
  })

  it('without --json echoes each command after a prompt, then its output', async () => {
    const io = recordingIO({ 's.sh': 'iptables -S FORWARD\nfoo\n' })
    expect(await run(['--script', 's.sh'], io)).toBe(0)
    expect(io.stdout).toBe('root@node:~# iptables -S FORWARD\n-P FORWARD ACCEPT\nroot@node:~# foo\nbash: foo: command not found\n')
  })

  it('runs every line of the shared firewall examples verbatim', async () => {
    const io = recordingIO()
    expect(await run(['--script', join(import.meta.dirname, '..', '..', 'scenarios', 'firewall-examples.sh'), '--json'], io)).toBe(0)
    const results = io.stdout.trim().split('\n').map((l) => JSON.parse(l))
    expect(results.length).toBeGreaterThan(0)
    for (const r of results) expect({ cmd: r.cmd, rc: r.rc, err: r.err }).toEqual({ cmd: r.cmd, rc: 0, err: '' })
  })

  it('runs each line through the node shell: pipes, the node\'s files, a rules file beside the script', async () => {
    const io = recordingIO({
      's.sh': [
        'iptables -A INPUT -p tcp --dport 22 -j ACCEPT',
        'iptables-save > /tmp/rules',
        'iptables -F',
        'iptables-restore < /tmp/rules',
        'iptables-save | grep -c -- "-A INPUT"',
        'iptables-restore --noflush < extra.rules',
        'iptables -S INPUT | tail -1',
      ].join('\n'),
      [resolve('extra.rules')]: '*filter\n-A INPUT -p udp --dport 53 -j ACCEPT\nCOMMIT\n',
    })
    expect(await run(['--script', 's.sh', '--json'], io)).toBe(0)
    const lines = io.stdout.trim().split('\n').map((l) => JSON.parse(l))
    expect(lines.map((l) => [l.cmd, l.rc])).toEqual([
      ['iptables -A INPUT -p tcp --dport 22 -j ACCEPT', 0], ['iptables-save > /tmp/rules', 0], ['iptables -F', 0],
      ['iptables-restore < /tmp/rules', 0], ['iptables-save | grep -c -- "-A INPUT"', 0], ['iptables-restore --noflush', 0],
      ['iptables -S INPUT | tail -1', 0],
    ])
    expect(lines[4].out).toBe('1\n')
    expect(lines[6]).toEqual({ cmd: 'iptables -S INPUT | tail -1', rc: 0, out: '-A INPUT -p udp -m udp --dport 53 -j ACCEPT\n', err: '' })
  })

  it('reports an unclosed here-document and a missing script with status 2', async () => {
    expect(() => parseScript('iptables-restore <<RULES\n*filter\n', () => '')).toThrow(/line 1: here-document/)
    const io = recordingIO()
    expect(await run([], io)).toBe(2)
    expect(io.stderr).toMatch(/--script FILE is required/)
  })
})
