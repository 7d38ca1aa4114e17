import { DEFAULT_MANIFEST } from '../../state/default-scenario.ts'

/** Manifests a person can load into the editor to try the Service types. */
export const EXAMPLES: { title: string; yaml: string }[] = [
  { title: 'nginx ClusterIP (default scenario)', yaml: DEFAULT_MANIFEST },
  {
    title: 'NodePort Service',
    yaml: `apiVersion: v1
kind: Service
metadata:
  name: nginx-nodeport
spec:
  type: NodePort
  selector:
    app: nginx
  ports:
  - protocol: TCP
    port: 80
    targetPort: 80
    nodePort: 30080
`,
  },
  {
    title: 'LoadBalancer Service',
    yaml: `apiVersion: v1
kind: Service
metadata:
  name: nginx-lb
spec:
  type: LoadBalancer
  selector:
    app: nginx
  ports:
  - protocol: TCP
    port: 80
    targetPort: 80
`,
  },
  {
    title: 'Headless Service',
    yaml: `apiVersion: v1
kind: Service
metadata:
  name: nginx-headless
spec:
  clusterIP: None
  selector:
    app: nginx
  ports:
  - port: 80
`,
  },
]
