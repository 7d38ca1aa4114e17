/**
 * The conformance cases, in groups with one recorded fixture file each: the base command line (cases.ts,
 * fixtures.json) and one group per family of extensions (extensions/*.ts, fixtures/NAME.json), so that a
 * group can be re-recorded alone and no fixture file grows unwieldy.
 */
import { CASES, type ConformanceCase } from './cases.ts'
import { EXTENSION_GROUPS } from './extensions/index.ts'

export interface CaseGroup {
  name: string
  /** Fixture file, relative to this directory. */
  file: string
  cases: ConformanceCase[]
}

export const GROUPS: CaseGroup[] = [
  { name: 'base', file: 'fixtures.json', cases: CASES },
  ...EXTENSION_GROUPS.map((g) => ({ name: g.name, file: `fixtures/${g.name}.json`, cases: g.cases })),
]
