/** `-m comment --comment TEXT`: always matches; kube-proxy labels every rule with one. */
import type { MatchModule } from '../module-api.ts'
import { ParameterProblem, xtopt } from '../module-api.ts'
import { saveString } from '../values.ts'

export interface CommentOptions {
  comment?: string
}

/** XT_MAX_COMMENT_LEN is 256 bytes including the terminating NUL: longer comments are cut. */
const MAX = 255

export const commentMatch: MatchModule<CommentOptions> = {
  kind: 'match',
  name: 'comment',
  xtopt: true,
  options: [{ name: 'comment', arg: 'required' }],
  create: () => ({}),
  parse(o, _option, arg, inverted) {
    if (inverted) throw xtopt.cannotInvert('comment', 'comment')
    o.comment = (arg ?? '').slice(0, MAX)
  },
  finalCheck(o) {
    if (o.comment === undefined) throw new ParameterProblem('comment: option "--comment" must be specified\n')
  },
  save: (o) => `--comment ${saveString(o.comment ?? '')}`,
  list: (o) => `/* ${o.comment ?? ''} */`,
  evaluate(o) {
    return [{ clause: `-m comment --comment ${saveString(o.comment ?? '')}`, matched: true, why: 'a comment always matches' }]
  },
}
