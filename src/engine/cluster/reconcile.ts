/**
 * Runs the controllers until the cluster settles. In Kubernetes they run concurrently and react to watch
 * events; here they run in a fixed order, repeatedly, which gives the same end state deterministically.
 */
import type { ObjectStore } from './store.ts'
import { runDeploymentController } from './deployment-controller.ts'
import { runEndpointSliceController } from './endpointslice-controller.ts'
import { runLoadBalancerController } from './load-balancer-controller.ts'
import { finishTerminations, runKubelets, runScheduler, runTaintEviction } from './pod-lifecycle.ts'

/** Enough for a rollout of hundreds of replicas in 25% steps; a stalled rollout simply stops changing. */
const MAX_ROUNDS = 200

export function reconcile(store: ObjectStore): void {
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const before = store.resourceVersion
    finishTerminations(store)
    runTaintEviction(store)
    runDeploymentController(store)
    runScheduler(store)
    runKubelets(store)
    runDeploymentController(store)
    runLoadBalancerController(store)
    runEndpointSliceController(store)
    if (store.resourceVersion === before) return
  }
}
