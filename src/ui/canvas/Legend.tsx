/** What the edge styles mean, in the corner of the canvas. */
export function Legend() {
  const item = (label: string, stroke: string, dashed: boolean) => (
    <li className="flex items-center gap-2">
      <svg aria-hidden width="28" height="8"><line x1="0" y1="4" x2="28" y2="4" stroke={stroke} strokeWidth="2" strokeDasharray={dashed ? '6 4' : undefined} /></svg>
      {label}
    </li>
  )
  return (
    <div className="pointer-events-none absolute right-3 bottom-3 z-10 rounded-lg border border-slate-200 bg-white/90 px-3 py-2 text-xs text-slate-600 shadow-sm">
      <div className="mb-1 font-semibold text-slate-700">Service → endpoint</div>
      <ul className="space-y-0.5">
        {item('ready', '#326ce5', false)}
        {item('not ready', '#d97706', true)}
        {item('terminating', '#dc2626', true)}
      </ul>
    </div>
  )
}
