import { useShallow } from 'zustand/react/shallow'
import type { Service } from '../../engine/cluster/types.ts'
import { deleteObject, select } from '../../state/actions.ts'
import { useAppStore } from '../../state/store.ts'
import { Badge } from '../app/Badge.tsx'
import { Button } from '../app/Button.tsx'
import { selectedByDeployment, serviceExternalText, servicePortsText } from '../model/k8s-status.ts'
import { Facts, Mono, Section, labelsText } from './Facts.tsx'
import { ScaleControl } from './ScaleControl.tsx'
import { ServiceChains } from '../rules/ServiceChains.tsx'

export function ServiceDetails({ service }: { service: Service }) {
  const busy = useAppStore((s) => s.busy)
  const namespace = service.metadata.namespace ?? 'default'
  const name = service.metadata.name
  const slices = useAppStore(useShallow((s) => (s.view?.snapshot.endpointSlices ?? []).filter((slice) =>
    slice.metadata.namespace === namespace && slice.metadata.labels?.['kubernetes.io/service-name'] === name)))
  // The Deployments whose Pods this Service selects: scaling them is the natural next step from here.
  const deployments = useAppStore(useShallow((s) => (s.view?.snapshot.deployments ?? []).filter((d) =>
    d.metadata.namespace === namespace && service.spec.selector !== undefined
    && Object.entries(service.spec.selector).every(([k, v]) => d.spec.template.metadata.labels?.[k] === v)
    && selectedByDeployment(d, d.spec.template.metadata.labels))))
  const endpoints = slices.flatMap((slice) => slice.endpoints.flatMap((e) => e.addresses.map((address) => ({ address, endpoint: e, slice }))))
  const endpointPorts = [...new Set(slices.flatMap((s) => s.ports.map((p) => `${p.name ? `${p.name}:` : ''}${p.port}/${p.protocol}`)))]
  return (
    <>
      <Section title="Facts">
        <Facts rows={[
          ['Type', service.spec.type],
          ['Cluster IP', <Mono>{service.spec.clusterIP ?? '<none>'}</Mono>],
          ['External IP', <Mono>{serviceExternalText(service)}</Mono>],
          ['Ports', <Mono>{servicePortsText(service)}</Mono>],
          ['Target ports', <Mono>{service.spec.ports.map((p) => String(p.targetPort)).join(', ') || '<none>'}</Mono>],
          ['Selector', <Mono>{labelsText(service.spec.selector)}</Mono>],
          ['Session affinity', service.spec.sessionAffinity],
          ...(service.spec.externalTrafficPolicy ? [['External traffic policy', service.spec.externalTrafficPolicy] as [string, string]] : []),
          ...(service.spec.internalTrafficPolicy ? [['Internal traffic policy', service.spec.internalTrafficPolicy] as [string, string]] : []),
        ]} />
      </Section>
      <Section title={`Endpoints (${endpoints.length})`}>
        {endpoints.length === 0 ? <p className="text-sm text-slate-500">No endpoints: no ready Pod matches the selector.</p> : (
          <ul className="divide-y divide-slate-100" data-testid="endpoints-list" aria-label="Endpoints">
            {endpoints.map(({ address, endpoint }) => (
              <li key={`${address}-${endpoint.targetRef?.name ?? ''}`} data-testid="endpoint" className="py-1.5">
                <div className="flex items-center justify-between gap-2">
                  <span className="font-mono text-[13px] text-slate-900">{address}</span>
                  <EndpointConditions conditions={endpoint.conditions} />
                </div>
                <div className="truncate text-xs text-slate-500">
                  {endpoint.targetRef ? (
                    <button type="button" className="text-k8s hover:underline" title={endpoint.targetRef.name}
                      onClick={() => select({ kind: 'Pod', namespace: endpoint.targetRef!.namespace, name: endpoint.targetRef!.name })}>
                      pod/{endpoint.targetRef.name}
                    </button>
                  ) : 'no Pod'}
                  {endpoint.nodeName && <> on {endpoint.nodeName}</>}
                </div>
              </li>
            ))}
          </ul>
        )}
        {endpointPorts.length > 0 && <p className="mt-2 text-xs text-slate-500">Ports: <Mono>{endpointPorts.join(', ')}</Mono></p>}
      </Section>
      <ServiceChains />
      <Section title="Actions">
        <div className="space-y-3">
          {deployments.map((d) => (
            <div key={d.metadata.name} className="space-y-1">
              <div className="text-xs text-slate-500">deployment/{d.metadata.name}</div>
              <ScaleControl deployment={d} />
            </div>
          ))}
          <Button variant="danger" disabled={busy} onClick={() => void deleteObject({ kind: 'Service', namespace, name })}>Delete service</Button>
        </div>
      </Section>
    </>
  )
}

/** The three endpoint conditions kube-proxy reads, as EndpointSlice YAML spells them. */
function EndpointConditions({ conditions: c }: { conditions: { ready?: boolean; serving?: boolean; terminating?: boolean } }) {
  const ready = c.ready ?? true
  const serving = c.serving ?? ready
  return (
    <span className="flex gap-1">
      <Badge tone={ready ? 'green' : 'amber'}>ready={String(ready)}</Badge>
      <Badge tone={serving ? 'slate' : 'amber'}>serving={String(serving)}</Badge>
      {c.terminating && <Badge tone="red">terminating</Badge>}
    </span>
  )
}
