/** A plain JSON object (not an array, not null). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Merges `overlay` over `base`: objects merge key by key, everything else (arrays included) is replaced.
 * Arrays replace rather than concatenate so an override can shorten a list, as in Helm values.
 * Keys are read and written as own data properties: a `constructor` or `prototype` key is plain data, and a
 * `__proto__` key (which the loader refuses) could never replace the merged object's prototype.
 */
export function deepMerge<T>(base: T, overlay: unknown): T {
  if (!isPlainObject(base) || !isPlainObject(overlay)) return (overlay === undefined ? base : overlay) as T;
  const merged: Record<string, unknown> = {};
  const put = (key: string, value: unknown) => Object.defineProperty(merged, key, { value, enumerable: true, writable: true, configurable: true });
  for (const [key, value] of Object.entries(base)) put(key, value);
  for (const [key, value] of Object.entries(overlay)) put(key, Object.hasOwn(merged, key) ? deepMerge(merged[key], value) : value);
  return merged as T;
}
