/**
 * A table lookup by user-typed text: only the table's own entries, so a word such as `__proto__` or
 * `constructor` is "not found" rather than Object.prototype's member (found by the console fuzz property).
 */
export function lookup<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined
}
