/** What eslint.config.js exports besides the configuration: the layers rule's allow-lists (for its test). */
import type { Linter } from 'eslint'

export declare const PAGE_ENGINE_MODULES: readonly string[]
export declare const PAGE_WORKER_MODULES: readonly string[]
declare const config: Linter.Config[]
export default config
