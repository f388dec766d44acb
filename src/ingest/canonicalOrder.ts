// Small dictionaries (event types, channels) list the canonical names first, in canonical order, like the
// synthetic world's; other names follow in order of first appearance. Ids in the column are renumbered.

/**
 * Reorder `values` and renumber `column` (the first `n` entries) to match.
 *
 * @example
 * const types = canonicalOrder(['purchase', 'view'], cols.type, ['view', 'cart', 'purchase']); // ['view', 'purchase']
 */
export function canonicalOrder(values: readonly string[], column: Uint8Array, canonical: readonly string[]): string[] {
  const rank = (v: string) => {
    const i = canonical.indexOf(v);
    return i < 0 ? canonical.length : i;
  };
  const order = values.map((_, i) => i).sort((a, b) => rank(values[a]) - rank(values[b]) || a - b);
  if (order.every((old, i) => old === i)) return [...values];
  const remap = new Uint8Array(values.length);
  order.forEach((old, i) => (remap[old] = i));
  for (let i = 0; i < column.length; i++) column[i] = remap[column[i]];
  return order.map((old) => values[old]);
}
