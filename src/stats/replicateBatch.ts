// Replicate sums of many series in one pass over the bootstrap weights (ClusterBootstrap.batch).
//   1. per series: per-cluster sums S_c and counts N_c (the scalar path's first loop, same order);
//      identical columns are kept once (e.g. a served view equal to the frozen one, all-zero gaps), and
//      every series without missing values shares one count column
//   2. the distinct columns go, in tiles of 2-16, into WebAssembly memory; the kernel (replicateKernel.ts)
//      draws each weight once and accumulates every column, replicate by replicate, clusters ascending
//   3. threads claim chunks of replicates (Atomics on the shared memory); a chunk's rows are written by one
//      thread, so the result does not depend on the thread count
import { hash3Prefix } from '../util/hash.ts';
import { poissonIntegerThresholds } from './poisson.ts';
import { HDR, REPLICATE_CHUNK, SCRATCH_BYTES, TILE_WIDTHS, replicateKernel } from './replicateKernel.ts';
import { runChunks } from './replicateThreads.ts';

/** Columns (each length C) deduplicated by content. */
class ColumnSet {
  readonly columns: Float64Array[] = [];
  private readonly byHash = new Map<number, number[]>();

  /** Index of `col` among the distinct columns (added when new). */
  add(col: Float64Array): number {
    const h = hashColumn(col);
    const same = this.byHash.get(h);
    if (same) for (const i of same) if (equalColumns(this.columns[i], col)) return i;
    const i = this.columns.length;
    this.columns.push(col);
    if (same) same.push(i);
    else this.byHash.set(h, [i]);
    return i;
  }
}

function hashColumn(col: Float64Array): number {
  const u = new Int32Array(col.buffer, col.byteOffset, col.length * 2);
  let h = 0x811c9dc5;
  for (let i = 0; i < u.length; i++) h = Math.imul(h ^ u[i], 0x01000193);
  return h;
}

// Sums are never -0 (they start at +0 and x + -x = +0), so !== compares them exactly.
function equalColumns(a: Float64Array, b: Float64Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function isZero(col: Float64Array): boolean {
  for (let i = 0; i < col.length; i++) if (col[i] !== 0) return false;
  return true;
}

/**
 * out[b][j] = sum_c w_cb columns[j][c] for every distinct column, b < B: the scalar loop's sums, bit for bit.
 *
 * @example
 * const out = weightedColumnSums([S1, S2], ids, 7, 1000, 2); // out[j]: Float64Array(1000)
 */
export function weightedColumnSums(columns: readonly Float64Array[], clusterIds: Int32Array, seed: number, B: number, threads: number): Float64Array[] {
  const C = clusterIds.length;
  const K = columns.length;
  if (K === 0 || B === 0 || C === 0) return columns.map(() => new Float64Array(B));
  // Tiles: as many 16-wide as fit, the rest in one narrower tile padded with zero columns.
  const tiles: Array<{ width: number; col: number }> = [];
  let col = 0;
  while (K - col >= 16) {
    tiles.push({ width: 16, col });
    col += 16;
  }
  if (col < K) {
    const rest = K - col;
    const width = TILE_WIDTHS.filter((w) => w >= rest).at(-1)!;
    tiles.push({ width, col });
    col += width;
  }
  const kPad = col;
  const thr = poissonIntegerThresholds();
  const workers = Math.max(1, Math.min(threads, Math.ceil(B / REPLICATE_CHUNK)));
  // Layout (64-byte aligned): header | sync | thresholds | tile table | hc | S tiles | out | scratch per thread.
  const align = (x: number) => Math.ceil(x / 64) * 64;
  const chunks = Math.ceil(B / REPLICATE_CHUNK);
  const syncAt = 64;
  const thrAt = align(syncAt + 4 * (4 + chunks));
  const tilesAt = align(thrAt + 4 * thr.length);
  const hcAt = align(tilesAt + 12 * tiles.length);
  const sAt = align(hcAt + 4 * C);
  const outAt = align(sAt + 8 * C * kPad);
  const scratchAt = align(outAt + 8 * B * kPad);
  const bytes = scratchAt + workers * align(SCRATCH_BYTES);
  const pages = Math.ceil(bytes / 65536);
  if (pages > 65536) throw new RangeError(`invalid batch: ${K} columns x ${C} clusters need ${bytes} bytes of kernel memory; split the batch`);
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
  const buf = memory.buffer;
  const i32 = new Int32Array(buf);
  new Uint32Array(buf, thrAt, thr.length).set(thr);
  const hc = new Uint32Array(buf, hcAt, C);
  for (let c = 0; c < C; c++) hc[c] = hash3Prefix(seed, clusterIds[c]);
  let sBase = sAt;
  tiles.forEach((t, i) => {
    i32.set([t.width, sBase, t.col], tilesAt / 4 + 3 * i);
    const s = new Float64Array(buf, sBase, C * t.width);
    for (let j = 0; j < t.width && t.col + j < K; j++) {
      const src = columns[t.col + j];
      for (let c = 0; c < C; c++) s[c * t.width + j] = src[c];
    }
    sBase += 8 * C * t.width;
  });
  const hdr = { clusters: C, hc: hcAt, thr: thrAt, nThr: thr.length, nTiles: tiles.length, tiles: tilesAt, out: outAt, kPad };
  for (const [k, v] of Object.entries(hdr)) i32[HDR[k as keyof typeof HDR]] = v;
  const out = new Float64Array(buf, outAt, B * kPad);
  const clearChunk = (chunk: number) => out.fill(0, chunk * REPLICATE_CHUNK * kPad, Math.min(B, (chunk + 1) * REPLICATE_CHUNK) * kPad);
  runChunks(
    replicateKernel(),
    memory,
    { header: 0, sync: syncAt, chunks, chunkSize: REPLICATE_CHUNK, replicates: B, scratchAt, scratchStride: align(SCRATCH_BYTES), workers },
    clearChunk,
  );
  return columns.map((_, j) => {
    const r = new Float64Array(B);
    for (let b = 0; b < B; b++) r[b] = out[b * kPad + j];
    return r;
  });
}

/** The bootstrap a batch belongs to (ClusterBootstrap's fields). */
export interface BatchFrame {
  seed: number;
  replicates: number;
  threads: number;
  /** Dense cluster index of each request. */
  denseOfRequest: Int32Array;
  /** External id of each dense cluster (what the weights hash). */
  clusterIds: Int32Array;
}

/** Replicate sums of one series, before the seed is attached. */
export interface SeriesSums {
  sumWS: Float64Array;
  sumWN: Float64Array;
  sum: number;
  n: number;
}

const ZERO = -1;

/**
 * Series collected one by one (each reduced to per-cluster sums at once, so the series themselves need not
 * be kept), then summed together by run().
 *
 * @example
 * const batch = new SeriesBatch(frame);
 * const a = batch.add(ndcg), b = batch.add(gap);
 * const [sa, sb] = batch.run();
 */
export class SeriesBatch {
  private readonly columnSet = new ColumnSet();
  private readonly refs: Array<{ s: number; n: number; sum: number; count: number }> = [];
  private countCol = ZERO;

  constructor(private readonly frame: BatchFrame) {}

  /** Distinct non-zero columns so far (what the kernel sums). */
  get columns(): number {
    return this.columnSet.columns.length;
  }

  /** Number of series added so far. */
  get size(): number {
    return this.refs.length;
  }

  /**
   * Add a series (one value per request; NaN = missing); returns its index in run()'s result.
   *
   * @example
   * const i = batch.add(values);
   */
  add(values: Float64Array | Float32Array): number {
    const dense = this.frame.denseOfRequest;
    if (values.length !== dense.length) {
      throw new RangeError(`invalid values: length ${values.length}; expected ${dense.length} (one per request)`);
    }
    const C = this.frame.clusterIds.length;
    const S = new Float64Array(C);
    let sum = 0;
    let n = 0;
    for (let r = 0; r < values.length; r++) {
      const v = values[r];
      if (v !== v) continue; // NaN = missing
      const q = quantize(v);
      S[dense[r]] += q;
      sum += q;
      n++;
    }
    let nCol: number;
    if (n === values.length) {
      // Every complete series shares the clusters' request counts.
      if (this.countCol === ZERO && n > 0) this.countCol = this.columnSet.add(counts(dense, C));
      nCol = n > 0 ? this.countCol : ZERO;
    } else if (n === 0) nCol = ZERO;
    else {
      const N = new Float64Array(C);
      for (let r = 0; r < values.length; r++) if (values[r] === values[r]) N[dense[r]] += 1;
      nCol = this.columnSet.add(N);
    }
    this.refs.push({ s: isZero(S) ? ZERO : this.columnSet.add(S), n: nCol, sum, count: n });
    return this.refs.length - 1;
  }

  /**
   * Register series i again (same sums, its own arrays in run()), without reducing it again: for a caller
   * that knows two series are equal value for value.
   *
   * @example
   * const j = batch.alias(i); // run()[j] equals run()[i]
   */
  alias(i: number): number {
    this.refs.push({ ...this.refs[i] });
    return this.refs.length - 1;
  }

  /** The quantized sum and count of series i. */
  plain(i: number): { sum: number; n: number } {
    return { sum: this.refs[i].sum, n: this.refs[i].count };
  }

  /**
   * Replicate sums of every series added, in the order added.
   *
   * @example
   * const sums = batch.run(); // sums[i].sumWS: Float64Array(B)
   */
  run(): SeriesSums[] {
    const B = this.frame.replicates;
    const sums = weightedColumnSums(this.columnSet.columns, this.frame.clusterIds, this.frame.seed, B, this.frame.threads);
    // Each series gets its own arrays (callers may modify them).
    const of = (j: number) => (j === ZERO ? new Float64Array(B) : sums[j].slice());
    return this.refs.map((r) => ({ sumWS: of(r.s), sumWN: of(r.n), sum: r.sum, n: r.count }));
  }
}

function counts(dense: Int32Array, C: number): Float64Array {
  const N = new Float64Array(C);
  for (let r = 0; r < dense.length; r++) N[dense[r]] += 1;
  return N;
}

const INV_QUANTUM = 2 ** 30;
const QUANTUM = 2 ** -30;

/** Round to the bootstrap's 2^-30 grid (BOOTSTRAP_QUANTUM in bootstrap.ts). */
export function quantize(x: number): number {
  return Math.round(x * INV_QUANTUM) * QUANTUM;
}
