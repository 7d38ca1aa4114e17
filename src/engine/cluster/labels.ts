/** Label selectors as k8s.io/apimachinery/pkg/labels evaluates them. */
import type { LabelSelector } from './types.ts'

export function selectorMatches(selector: LabelSelector, labels: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key)
    const values = e.values ?? []
    switch (e.operator) {
      case 'In': if (!has || !values.includes(labels[e.key])) return false; break
      case 'NotIn': if (has && values.includes(labels[e.key])) return false; break
      case 'Exists': if (!has) return false; break
      case 'DoesNotExist': if (has) return false; break
    }
  }
  return true
}

/** A Service's plain map selector: every key must match; an empty selector selects nothing (as Services do). */
export function mapSelectorMatches(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector || Object.keys(selector).length === 0) return false
  for (const [k, v] of Object.entries(selector)) if (labels?.[k] !== v) return false
  return true
}

/** `app=nginx,tier=web` (keys sorted), as kubectl prints selectors. */
export function formatSelector(selector: Record<string, string> | undefined): string {
  const entries = Object.entries(selector ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))
  return entries.map(([k, v]) => `${k}=${v}`).join(',')
}
