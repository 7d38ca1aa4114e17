import { useEffect } from 'react'
import { measureChart } from '../../state/compare-actions.ts'
import { PROXY_MODES } from '../../engine/kube-proxy/proxy-modes.ts'
import { CHART_SERVICE_COUNTS, pendingPoints, seriesOf, useCompareStore, type ChartPoint } from '../../state/compare.ts'
import { MODE_COLOURS } from '../modes/mode-labels.ts'
import { countLabel, decades, logScale, spreadLabels } from './chart-scale.ts'

const W = 660
const H = 330
const M = { left: 64, right: 132, top: 16, bottom: 46 }

/** Another series has a point at the same count within a label's height of this one. */
function crowded(points: readonly ChartPoint[], p: ChartPoint, y: (v: number) => number): boolean {
  return points.some((o) => o.mode !== p.mode && o.services === p.services && Math.abs(y(o.rules) - y(p.rules)) < 16)
}

function pointTitle(p: ChartPoint): string {
  const parts = p.parts ? ` (${p.parts.iptables} iptables rules, ${p.parts.nftables} nftables rules, ${p.parts.ipvs} IPVS lookups)` : ''
  return `${p.mode}, ${countLabel(p.services)} Services: ${countLabel(p.rules)} rules evaluated${parts}`
}

/**
 * Rules evaluated by one packet against the number of Services, per mode, both axes log scale. Measured in
 * the worker when the chart is first shown (and kept): the points appear as they are measured.
 */
export function RulesChart() {
  const points = useCompareStore((s) => s.points)
  const computing = useCompareStore((s) => s.computing)
  const error = useCompareStore((s) => s.chartError)
  useEffect(() => {
    void measureChart()
  }, [])
  const total = CHART_SERVICE_COUNTS.length * PROXY_MODES.length
  const done = total - pendingPoints(points).length
  const maxRules = Math.max(10000, ...points.map((p) => p.rules))
  const yTicks = decades(1, maxRules)
  const x = logScale(CHART_SERVICE_COUNTS[0], CHART_SERVICE_COUNTS[CHART_SERVICE_COUNTS.length - 1], M.left, W - M.right)
  const y = logScale(yTicks[0], yTicks[yTicks.length - 1], H - M.bottom, M.top)
  const lasts = PROXY_MODES.flatMap((mode) => {
    const series = seriesOf(points, mode)
    return series.length > 0 ? [{ mode, point: series[series.length - 1] }] : []
  })
  const spread = spreadLabels(lasts.map((l) => y(l.point.rules)), 14)
  const ends = lasts.map((l, i) => ({ ...l, y: spread[i] }))
  return (
    <figure aria-labelledby="rules-chart-title" className="flex flex-col gap-2" data-testid="rules-chart">
      <div className="flex flex-wrap items-center gap-3">
        <h3 id="rules-chart-title" className="text-sm font-semibold text-slate-900">Rules evaluated per packet, by number of Services</h3>
        {computing ? (
          <span className="flex items-center gap-2 text-xs text-slate-600" aria-live="polite">
            <progress className="h-1.5 w-32 accent-k8s" max={total} value={done} aria-label="Chart measurements done" />
            Measuring {computing.mode} with {countLabel(computing.services)} Services… ({done} of {total})
          </span>
        ) : (
          <span className="text-xs text-slate-500" aria-live="polite">{done === total ? `${total} measurements` : ''}</span>
        )}
        {error && (
          <span role="alert" className="text-xs text-red-700">
            {error} <button type="button" className="underline" onClick={() => void measureChart()}>Try again</button>
          </span>
        )}
      </div>
      <svg viewBox={`0 0 ${W} ${H}`} className="w-full max-w-[720px] font-sans" role="img"
        aria-label={`Line chart: rules evaluated per packet against the number of Services for ${PROXY_MODES.join(', ')}`}>
        {yTicks.map((t) => (
          <g key={`y${t}`}>
            <line x1={M.left} x2={W - M.right} y1={y(t)} y2={y(t)} stroke="#e2e8f0" />
            <text x={M.left - 8} y={y(t)} dy="0.32em" textAnchor="end" fontSize="11" fill="#475569">{countLabel(t)}</text>
          </g>
        ))}
        {CHART_SERVICE_COUNTS.map((n) => (
          <g key={`x${n}`}>
            <line x1={x(n)} x2={x(n)} y1={M.top} y2={H - M.bottom} stroke="#e2e8f0" />
            <text x={x(n)} y={H - M.bottom + 16} textAnchor="middle" fontSize="11" fill="#475569">{countLabel(n)}</text>
          </g>
        ))}
        <line x1={M.left} x2={M.left} y1={M.top} y2={H - M.bottom} stroke="#94a3b8" />
        <line x1={M.left} x2={W - M.right} y1={H - M.bottom} y2={H - M.bottom} stroke="#94a3b8" />
        <text x={(M.left + W - M.right) / 2} y={H - 8} textAnchor="middle" fontSize="12" fill="#334155">Services (log scale)</text>
        <text transform={`translate(16 ${(M.top + H - M.bottom) / 2}) rotate(-90)`} textAnchor="middle" fontSize="12" fill="#334155">rules per packet (log scale)</text>
        {PROXY_MODES.map((mode) => {
          const series = seriesOf(points, mode)
          if (series.length === 0) return null
          const path = series.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.services).toFixed(1)},${y(p.rules).toFixed(1)}`).join(' ')
          return (
            <g key={mode} data-testid="chart-series" data-mode={mode} aria-label={`${mode}: ${series.map((p) => `${countLabel(p.rules)} at ${countLabel(p.services)}`).join(', ')}`}>
              <path d={path} fill="none" stroke={MODE_COLOURS[mode]} strokeWidth="2.5" strokeLinejoin="round" />
              {series.map((p) => (
                <g key={p.services}>
                  <circle cx={x(p.services)} cy={y(p.rules)} r="4" fill="#fff" stroke={MODE_COLOURS[mode]} strokeWidth="2">
                    <title>{pointTitle(p)}</title>
                  </circle>
                  {/* Values beside points only where no other series' point is close; the table below has them all. */}
                  {!crowded(points, p, y) && (
                    <text x={x(p.services) - 7} y={y(p.rules) - 8} textAnchor="end" fontSize="10.5" fill={MODE_COLOURS[mode]} fontWeight="600">{countLabel(p.rules)}</text>
                  )}
                </g>
              ))}
            </g>
          )
        })}
        {ends.map((e) => (
          <text key={e.mode} x={x(e.point.services) + 10} y={e.y} dy="0.32em" fontSize="12" fontWeight="700" fill={MODE_COLOURS[e.mode]}>
            {e.mode} <tspan fontWeight="400">{countLabel(e.point.rules)}</tspan>
          </text>
        ))}
      </svg>
      <table className="w-full max-w-[720px] border-collapse text-xs" aria-label="Rules evaluated per packet by mode and number of Services">
        <thead>
          <tr className="border-b border-slate-300 text-slate-600">
            <th scope="col" className="py-1 pr-3 text-left font-medium">mode</th>
            {CHART_SERVICE_COUNTS.map((n) => <th key={n} scope="col" className="px-2 py-1 text-right font-medium">{countLabel(n)} Services</th>)}
          </tr>
        </thead>
        <tbody>
          {PROXY_MODES.map((mode) => (
            <tr key={mode} className="border-b border-slate-200">
              <th scope="row" className="py-1 pr-3 text-left font-mono font-semibold" style={{ color: MODE_COLOURS[mode] }}>{mode}</th>
              {CHART_SERVICE_COUNTS.map((n) => {
                const p = points.find((q) => q.mode === mode && q.services === n)
                return <td key={n} className="px-2 py-1 text-right tabular-nums text-slate-800" title={p ? pointTitle(p) : undefined}>{p ? countLabel(p.rules) : '…'}</td>
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <figcaption className="max-w-[720px] text-xs leading-relaxed text-slate-600">
        One SYN from a Pod to one Service (the middle one) on a Node with N ClusterIP Services, each with one endpoint. In{' '}
        <b className="text-slate-800">iptables</b> mode the packet walks <code className="font-mono">KUBE-SERVICES</code>, one rule per
        Service port checked in order until its own matches, so the count grows linearly with the number of Services. In{' '}
        <b className="text-slate-800">nftables</b> mode one rule looks the destination up in the <code className="font-mono">service-ips</code>{' '}
        verdict map, and in <b className="text-slate-800">IPVS</b> mode the <code className="font-mono">KUBE-CLUSTER-IP</code> ipset match and
        the virtual-service table are hash lookups: a lookup costs the same with 10 Services as with 10,000, so both lines stay flat.
        Counted: every iptables or nftables rule the packet was checked against (matched or not) and every IPVS lookup.
      </figcaption>
    </figure>
  )
}
