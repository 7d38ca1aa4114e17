#!/usr/bin/env node
// The `kpv` (and `kube-proxy-visualizer`) command.
//
// In a checkout the TypeScript sources are here and tsx (a devDependency) runs them, so a change is live
// without a build. A packed or installed package has no sources and no tsx: it runs dist-cli/kpv.mjs, the
// CLI bundled into one ES module by `npm run build:cli` (run by prepack). Both export runCli.
import { existsSync } from 'node:fs'

const sources = new URL('../cli/main.ts', import.meta.url)
const bundle = new URL('../dist-cli/kpv.mjs', import.meta.url)

async function load() {
  if (existsSync(sources)) {
    try {
      const { register } = await import('tsx/esm/api')
      register()
      return await import(sources.href)
    } catch (e) {
      if (e?.code !== 'ERR_MODULE_NOT_FOUND' || !existsSync(bundle)) {
        process.stderr.write(`kpv: cannot run the sources without tsx (${e?.message ?? e}); run npm install first\n`)
        process.exit(1)
      }
    }
  }
  return import(bundle.href)
}

const cli = await load()
await cli.runCli(process.argv.slice(2))
