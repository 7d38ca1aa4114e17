/**
 * `npm run build:cli` (run by prepack): the CLI and everything it imports (the engine, yaml, ipaddr.js, ...)
 * bundled into one ES module, dist-cli/kpv.mjs, which bin/kpv.js runs where there are no TypeScript
 * sources (a packed or installed package). esbuild is what tsx and Vite already build with.
 */
import { build } from 'esbuild'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))

/** Writes the bundle to `outfile` (absolute, or relative to the repository). */
export async function bundleCli(outfile = 'dist-cli/kpv.mjs'): Promise<void> {
  await build({
    absWorkingDir: root,
    entryPoints: ['cli/main.ts'],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // CommonJS dependencies bundled into an ES module may still call require() for Node's own modules.
    banner: { js: "import { createRequire as __kpvCreateRequire } from 'node:module'; const require = __kpvCreateRequire(import.meta.url);" },
    legalComments: 'linked',
    logLevel: 'warning',
  })
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) await bundleCli(process.argv[2])
