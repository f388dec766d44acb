// Splitting the evaluated requests by a hash of the person, for shards (`--shard i/n`, one process each)
// and worker threads (one part each). A person's requests all land in the same part, so each part is a
// person-clustered sample of its own, and the union of the parts is the full request set. Every part
// keeps the global request ids, so per-request randomness and the merged tables do not depend on how
// the requests were split.
import { hashString, unitFromHash } from '../util/hash.ts';
import type { Requests } from './requests.ts';
import type { SourceResult } from './replay.ts';

/** A shard of a run: `index` in [0, count). */
export interface ShardSpec {
  index: number;
  count: number;
}

/** Requests with their global ids (`ids[r]` = the request's index in the full request set). */
export type RequestPart = Requests & { readonly ids: Int32Array };

const SHARD_SEED = 0x5eed5a4d;

/**
 * The shard of a person: a stable hash of the person's id (not of its position in the log), so the same
 * person lands in the same shard whatever else the log holds.
 *
 * @example
 * shardOfPerson('p123', 4); // 0..3, the same on every machine
 */
export function shardOfPerson(personId: string, count: number, seed = SHARD_SEED): number {
  return count <= 1 ? 0 : hashString(personId, seed) % count;
}

/**
 * The shard of every request, from the person's id: requests.person[r] indexes `personIds`. Another
 * `seed` gives a split independent of the shards (worker threads within a shard).
 *
 * @example
 * const shard = requestShards(requests, log.dict.person, 4);
 */
export function requestShards(req: Pick<Requests, 'length' | 'person'>, personIds: readonly string[], count: number, seed = SHARD_SEED): Uint16Array {
  const out = new Uint16Array(req.length);
  if (count <= 1) return out;
  const memo = new Map<number, number>();
  for (let r = 0; r < req.length; r++) {
    const p = req.person[r];
    let s = memo.get(p);
    if (s === undefined) {
      s = shardOfPerson(personIds[p], count, seed);
      memo.set(p, s);
    }
    out[r] = s;
  }
  return out;
}

/**
 * The requests whose shard is `index`, in their original (time) order, with global ids.
 *
 * @example
 * const part = selectRequests(requests, requestShards(requests, log.dict.person, 2), 1);
 * part.ids; // global indices of shard 1's requests
 */
export function selectRequests(req: Requests, shardOf: Uint16Array, index: number): RequestPart {
  let n = 0;
  for (let r = 0; r < req.length; r++) if (shardOf[r] === index) n++;
  const ids = new Int32Array(n);
  for (let r = 0, j = 0; r < req.length; r++) if (shardOf[r] === index) ids[j++] = r;
  return takeRequests(req, ids);
}

const SAMPLE_SEED = 0x51a3b1e5;

/**
 * A person-hash sample: the requests of persons whose id hashes below `share` (all requests of a sampled
 * person, none of the others), renumbered 0..n-1, with counts for the sample. Nested: a person in the 5%
 * sample is in the 10% sample.
 *
 * @example
 * const tenth = sampleRequests(requests, log.dict.person, 0.1);
 */
export function sampleRequests(req: Requests, personIds: readonly string[], share: number): Requests {
  if (share >= 1) return req;
  const keep: number[] = [];
  const memo = new Map<number, boolean>();
  for (let r = 0; r < req.length; r++) {
    const p = req.person[r];
    let inSample = memo.get(p);
    if (inSample === undefined) {
      inSample = unitFromHash(hashString(personIds[p], SAMPLE_SEED)) < share;
      memo.set(p, inSample);
    }
    if (inSample) keep.push(r);
  }
  const { ids: _ids, ...sample } = takeRequests(req, Int32Array.from(keep));
  return { ...sample, counts: { ...req.counts, requests: sample.length, persons: new Set(sample.person).size } };
}

/** All requests as a part (ids 0..n-1). */
export function wholePart(req: Requests): RequestPart {
  const ids = new Int32Array(req.length);
  for (let r = 0; r < req.length; r++) ids[r] = r;
  return { ...req, ids };
}

/**
 * The requests at positions `rows` (ascending) of `req` as their own request set. Each keeps its global id:
 * its id in `req` when `req` is itself a part (a worker's share of a shard, a phase of a part), else its
 * position.
 *
 * @example
 * takeRequests(requests, Int32Array.of(0, 5, 9)).ids // Int32Array [0, 5, 9]
 */
export function takeRequests(req: Requests, rows: Int32Array): RequestPart {
  const ids = req.ids ? Int32Array.from(rows, (r) => req.ids![r]) : rows;
  const n = rows.length;
  const pick = <T extends Float64Array | Int32Array>(a: T): T => {
    const out = new (a.constructor as new (n: number) => T)(n);
    for (let j = 0; j < n; j++) out[j] = a[rows[j]];
    return out;
  };
  const ragged = (offsets: Int32Array, items: Int32Array) => {
    const off = new Int32Array(n + 1);
    for (let j = 0; j < n; j++) off[j + 1] = off[j] + offsets[rows[j] + 1] - offsets[rows[j]];
    const out = new Int32Array(off[n]);
    for (let j = 0; j < n; j++) out.set(items.subarray(offsets[rows[j]], offsets[rows[j] + 1]), off[j]);
    return { off, out };
  };
  const labels = ragged(req.labelOffsets, req.labelItems);
  const seen = req.seenOffsets && req.seenItems ? ragged(req.seenOffsets, req.seenItems) : null;
  return {
    length: n,
    tsMs: pick(req.tsMs),
    key: pick(req.key),
    person: pick(req.person),
    session: pick(req.session),
    login: pick(req.login),
    labelOffsets: labels.off,
    labelItems: labels.out,
    seenOffsets: seen ? seen.off : null,
    seenItems: seen ? seen.out : null,
    counts: req.counts,
    ids,
  };
}

/**
 * Empty per-request tables for `n` requests (what replay fills).
 *
 * @example
 * const full = emptySource(requests.length, 2, 8);
 */
export function emptySource(n: number, nModels: number, cols: number): SourceResult {
  return {
    metrics: Array.from({ length: nModels }, () => new Float32Array(n * cols).fill(NaN)),
    ageMs: new Float64Array(n).fill(NaN),
    viewSize: new Int32Array(n).fill(-1),
    unknownKey: new Uint8Array(n),
  };
}

/**
 * Copy a part's rows into full-size tables at their global ids.
 *
 * @example
 * scatterSource(partResult, part.ids, full, cols);
 */
export function scatterSource(part: SourceResult, ids: Int32Array, into: SourceResult, cols: number): void {
  for (let j = 0; j < ids.length; j++) {
    const r = ids[j];
    into.ageMs[r] = part.ageMs[j];
    into.viewSize[r] = part.viewSize[j];
    into.unknownKey[r] = part.unknownKey[j];
  }
  part.metrics.forEach((table, m) => {
    const dst = into.metrics[m];
    for (let j = 0; j < ids.length; j++) dst.set(table.subarray(j * cols, (j + 1) * cols), ids[j] * cols);
  });
}
