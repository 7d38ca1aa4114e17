import type { Node } from '../../engine/cluster/types.ts'
import { setCordoned, setNodeReady } from '../../state/actions.ts'
import { useAppStore } from '../../state/store.ts'
import { Button } from '../app/Button.tsx'
import { nodeInternalIP, nodeIsReady, nodeRoles, nodeStatusText } from '../model/k8s-status.ts'
import { Facts, Mono, Section, labelsText } from './Facts.tsx'

export function NodeDetails({ node }: { node: Node }) {
  const busy = useAppStore((s) => s.busy)
  const name = node.metadata.name
  const cordoned = node.spec.unschedulable === true
  const ready = nodeIsReady(node)
  const podCount = useAppStore((s) => s.view?.snapshot.pods.filter((p) => p.spec.nodeName === name).length ?? 0)
  return (
    <>
      <Section title="Facts">
        <Facts rows={[
          ['Status', nodeStatusText(node)],
          ['Roles', nodeRoles(node)],
          ['InternalIP', <Mono>{nodeInternalIP(node) ?? '<none>'}</Mono>],
          ['PodCIDR', <Mono>{node.spec.podCIDR ?? '<none>'}</Mono>],
          ['Taints', <Mono>{(node.spec.taints ?? []).map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`).join(', ') || '<none>'}</Mono>],
          ['Pods', String(podCount)],
          ['Labels', <Mono>{labelsText(node.metadata.labels)}</Mono>],
        ]} />
      </Section>
      <Section title="Actions">
        <div className="flex flex-wrap gap-2">
          <Button disabled={busy} onClick={() => void setCordoned(name, !cordoned)}
            title={cordoned ? `kubectl uncordon ${name}` : `kubectl cordon ${name}: no new Pods are scheduled here`}>
            {cordoned ? 'Uncordon' : 'Cordon'}
          </Button>
          <Button variant={ready ? 'danger' : 'secondary'} disabled={busy} onClick={() => void setNodeReady(name, !ready)}
            title={ready ? 'The kubelet stops reporting: the Node turns NotReady and its Pods stop being ready endpoints' : 'The kubelet reports again'}>
            {ready ? 'Stop node' : 'Start node'}
          </Button>
        </div>
      </Section>
    </>
  )
}
