/**
 * The Chromium that the browser tests and the screenshot script drive, in this order:
 *
 * 1. `CHROMIUM_PATH`, when set;
 * 2. Debian's Chromium at /usr/bin/chromium, when it is there;
 * 3. the one `npm install` brought: @sparticuz/chromium, a headless shell shipped compressed inside the
 *    package. It is decompressed once into node_modules/.cache/ (atomically: a half-written copy is never
 *    used), with the NSS and expat libraries the package ships on its LD_LIBRARY_PATH and a fontconfig that
 *    sees only the package's fonts, so it needs nothing from the system.
 *
 * Every one runs with the flags this machine needs: no sandbox (root), no GPU, and no background
 * networking (the network is closed; Chromium's own connections would be refused at every start).
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { brotliDecompressSync } from 'node:zlib'

export const CHROMIUM_FLAGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
]

export interface ChromiumLaunch {
  /** Where it came from: the environment, the system, or npm. */
  source: 'CHROMIUM_PATH' | 'system' | 'npm'
  executablePath: string
  args: string[]
  /** The browser process's environment (the npm Chromium's libraries and fonts), when it needs one. */
  env?: Record<string, string>
}

const SYSTEM_CHROMIUM = '/usr/bin/chromium'
const root = join(import.meta.dirname, '..')

export async function chromiumLaunch(): Promise<ChromiumLaunch> {
  const fromEnv = process.env.CHROMIUM_PATH
  if (fromEnv) return { source: 'CHROMIUM_PATH', executablePath: fromEnv, args: CHROMIUM_FLAGS }
  if (existsSync(SYSTEM_CHROMIUM)) return { source: 'system', executablePath: SYSTEM_CHROMIUM, args: CHROMIUM_FLAGS }
  return npmChromium()
}

/** @sparticuz/chromium, decompressed into node_modules/.cache/kpv-chromium-VERSION/ on first use. */
async function npmChromium(): Promise<ChromiumLaunch> {
  const entry = createRequire(import.meta.url).resolve('@sparticuz/chromium')
  const pkg = join(dirname(entry), '..', '..')
  const { version } = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as { version: string }
  const dir = join(root, 'node_modules', '.cache', `kpv-chromium-${version}`)
  if (!existsSync(join(dir, 'chromium'))) await unpack(join(pkg, 'bin'), dir)
  return {
    source: 'npm',
    executablePath: join(dir, 'chromium'),
    // The package's own flags for a headless shell without a zygote; not its insecure ones (web security off).
    args: [...CHROMIUM_FLAGS, '--no-zygote', '--disable-dev-shm-usage', '--font-render-hinting=none'],
    env: { ...stringEnv(), LD_LIBRARY_PATH: join(dir, 'al2023', 'lib'), FONTCONFIG_FILE: join(dir, 'fonts.conf') },
  }
}

async function unpack(bin: string, dir: string): Promise<void> {
  const partial = `${dir}.partial-${process.pid}`
  rmSync(partial, { recursive: true, force: true })
  mkdirSync(partial, { recursive: true })
  // The package decompresses into os.tmpdir(): point that at the partial folder while it works.
  const tmpdir = process.env.TMPDIR
  process.env.TMPDIR = partial
  try {
    const { default: chromium } = await import('@sparticuz/chromium')
    await chromium.executablePath(bin)
  } finally {
    if (tmpdir === undefined) delete process.env.TMPDIR
    else process.env.TMPDIR = tmpdir
  }
  // The libraries the binary links (libnss3, libnspr4, libexpat...), which the package unpacks only on
  // Amazon Linux; they work on any glibc system.
  mkdirSync(join(partial, 'al2023'))
  execFileSync('tar', ['-x', '-C', join(partial, 'al2023')], { input: brotliDecompressSync(readFileSync(join(bin, 'al2023.tar.br'))) })
  writeFileSync(join(partial, 'fonts.conf'), `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <dir>${join(dir, 'fonts', 'fonts')}</dir>
  <cachedir>${join(dir, 'fontconfig-cache')}</cachedir>
</fontconfig>
`)
  try {
    renameSync(partial, dir)
  } catch (e) {
    // Another process unpacked it first: use that one.
    rmSync(partial, { recursive: true, force: true })
    if (!existsSync(join(dir, 'chromium'))) throw e
  }
}

function stringEnv(): Record<string, string> {
  return Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined))
}

/** The launch as Playwright's launch options (`chromium.launch(...)`, `use.launchOptions`). */
export function launchOptions(l: ChromiumLaunch): { executablePath: string; args: string[]; env?: Record<string, string> } {
  return { executablePath: l.executablePath, args: l.args, ...(l.env ? { env: l.env } : {}) }
}
