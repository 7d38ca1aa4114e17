import type { ObjectRef } from '../../state/store.ts'

const selectableKinds: Record<string, ObjectRef['kind']> = { pod: 'Pod', node: 'Node', service: 'Service', deployment: 'Deployment' }

/** `pod/web-1` in namespace `default` → the Pod, when it is a kind the details panel shows. */
export function eventObjectRef(object: string, namespace: string | undefined): ObjectRef | null {
  const slash = object.indexOf('/')
  const kind = selectableKinds[object.slice(0, slash)]
  if (slash < 0 || !kind) return null
  return kind === 'Node' ? { kind, name: object.slice(slash + 1) } : { kind, namespace: namespace ?? 'default', name: object.slice(slash + 1) }
}
