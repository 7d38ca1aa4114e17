/** `metadata` of a manifest: name, namespace, labels, annotations (uid, resourceVersion... are the cluster's). */
import type { ObjectMeta } from '../types.ts'
import type { NameCheck, Raw } from './common.ts'
import { Reader, validateLabels } from './common.ts'
import { invalid, required } from './field-error.ts'

export interface MetaOptions {
  namespaced: boolean
  nameCheck: NameCheck
}

export function readMeta(raw: Raw, r: Reader, options: MetaOptions): ObjectMeta {
  const m = r.map(raw, 'metadata', [])
  const name = r.string(m, 'name', ['metadata']) ?? ''
  if (name === '') r.add(required(['metadata', 'name'], 'name or generateName is required'))
  else for (const msg of options.nameCheck(name)) r.add(invalid(['metadata', 'name'], name, msg))
  const meta: ObjectMeta = { name, uid: '', resourceVersion: '', creationTimestamp: '' }
  if (options.namespaced) meta.namespace = r.string(m, 'namespace', ['metadata']) || 'default'
  const labels = r.stringMap(m, 'labels', ['metadata'])
  if (labels) {
    validateLabels(labels, ['metadata', 'labels'], r)
    meta.labels = labels
  }
  const annotations = r.stringMap(m, 'annotations', ['metadata'])
  if (annotations) {
    // kubectl apply's bookkeeping annotation is noise here.
    delete annotations['kubectl.kubernetes.io/last-applied-configuration']
    if (Object.keys(annotations).length > 0) meta.annotations = annotations
  }
  return meta
}
