/** A Deployment manifest (apps/v1) → Deployment with defaults (replicas 1), validated as ValidateDeployment does. */
import type { Deployment, LabelSelector } from '../types.ts'
import type { Raw } from './common.ts'
import { Reader, dns1123Subdomain, isRaw, validateLabels } from './common.ts'
import { invalid, notSupported, required } from './field-error.ts'
import { readMeta } from './meta.ts'
import { readPodSpec } from './pod-spec.ts'
import { selectorMatches } from '../labels.ts'

export function readDeployment(raw: Raw, r: Reader): Deployment {
  const metadata = readMeta(raw, r, { namespaced: true, nameCheck: dns1123Subdomain })
  const spec = r.map(raw, 'spec', []) ?? {}
  const replicas = r.int32(spec, 'replicas', ['spec'], { kind: 'Deployment', version: 'v1', goStruct: 'DeploymentSpec' }) ?? 1
  if (replicas < 0) r.add(invalid(['spec', 'replicas'], replicas, 'must be greater than or equal to 0'))
  const selector = readSelector(spec, r)
  const template = r.map(spec, 'template', ['spec'])
  if (!template) r.add(required(['spec', 'template']))
  const tmeta = r.map(template, 'metadata', ['spec', 'template'])
  const labels = r.stringMap(tmeta, 'labels', ['spec', 'template', 'metadata'])
  if (labels) validateLabels(labels, ['spec', 'template', 'metadata', 'labels'], r)
  const annotations = r.stringMap(tmeta, 'annotations', ['spec', 'template', 'metadata'])
  const podSpec = readPodSpec(r.map(template, 'spec', ['spec', 'template']), ['spec', 'template', 'spec'], r)
  if (template && selector && !selectorMatches(selector, labels ?? {})) {
    r.add(invalid(['spec', 'template', 'metadata', 'labels'], labels ?? {}, '`selector` does not match template `labels`'))
  }
  const tm: Deployment['spec']['template']['metadata'] = {}
  if (labels) tm.labels = labels
  if (annotations && Object.keys(annotations).length > 0) tm.annotations = annotations
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata,
    spec: { replicas, selector: selector ?? {}, template: { metadata: tm, spec: podSpec } },
    status: { replicas: 0, readyReplicas: 0, availableReplicas: 0 },
  }
}

const OPERATORS = ['DoesNotExist', 'Exists', 'In', 'NotIn'] as const

function readSelector(spec: Raw, r: Reader): LabelSelector | undefined {
  const sel = r.map(spec, 'selector', ['spec'])
  if (!sel) { r.add(required(['spec', 'selector'])); return undefined }
  const out: LabelSelector = {}
  const matchLabels = r.stringMap(sel, 'matchLabels', ['spec', 'selector'])
  if (matchLabels && Object.keys(matchLabels).length > 0) {
    validateLabels(matchLabels, ['spec', 'selector', 'matchLabels'], r)
    out.matchLabels = matchLabels
  }
  const exprs = r.list(sel, 'matchExpressions', ['spec', 'selector'])
  exprs?.forEach((e, i) => {
    const p = ['spec', 'selector', 'matchExpressions', i]
    if (!isRaw(e)) { r.add(invalid(p, e, 'must be an object')); return }
    const key = r.requiredString(e, 'key', p) ?? ''
    const op = r.string(e, 'operator', p) ?? ''
    if (!(OPERATORS as readonly string[]).includes(op)) { r.add(notSupported([...p, 'operator'], op, OPERATORS)); return }
    const values = r.stringList(e, 'values', p) ?? []
    if ((op === 'In' || op === 'NotIn') && values.length === 0) r.add(required([...p, 'values'], 'must be specified when `operator` is \'In\' or \'NotIn\''))
    if ((op === 'Exists' || op === 'DoesNotExist') && values.length > 0) r.add(invalid([...p, 'values'], values, 'may not be specified when `operator` is \'Exists\' or \'DoesNotExist\''))
    ;(out.matchExpressions ??= []).push({ key, operator: op as 'In', ...(values.length > 0 ? { values } : {}) })
  })
  if (!out.matchLabels && !out.matchExpressions) {
    r.add(invalid(['spec', 'selector'], sel, 'empty selector is invalid for deployment'))
    return undefined
  }
  return out
}
