/**
 * How control leaves the normal flow of a command line: `exit` (ExitSignal), `break`/`continue`
 * (LoopSignal), and the nesting limit that stops a script running itself (NestingError), plus the error an
 * expansion reports (`bash: MESSAGE`, status 1).
 */

/** Subshells within subshells (a script that runs itself) stop here instead of exhausting the stack. */
export const MAX_NESTING = 100

export class NestingError extends Error {
  constructor() {
    super(`maximum nesting level exceeded (${MAX_NESTING} subshells)`)
  }
}

export class ExitSignal {
  constructor(readonly status: number) {}
}
export class LoopSignal {
  constructor(readonly kind: 'break' | 'continue', public levels: number) {}
}

/** An expansion this shell cannot perform (reported as `bash: MESSAGE`, status 1). */
export class ExpansionError extends Error {}
