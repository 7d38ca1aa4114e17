import type { Deployment } from '../../engine/cluster/types.ts'
import { deleteObject } from '../../state/actions.ts'
import { useAppStore } from '../../state/store.ts'
import { Button } from '../app/Button.tsx'
import { labelsText } from './Facts.tsx'
import { Facts, Mono, Section } from './Facts.tsx'
import { ScaleControl } from './ScaleControl.tsx'

export function DeploymentDetails({ deployment }: { deployment: Deployment }) {
  const busy = useAppStore((s) => s.busy)
  const { spec, status } = deployment
  return (
    <>
      <Section title="Facts">
        <Facts rows={[
          ['Replicas', `${spec.replicas} desired · ${status.replicas} current · ${status.readyReplicas} ready · ${status.availableReplicas} available`],
          ['Selector', <Mono>{labelsText(spec.selector.matchLabels)}</Mono>],
          ['Images', <Mono>{spec.template.spec.containers.map((c) => c.image).join(', ')}</Mono>],
        ]} />
      </Section>
      <Section title="Actions">
        <div className="space-y-3">
          <ScaleControl deployment={deployment} />
          <Button variant="danger" disabled={busy}
            onClick={() => void deleteObject({ kind: 'Deployment', namespace: deployment.metadata.namespace, name: deployment.metadata.name })}>
            Delete deployment
          </Button>
        </div>
      </Section>
    </>
  )
}
