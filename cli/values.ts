/** Flag values the commands share, checked with the messages the CLI has always given. */

/** `--seed N`: an integer, or the message saying what was given instead. */
export function parseSeed(text: string): number | string {
  if (!/^-?\d+$/.test(text)) return `--seed needs an integer, got ${JSON.stringify(text)}`
  return Number(text)
}
