/**
 * kubectl's LAST SEEN column: a port of k8s.io/apimachinery/pkg/util/duration.HumanDuration, so ages read
 * exactly as `kubectl get events` prints them ("45s", "2m5s", "3h10m", "2d5h").
 */
export function humanDuration(seconds: number): string {
  const s = Math.floor(seconds)
  if (s < -1) return '<invalid>'
  if (s < 0) return '0s'
  if (s < 60 * 2) return `${s}s`
  const minutes = Math.floor(s / 60)
  if (minutes < 10) {
    const rest = s % 60
    return rest === 0 ? `${minutes}m` : `${minutes}m${rest}s`
  }
  if (minutes < 60 * 3) return `${minutes}m`
  const hours = Math.floor(s / 3600)
  if (hours < 8) {
    const rest = minutes % 60
    return rest === 0 ? `${hours}h` : `${hours}h${rest}m`
  }
  if (hours < 48) return `${hours}h`
  if (hours < 24 * 8) {
    const rest = hours % 24
    return rest === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${rest}h`
  }
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`
  if (hours < 24 * 365 * 8) {
    const days = Math.floor(hours / 24) % 365
    return days === 0 ? `${Math.floor(hours / 24 / 365)}y` : `${Math.floor(hours / 24 / 365)}y${days}d`
  }
  return `${Math.floor(hours / 24 / 365)}y`
}
