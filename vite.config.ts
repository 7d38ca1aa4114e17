/// <reference types="vitest/config" />
import { readFileSync } from 'node:fs'
import { defineConfig, type Plugin } from 'vite'
import react from '@vitejs/plugin-react'
import tailwindcss from '@tailwindcss/vite'

// base './' lets the production build be served from any sub-path.
// `vite build --mode single` (npm run build:single) makes one self-contained HTML file in dist-single/.
export default defineConfig(({ mode }) => ({
  base: './',
  plugins: [react(), tailwindcss(), ...(mode === 'single' ? [singleFile()] : [])],
  worker: { format: 'es' },
  ...(mode === 'single'
    ? {
      build: {
        outDir: 'dist-single',
        copyPublicDir: false,
        modulePreload: false,
        // One chunk: the lazily loaded parts (editor, in-process engine) go into the page too.
        rolldownOptions: { output: { codeSplitting: false } },
        chunkSizeWarningLimit: 10_000,
        // The fonts (and any other asset) go into the page as data: URLs.
        assetsInlineLimit: () => true,
      },
    }
    : {}),
  test: {
    include: ['src/**/*.test.{ts,tsx}', 'cli/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
}))

/**
 * Inlines the build into index.html: the CSS as <style>, the page's script as an inline module, and the
 * engine worker as a blob: URL made from its code at startup (a file:// page may not load workers from
 * files). Fails the build when something it must inline cannot be found, rather than ship a broken file.
 */
function singleFile(): Plugin {
  const escapeScript = (code: string) => code.replace(/<\/script/gi, '<\\/script').replace(/<!--/g, '<\\!--')
  return {
    name: 'kpv-single-file',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, bundle) {
      const html = bundle['index.html']
      if (!html || html.type !== 'asset') throw new Error('single file: no index.html in the bundle')
      const files = Object.values(bundle)
      const worker = files.find((f) => /engine\.worker-[\w-]+\.js$/.test(f.fileName))
      const workerCode = worker ? (worker.type === 'chunk' ? worker.code : String(worker.source)) : null
      const chunks = files.filter((f) => f.type === 'chunk' && f.isEntry)
      if (chunks.length !== 1) throw new Error(`single file: expected one entry chunk, found ${chunks.length}`)
      const entry = chunks[0]
      if (entry.type !== 'chunk') throw new Error('single file: entry is not a chunk')
      // Dynamic imports folded into the one chunk keep Vite's preload call, whose dependency list is filled in
      // only for split chunks: with nothing to preload, the list is empty.
      let code = entry.code.replaceAll('__VITE_PRELOAD__', 'void 0')
      if (worker && workerCode !== null) {
        const name = worker.fileName.split('/').pop()!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
        const reference = new RegExp(`new URL\\(([\`"'])(?:\\./)?(?:assets/)?${name}\\1,\\s*import\\.meta\\.url\\)\\.href`)
        if (!reference.test(code)) throw new Error(`single file: the page does not reference ${worker.fileName} as expected`)
        const blob = `URL.createObjectURL(new Blob([${JSON.stringify(workerCode)}],{type:"text/javascript"}))`
        code = code.replace(reference, () => blob)
        // A page opened from file:// may start classic workers from blob: URLs but not module workers, and the
        // worker's bundle has no imports or exports: start it as a classic worker.
        if (/^\s*(import|export)\s|import\.meta/m.test(workerCode)) throw new Error('single file: the worker bundle is a module; it cannot run as a classic worker')
        const options = /\{type:([`"'])module\1,name:([`"'])engine\2\}/
        if (!options.test(code)) throw new Error('single file: the engine worker is not started as expected ({type:"module",name:"engine"})')
        code = code.replace(options, '{name:"engine"}')
        delete bundle[worker.fileName]
      }
      let page = String(html.source)
      const css = files.filter((f) => f.type === 'asset' && f.fileName.endsWith('.css'))
      for (const sheet of css) {
        const link = new RegExp(`<link rel="stylesheet"[^>]*href="\\./${sheet.fileName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"[^>]*>`)
        if (!link.test(page)) throw new Error(`single file: no <link> for ${sheet.fileName}`)
        page = page.replace(link, () => `<style>${String((sheet as { source: string | Uint8Array }).source).replace(/<\/style/gi, '<\\/style')}</style>`)
        delete bundle[sheet.fileName]
      }
      const script = new RegExp(`<script type="module" crossorigin src="\\./${entry.fileName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"></script>`)
      if (!script.test(page)) throw new Error(`single file: no <script> for ${entry.fileName}`)
      // The module script goes at the end of <body>: inline modules are deferred too, but keep the order obvious.
      page = page.replace(script, '').replace('</body>', () => `<script type="module">${escapeScript(code)}</script>\n</body>`)
      const icon = `data:image/svg+xml;base64,${readFileSync(new URL('./public/favicon.svg', import.meta.url)).toString('base64')}`
      page = page.replace('href="./favicon.svg"', `href="${icon}"`)
      delete bundle[entry.fileName]
      for (const f of Object.values(bundle)) {
        if (f.fileName !== 'index.html') throw new Error(`single file: ${f.fileName} would be left outside the page`)
      }
      html.source = page
    },
  }
}
