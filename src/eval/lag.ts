// Signal age split into its two parts. The served view's age (request time minus its newest event) is the
// person's own inactivity (the frozen view's age: no pipeline can change it) plus the pipeline's lag (what
// refresh, latency, identity and silos add). Staleness that is really inactivity is not the pipeline's.

/**
 * Pipeline lag per request: served age - frozen age (both request time minus the view's newest event).
 *   - the person has history and the served view is empty: Infinity (the pipeline serves nothing of it);
 *   - the person has no history (empty frozen view): NaN, there is nothing a pipeline could lag behind;
 *   - otherwise served - frozen, at least 0 (a view merged with another person's newer event can look
 *     fresher than the person's own history; that is not negative lag).
 *
 * @example
 * pipelineLag(Float64Array.of(3_600_000, 60_000, NaN), Float64Array.of(7_200_000, NaN, NaN))
 * // Float64Array [3_600_000, Infinity, NaN]
 */
export function pipelineLag(frozenAgeMs: Float64Array, servedAgeMs: Float64Array): Float64Array {
  if (frozenAgeMs.length !== servedAgeMs.length) {
    throw new RangeError(`invalid servedAgeMs: length ${servedAgeMs.length}; expected ${frozenAgeMs.length} (one per request)`);
  }
  const out = new Float64Array(frozenAgeMs.length);
  for (let r = 0; r < out.length; r++) {
    const f = frozenAgeMs[r];
    const s = servedAgeMs[r];
    if (f !== f) out[r] = NaN;
    else if (s !== s) out[r] = Infinity;
    else out[r] = s > f ? s - f : 0;
  }
  return out;
}
