import type { Pod } from '../../engine/cluster/types.ts'
import { advanceClock, deletePod, select, setPodReady } from '../../state/actions.ts'
import { useAppStore } from '../../state/store.ts'
import { Button } from '../app/Button.tsx'
import { podReadyCount, podState, selectedByDeployment } from '../model/k8s-status.ts'
import { Facts, Mono, Section, labelsText } from './Facts.tsx'

/** Kubernetes' default grace period when a Pod does not set one. */
const DEFAULT_GRACE_SECONDS = 30

export function PodDetails({ pod }: { pod: Pod }) {
  const busy = useAppStore((s) => s.busy)
  const namespace = pod.metadata.namespace ?? 'default'
  const name = pod.metadata.name
  const owner = useAppStore((s) => s.view?.snapshot.deployments.find((d) =>
    d.metadata.namespace === namespace && selectedByDeployment(d, pod.metadata.labels)))
  const state = podState(pod)
  const grace = pod.spec.terminationGracePeriodSeconds ?? DEFAULT_GRACE_SECONDS
  const ready = state === 'Running'
  return (
    <>
      <Section title="Facts">
        <Facts rows={[
          ['Status', state],
          ['Ready', podReadyCount(pod)],
          ['IP', <Mono>{pod.status.podIP ?? '<none>'}</Mono>],
          ['Node', pod.spec.nodeName ? <button type="button" className="text-k8s hover:underline" onClick={() => select({ kind: 'Node', name: pod.spec.nodeName! })}>{pod.spec.nodeName}</button> : '<none>'],
          ['Host IP', <Mono>{pod.status.hostIP ?? '<none>'}</Mono>],
          ['Controlled by', owner
            ? <button type="button" className="text-k8s hover:underline" onClick={() => select({ kind: 'Deployment', namespace, name: owner.metadata.name })}>deployment/{owner.metadata.name}</button>
            : '<none>'],
          ['Containers', <Mono>{pod.spec.containers.map((c) => `${c.name} (${c.image}) ${(c.ports ?? []).map((p) => `${p.name ? `${p.name}:` : ''}${p.containerPort}/${p.protocol ?? 'TCP'}`).join(' ')}`).join('; ')}</Mono>],
          ['Labels', <Mono>{labelsText(pod.metadata.labels)}</Mono>],
        ]} />
      </Section>
      <Section title="Actions">
        {state === 'Terminating' ? (
          <div className="space-y-2">
            <p className="text-sm text-slate-600">
              Terminating: it stays an endpoint marked <Mono>terminating</Mono> until its grace period ({grace}s) ends.
            </p>
            <Button variant="primary" disabled={busy} onClick={() => void advanceClock(grace)}>Finish termination</Button>
          </div>
        ) : (
          <div className="flex flex-wrap gap-2">
            <Button variant="danger" disabled={busy} onClick={() => void deletePod(namespace, name)}
              title={`kubectl delete pod ${name}${owner ? ': its Deployment replaces it' : ''}`}>
              Delete pod
            </Button>
            {state !== 'Pending' && (
              <Button disabled={busy} onClick={() => void setPodReady(namespace, name, !ready)}
                title="Simulate the readiness probe failing or passing again">
                {ready ? 'Mark not ready' : 'Mark ready'}
              </Button>
            )}
          </div>
        )}
      </Section>
    </>
  )
}
