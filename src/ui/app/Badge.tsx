import type { ReactNode } from 'react'

const tones = {
  green: 'bg-emerald-100 text-emerald-800 ring-emerald-200',
  red: 'bg-red-100 text-red-800 ring-red-200',
  amber: 'bg-amber-100 text-amber-900 ring-amber-200',
  blue: 'bg-k8s/10 text-k8s ring-k8s/20',
  slate: 'bg-slate-100 text-slate-700 ring-slate-200',
  violet: 'bg-violet-100 text-violet-800 ring-violet-200',
} as const

export type BadgeTone = keyof typeof tones

export function Badge({ tone, children, title }: { tone: BadgeTone; children: ReactNode; title?: string }) {
  return (
    <span title={title} className={`inline-flex items-center rounded-md px-1.5 py-0.5 text-[11px] font-medium ring-1 ring-inset ${tones[tone]}`}>
      {children}
    </span>
  )
}
