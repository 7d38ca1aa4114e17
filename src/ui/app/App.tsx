export function App() {
  return <main className="p-4">kube-proxy visualizer</main>
}
