import nginxClusterIP from '../../scenarios/nginx-clusterip.yaml?raw'
import { DEFAULT_SEED, type Scenario } from '../worker/operations.ts'

/** The manifest the app opens with (and the editor's first draft). */
export const DEFAULT_MANIFEST: string = nginxClusterIP

/** A freshly created kind cluster with the nginx ClusterIP scenario applied. */
export function defaultScenario(): Scenario {
  return { seed: DEFAULT_SEED, operations: [{ type: 'apply', yaml: DEFAULT_MANIFEST }] }
}
