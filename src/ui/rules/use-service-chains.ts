import { useAppStore } from '../../state/store.ts'
import { useEngineAnswer } from './use-engine-answer.ts'

export interface ServiceHighlight {
  /** `namespace/name` of the selected Service, or null when no Service is selected. */
  service: string | null
  /** The chains kube-proxy names after it (computed by the engine's own naming). */
  chains: ReadonlySet<string>
}

const NONE: ReadonlySet<string> = new Set()

/** The selected Service's chains (KUBE-SVC-/SVL-/EXT-/FW- and its KUBE-SEP-), for highlighting. */
export function useServiceChains(): ServiceHighlight {
  const selection = useAppStore((s) => (s.selection?.kind === 'Service' ? s.selection : null))
  const namespace = selection?.namespace ?? 'default'
  const name = selection?.name ?? null
  const key = name === null ? null : `${namespace}/${name}`
  const answer = useEngineAnswer(key, (client, scenario) =>
    client.node({ type: 'serviceChains', scenario, namespace, name: name ?? '' }).then((r) => new Set(r.chains)))
  if (key === null) return { service: null, chains: NONE }
  return { service: key, chains: answer.data ?? NONE }
}
