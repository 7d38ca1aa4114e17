/**
 * IPVS mode behind the KubeProxyBackend interface: the IpvsProxier of ./proxier.ts programming the host; the
 * IPVS hooks run at LOCAL_IN / LOCAL_OUT / FORWARD (ipvs/hook-stages.ts). The console answers `ipvsadm` and
 * `ip addr show kube-ipvs0`; `ipset` and `-m set` read the host's own ipsets, which kube-proxy fills.
 */
import type { KubeProxyConfiguration } from '../../../cluster/types.ts'
import type { ConsoleResult } from '../../../host/console-types.ts'
import type { Host } from '../../../host/host.ts'
import { ipAddr } from '../../../host/ip-output.ts'
import { ipvsHookStages } from '../../../ipvs/hook-stages.ts'
import { runIpvsadm } from '../../../ipvs/ipvsadm.ts'
import type { HookStage } from '../../../netfilter/traversal-types.ts'
import type { Hook } from '../../../netfilter/types.ts'
import { ProxierBackend } from '../../backend.ts'
import type { BackendSync, KubeProxyBackend, LoadBalancing, PathStep, ProxierEnvironment } from '../../backend.ts'
import { DUMMY_DEVICE } from './compile.ts'
import { ipvsLoadBalancing } from './load-balancing.ts'
import { dummyInterfaceText, renderIpvsNode } from './node-state.ts'
import { IpvsProxier } from './proxier.ts'
import type { IpvsSyncRecord } from './proxier.ts'

export class IpvsBackend extends ProxierBackend<IpvsProxier> implements KubeProxyBackend {
  readonly mode = 'ipvs' as const

  constructor(private readonly host: Host, nodeName: string, config: KubeProxyConfiguration, environment: ProxierEnvironment = {}, proxy?: IpvsProxier) {
    super(proxy ?? new IpvsProxier(host, nodeName, config, environment))
  }

  sync(now: number, forceFull = false): BackendSync { return toBackendSync(this.proxy.sync(now, forceFull)) }

  hookStages(hook: Hook): readonly HookStage[] {
    return ipvsHookStages(() => this.proxy.nodeState().ipvs, hook)
  }

  /** IPVS's lookups are trace steps of their own (the compare chart counts those). */
  rulesEvaluated(): number { return 0 }

  loadBalancing(step: PathStep): LoadBalancing | undefined {
    return ipvsLoadBalancing(this.proxy.nodeState().ipvs, this.host.now(), step)
  }

  console(words: readonly string[]): ConsoleResult | undefined {
    const [cmd, ...args] = words
    const state = this.proxy.nodeState()
    if (cmd === 'ipvsadm') return runIpvsadm(state.ipvs, args, this.host.now())
    if (cmd === 'ip' && (args[0] === 'a' || (args[0] !== undefined && 'address'.startsWith(args[0])))) {
      const rest = args.slice(1).filter((a) => a !== 'show' && a !== 'list' && a !== 'dev')
      const iface = this.host.interfaces.find((x) => x.name === DUMMY_DEVICE)
      if (rest[0] === DUMMY_DEVICE) {
        if (!iface) return { rc: 1, out: '', err: `Device "${DUMMY_DEVICE}" does not exist.\n` }
        return { rc: 0, out: dummyInterfaceText(state.dummyAddresses, iface.index), err: '' }
      }
      if (rest.length === 0 && iface) {
        // The whole listing, with kube-ipvs0 in a dummy device's layout (the host models only lo and veths).
        return { rc: 0, out: replaceInterfaceBlock(ipAddr(this.host).out, DUMMY_DEVICE, dummyInterfaceText(state.dummyAddresses, iface.index)), err: '' }
      }
    }
    return undefined
  }

  render(options: { now?: Date } = {}): string {
    return renderIpvsNode(this.proxy.nodeState(), options)
  }

  cleanup(): void {
    this.proxy.cleanup()
  }

  clone(host: Host): IpvsBackend {
    return new IpvsBackend(host, this.nodeName, this.proxy.view().kubeProxyConfig, {}, this.proxy.clone(host))
  }
}

function toBackendSync(r: IpvsSyncRecord): BackendSync {
  const { seq: _seq, rulesWritten, chainsWritten, ipsetCommands, virtualServers, ...facts } = r
  return { ...facts, mode: 'ipvs', detail: { mode: 'ipvs', rulesWritten, chainsWritten, ipsetCommands: ipsetCommands.length, virtualServers } }
}

/** `ip addr` text with one interface's block (from its `N: name:` line to the next) replaced. */
export function replaceInterfaceBlock(listing: string, name: string, block: string): string {
  const lines = listing.split('\n')
  const start = lines.findIndex((l) => new RegExp(`^\\d+: ${name}[:@]`).test(l))
  if (start < 0) return listing
  let end = start + 1
  while (end < lines.length && !/^\d+: /.test(lines[end]) && lines[end] !== '') end++
  return [...lines.slice(0, start), ...block.replace(/\n$/, '').split('\n'), ...lines.slice(end)].join('\n')
}
