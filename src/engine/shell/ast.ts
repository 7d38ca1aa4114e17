/**
 * The syntax tree of the shell language the node console speaks (a bash subset): lists joined by `;`,
 * `&&`, `||` and newlines, pipelines, simple commands with assignments, words and redirections, and the
 * compound commands `( … )`, `{ …; }`, `if`, `for`, `while`/`until`. Offsets are UTF-16 positions in the
 * parsed source (see parser.ts).
 */

export type WordPart =
  /** Unquoted text: subject to field splitting (when it came from an expansion) and globbing. */
  | { type: 'literal'; text: string }
  /** Text that was quoted ('…', "…", \x, $'…'): taken literally. */
  | { type: 'quoted'; text: string }
  /** "…": its parts expand but are never split or globbed. */
  | { type: 'double'; parts: WordPart[] }
  /** $name, ${name}, ${name:-word}, ${#name}, $?, $$, … */
  | { type: 'param'; name: string; op?: ParamOp; arg?: Word; offset: number }
  /** $(…) or `…` */
  | { type: 'command'; list: List }
  /** $((…)) */
  | { type: 'arith'; expr: Word; offset: number }
  /** A leading ~ (the home directory) */
  | { type: 'tilde' }

/** `${name OP word}`: `:-` `-` `:=` `=` `:+` `+` `#` `##` `%` `%%`, and `length` for `${#name}`. */
export type ParamOp = ':-' | '-' | ':=' | '=' | ':+' | '+' | '#' | '##' | '%' | '%%' | 'length'

export interface Word {
  parts: WordPart[]
  offset: number
}

export type RedirectOp = '>' | '>>' | '>|' | '<' | '<>' | '>&' | '<&' | '&>' | '&>>' | '<<' | '<<-' | '<<<'

export interface Redirect {
  /** The file descriptor redirected (default 1 for output operators, 0 for input). */
  fd: number
  op: RedirectOp
  /** The file, the descriptor to duplicate (`2>&1`), or the here-string. */
  target: Word
  /** Here-documents: the body (expanded unless the delimiter was quoted). */
  heredoc?: { body: Word; delimiter: string; quoted: boolean; closed: boolean }
  offset: number
}

export interface Assignment {
  name: string
  append: boolean
  value: Word
}

export interface SimpleCommand {
  type: 'simple'
  assignments: Assignment[]
  words: Word[]
  redirects: Redirect[]
  offset: number
  /** The command's source text (for `watch` and error messages). */
  source: string
}

export interface Subshell { type: 'subshell'; body: List; redirects: Redirect[]; offset: number }
export interface Group { type: 'group'; body: List; redirects: Redirect[]; offset: number }
export interface If { type: 'if'; clauses: { condition: List; body: List }[]; otherwise?: List; redirects: Redirect[]; offset: number }
export interface For { type: 'for'; name: string; items?: Word[]; body: List; redirects: Redirect[]; offset: number }
export interface While { type: 'while'; until: boolean; condition: List; body: List; redirects: Redirect[]; offset: number }

export interface Case { type: 'case'; word: Word; items: { patterns: Word[]; body: List }[]; redirects: Redirect[]; offset: number }

/** `(( expr ))`: status 0 when the expression is not zero. */
export interface ArithCommand { type: 'arith'; expr: Word; redirects: Redirect[]; offset: number }

export type Command = SimpleCommand | Subshell | Group | If | For | While | Case | ArithCommand

export interface Pipeline {
  negate: boolean
  /** `|&` after command i: its stderr goes into the pipe too. */
  commands: { command: Command; stderrToo: boolean }[]
}

export interface AndOr {
  first: Pipeline
  rest: { op: '&&' | '||'; pipeline: Pipeline }[]
}

export interface List {
  items: AndOr[]
}
