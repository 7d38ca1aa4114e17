/** A deep copy of plain JSON data (structuredClone is not in the engine's ES-only lib). */
export function deepCopy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T
}
