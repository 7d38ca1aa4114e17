import { describe, expect, it } from 'vitest'
import { Cluster } from './cluster.ts'
import { formatGetWide, humanDuration, tabulate } from './kubectl-get.ts'
import { expectApplied, nginxCluster, podsOf, serviceOf } from './test-support/fixtures.ts'

describe('humanDuration (apimachinery duration.HumanDuration)', () => {
  it.each([
    [0, '0s'], [119, '119s'], [120, '2m'], [150, '2m30s'], [600, '10m'], [179 * 60, '179m'], [3 * 3600, '3h'],
    [3 * 3600 + 60, '3h1m'], [8 * 3600, '8h'], [47 * 3600, '47h'], [48 * 3600, '2d'], [50 * 3600, '2d2h'],
    [8 * 86400, '8d'], [800 * 86400, '2y70d'],
  ])('%i s -> %s', (seconds, text) => {
    expect(humanDuration(seconds * 1000)).toBe(text)
  })
})

describe('tabulate (kubectl tabwriter: padding 3, min width 6, last column unpadded)', () => {
  it('aligns columns', () => {
    expect(tabulate([['NAME', 'AGE', 'X'], ['a', '10s', 'long value']])).toBe('NAME   AGE   X\na      10s   long value\n')
  })
})

describe('formatGetWide', () => {
  it('prints nodes, pods, services and endpointslices as kubectl get -A -o wide does', () => {
    const cluster = nginxCluster()
    cluster.advanceTime(95)
    const snap = cluster.snapshot()
    const out = formatGetWide(snap)
    const tables = out.split('\n\n')
    expect(tables).toHaveLength(4)
    expect(tables[0].split('\n')[0]).toBe('NAME                      STATUS   ROLES           AGE   VERSION   INTERNAL-IP   EXTERNAL-IP   OS-IMAGE                         KERNEL-VERSION   CONTAINER-RUNTIME')
    expect(tables[0]).toContain('node/kind-control-plane   Ready    control-plane   95s   v1.33.1   172.18.0.2    <none>')
    expect(tables[1].split('\n')[0]).toMatch(/^NAMESPACE +NAME +READY +STATUS +RESTARTS +AGE +IP +NODE +NOMINATED NODE +READINESS GATES$/)
    const [pod] = podsOf(snap, 'nginx-deployment')
    expect(tables[1]).toMatch(new RegExp(`default +pod/${pod.metadata.name} +1/1 +Running +0 +95s +${pod.status.podIP?.replaceAll('.', '\\.')} +${pod.spec.nodeName} +<none> +<none>`))
    const ip = serviceOf(snap, 'nginx-service').spec.clusterIP
    expect(tables[2]).toMatch(new RegExp(`default +service/nginx-service +ClusterIP +${ip?.replaceAll('.', '\\.')} +<none> +80/TCP +95s +app=nginx`))
    expect(tables[2]).toMatch(/kube-system +service\/kube-dns +ClusterIP +10\.96\.0\.10 +<none> +53\/UDP,53\/TCP,9153\/TCP +95s +k8s-app=kube-dns/)
    expect(tables[3].split('\n')[0]).toMatch(/^NAMESPACE +NAME +ADDRESSTYPE +PORTS +ENDPOINTS +AGE$/)
    expect(tables[3]).toMatch(/kube-system +endpointslice\.discovery\.k8s\.io\/kube-dns-[a-z0-9]{5} +IPv4 +53,53,9153 +10\.244\.0\.2,10\.244\.0\.3 +95s/)
  })

  it('shows cordoned and stopped Nodes, Terminating Pods, node ports, LoadBalancer IPs and long endpoint lists as kubectl does', () => {
    const cluster = nginxCluster()
    cluster.setNodeSchedulable('kind-worker', false)
    cluster.setNodeReady('kind-worker2', false)
    cluster.scaleDeployment('default', 'nginx-deployment', 5)
    const pod = podsOf(cluster.snapshot(), 'nginx-deployment').find((p) => p.status.phase === 'Running' && p.spec.nodeName === 'kind-worker')
    if (!pod) throw new Error('a running nginx Pod on kind-worker')
    cluster.deletePod('default', pod.metadata.name)
    expect(podsOf(cluster.snapshot(), 'nginx-deployment').filter((p) => p.status.phase === 'Pending').map((p) => p.spec.nodeName)).toEqual([undefined, undefined, undefined, undefined])
    expectApplied(cluster.apply('apiVersion: v1\nkind: Service\nmetadata: {name: lb}\nspec:\n  type: LoadBalancer\n  selector: {app: nginx}\n  ports: [{port: 80, nodePort: 30080}]\n'))
    const out = formatGetWide(cluster.snapshot())
    expect(out).toMatch(/node\/kind-worker +Ready,SchedulingDisabled /)
    expect(out).toMatch(/node\/kind-worker2 +NotReady /)
    expect(out).toMatch(new RegExp(`pod/${pod.metadata.name} +1/1 +Terminating `))
    expect(out).toMatch(/pod\/nginx-deployment-\w+-\w{5} +0\/1 +Pending +0 +0s +<none> +<none> /)
    expect(out).toMatch(/service\/lb +LoadBalancer +10\.96\.\d+\.\d+ +172\.18\.255\.200 +80:30080\/TCP /)
  })

  it('lists three endpoint addresses, then "+ N more..."', () => {
    const cluster = nginxCluster()
    cluster.scaleDeployment('default', 'nginx-deployment', 5)
    expect(formatGetWide(cluster.snapshot())).toMatch(/endpointslice\.discovery\.k8s\.io\/nginx-service-\w{5} +IPv4 +80 +10\.244\.\d\.\d,10\.244\.\d\.\d,10\.244\.\d\.\d \+ 2 more\.\.\. +0s\n/)
  })

  it('says so when there is nothing to show', () => {
    expect(formatGetWide(Cluster.createEmpty().snapshot())).toBe('No resources found\n')
  })
})
