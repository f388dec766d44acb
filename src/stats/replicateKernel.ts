// The WebAssembly kernel behind ClusterBootstrap.batch: out[b][k] += sum_c w_cb S[c][k] for a range of
// replicates b, with the Poisson weights w_cb drawn inside the kernel from the same hash as poissonWeight.
// Each (b, k) is accumulated by one thread, over clusters in ascending order, with the same product
// w * S[c][k] as the scalar loop: the sums are bit-identical to it (skipped zero weights add exact zeros).
//   per cluster block (CLUSTER_BLOCK clusters): draw the weights of every replicate of the range once into
//   sparse lists (cluster, weight), then per tile of series (2-16 columns, accumulators in SIMD registers)
//   and per replicate, walk the list: the block's tile of S stays in cache while the replicates reuse it.
import { I32, V128, op, wasmModule, type WasmFunction } from '../util/wasmEmit.ts';

/** Clusters per block: a 16-column tile of a block is 128 KiB of S, resident in L2 while replicates walk it. */
export const CLUSTER_BLOCK = 1024;
/** Replicates per chunk (the unit threads claim); bounds the sparse lists' scratch. */
export const REPLICATE_CHUNK = 32;
/** Tile widths (series per tile) the kernel has a function for, widest first. */
export const TILE_WIDTHS = [16, 8, 4, 2] as const;

/** Header fields (i32 at HEADER + 4 * index) the driver reads. */
export const HDR = { clusters: 0, hc: 1, thr: 2, nThr: 3, nTiles: 4, tiles: 5, out: 6, kPad: 7 } as const;
/** Bytes of scratch one thread needs (counts, cluster indices, weights for a chunk). */
export const SCRATCH_BYTES = 4 * REPLICATE_CHUNK + REPLICATE_CHUNK * CLUSTER_BLOCK * (4 + 8);

// fmix32 of the value on the stack top, through local h.
function fmix(h: number): number[] {
  return [
    ...op.tee(h),
    ...op.get(h),
    ...op.i32(16),
    ...op.shrU,
    ...op.xor,
    ...op.i32(0x85ebca6b | 0),
    ...op.mul,
    ...op.tee(h),
    ...op.get(h),
    ...op.i32(13),
    ...op.shrU,
    ...op.xor,
    ...op.i32(0xc2b2ae35 | 0),
    ...op.mul,
    ...op.tee(h),
    ...op.get(h),
    ...op.i32(16),
    ...op.shrU,
    ...op.xor,
  ];
}

// fill(hc, cb, ce, kb, thr, nThr, idx, w) -> n: the nonzero weights of clusters [cb, ce) in one replicate.
function fillFunction(): WasmFunction {
  const [hc, cb, ce, kb, thr, nThr, idx, w] = [0, 1, 2, 3, 4, 5, 6, 7];
  const [n, c, h, k] = [8, 9, 10, 11];
  const ge = (i: number) => [...op.get(h), ...op.get(thr), ...op.i32Load(4 * i), ...op.geU];
  const body = [
    ...op.get(cb),
    ...op.set(c),
    ...op.block,
    ...op.loop,
    ...op.get(c),
    ...op.get(ce),
    ...op.geU,
    ...op.brIf(1),
    // h = fmix32(hc[c] ^ kb): the last round of hash3(seed, id, b).
    ...op.get(hc),
    ...op.get(c),
    ...op.i32(2),
    ...op.shl,
    ...op.add,
    ...op.i32Load(),
    ...op.get(kb),
    ...op.xor,
    ...fmix(h),
    ...op.set(h),
    // weight = number of thresholds <= h: the first four without branches (98% of draws end there).
    ...ge(0),
    ...ge(1),
    ...op.add,
    ...ge(2),
    ...op.add,
    ...ge(3),
    ...op.add,
    ...op.set(k),
    ...op.get(k),
    ...op.i32(4),
    ...op.ne,
    ...op.eqz,
    ...op.if,
    ...op.block,
    ...op.loop,
    ...op.get(k),
    ...op.get(nThr),
    ...op.geU,
    ...op.brIf(1),
    ...op.get(h),
    ...op.get(thr),
    ...op.get(k),
    ...op.i32(2),
    ...op.shl,
    ...op.add,
    ...op.i32Load(),
    ...op.ltU,
    ...op.brIf(1),
    ...op.get(k),
    ...op.i32(1),
    ...op.add,
    ...op.set(k),
    ...op.br(0),
    ...op.end,
    ...op.end,
    ...op.end,
    // Written always, kept when the weight is not 0 (no branch on a 37% event).
    ...op.get(idx),
    ...op.get(n),
    ...op.i32(2),
    ...op.shl,
    ...op.add,
    ...op.get(c),
    ...op.i32Store(),
    ...op.get(w),
    ...op.get(n),
    ...op.i32(3),
    ...op.shl,
    ...op.add,
    ...op.get(k),
    ...op.f64ConvertI32U,
    ...op.f64Store(),
    ...op.get(n),
    ...op.get(k),
    ...op.i32(0),
    ...op.ne,
    ...op.add,
    ...op.set(n),
    ...op.get(c),
    ...op.i32(1),
    ...op.add,
    ...op.set(c),
    ...op.br(0),
    ...op.end,
    ...op.end,
    ...op.get(n),
  ];
  return { name: null, params: [I32, I32, I32, I32, I32, I32, I32, I32], results: [I32], locals: [I32, I32, I32, I32], body };
}

// acc_W(idx, w, n, sBase, out): out[0..W) += sum_i w[i] * S[idx[i]][0..W), S rows of W doubles at sBase.
function accFunction(width: number): WasmFunction {
  const [idx, w, n, sBase, out] = [0, 1, 2, 3, 4];
  const [i, off] = [5, 6];
  const wv = 7;
  const regs = width / 2;
  const a = (j: number) => 8 + j;
  const shift = Math.log2(width * 8);
  const body: number[] = [];
  for (let j = 0; j < regs; j++) body.push(...op.get(out), ...op.v128Load(16 * j), ...op.set(a(j)));
  body.push(
    ...op.block,
    ...op.loop,
    ...op.get(i),
    ...op.get(n),
    ...op.geU,
    ...op.brIf(1),
    ...op.get(sBase),
    ...op.get(idx),
    ...op.get(i),
    ...op.i32(2),
    ...op.shl,
    ...op.add,
    ...op.i32Load(),
    ...op.i32(shift),
    ...op.shl,
    ...op.add,
    ...op.set(off),
    ...op.get(w),
    ...op.get(i),
    ...op.i32(3),
    ...op.shl,
    ...op.add,
    ...op.v128Load64Splat(),
    ...op.set(wv),
  );
  for (let j = 0; j < regs; j++) {
    body.push(...op.get(a(j)), ...op.get(wv), ...op.get(off), ...op.v128Load(16 * j), ...op.f64x2Mul, ...op.f64x2Add, ...op.set(a(j)));
  }
  body.push(...op.get(i), ...op.i32(1), ...op.add, ...op.set(i), ...op.br(0), ...op.end, ...op.end);
  for (let j = 0; j < regs; j++) body.push(...op.get(out), ...op.get(a(j)), ...op.v128Store(16 * j));
  return { name: null, params: [I32, I32, I32, I32, I32], results: [], locals: [I32, I32, V128, ...Array(regs).fill(V128)], body };
}

// run(b0, b1, hdr, scratch): out rows b0..b1 (exclusive), all clusters, all tiles.
function runFunction(fill: number, accOf: Map<number, number>): WasmFunction {
  const [b0, b1, hdr, scratch] = [0, 1, 2, 3];
  const [C, cb, ce, b, j, t, tile, cnt, idx, w, W] = [4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14];
  const field = (f: number) => [...op.get(hdr), ...op.i32Load(4 * f)];
  const idxOf = (jl: number) => [...op.get(idx), ...op.get(jl), ...op.i32(CLUSTER_BLOCK * 4), ...op.mul, ...op.add];
  const wOf = (jl: number) => [...op.get(w), ...op.get(jl), ...op.i32(CLUSTER_BLOCK * 8), ...op.mul, ...op.add];
  const cntAt = (jl: number) => [...op.get(cnt), ...op.get(jl), ...op.i32(2), ...op.shl, ...op.add];
  const dispatch: number[] = [];
  for (const [width, f] of accOf) {
    dispatch.push(
      ...op.get(W),
      ...op.i32(width),
      ...op.ne,
      ...op.eqz,
      ...op.if,
      ...idxOf(j),
      ...wOf(j),
      ...cntAt(j),
      ...op.i32Load(),
      ...op.get(tile),
      ...op.i32Load(4),
      // out + (b * kPad + col) * 8
      ...field(HDR.out),
      ...op.get(b),
      ...field(HDR.kPad),
      ...op.mul,
      ...op.get(tile),
      ...op.i32Load(8),
      ...op.add,
      ...op.i32(3),
      ...op.shl,
      ...op.add,
      ...op.call(f),
      ...op.end,
    );
  }
  const body = [
    ...field(HDR.clusters),
    ...op.set(C),
    ...op.get(scratch),
    ...op.set(cnt),
    ...op.get(scratch),
    ...op.i32(4 * REPLICATE_CHUNK),
    ...op.add,
    ...op.set(idx),
    ...op.get(idx),
    ...op.i32(REPLICATE_CHUNK * CLUSTER_BLOCK * 4),
    ...op.add,
    ...op.set(w),
    ...op.block,
    ...op.loop,
    ...op.get(cb),
    ...op.get(C),
    ...op.geU,
    ...op.brIf(1),
    // ce = min(cb + CLUSTER_BLOCK, C)
    ...op.get(cb),
    ...op.i32(CLUSTER_BLOCK),
    ...op.add,
    ...op.tee(ce),
    ...op.get(C),
    ...op.geU,
    ...op.if,
    ...op.get(C),
    ...op.set(ce),
    ...op.end,
    // Sparse weight lists of every replicate of the chunk for this block.
    ...op.get(b0),
    ...op.set(b),
    ...op.block,
    ...op.loop,
    ...op.get(b),
    ...op.get(b1),
    ...op.geU,
    ...op.brIf(1),
    ...op.get(b),
    ...op.get(b0),
    ...op.sub,
    ...op.set(j),
    ...cntAt(j),
    ...field(HDR.hc),
    ...op.get(cb),
    ...op.get(ce),
    ...op.get(b),
    ...op.i32(0x165667b1),
    ...op.xor,
    ...op.i32(0x85ebca77 | 0),
    ...op.mul,
    ...field(HDR.thr),
    ...field(HDR.nThr),
    ...idxOf(j),
    ...wOf(j),
    ...op.call(fill),
    ...op.i32Store(),
    ...op.get(b),
    ...op.i32(1),
    ...op.add,
    ...op.set(b),
    ...op.br(0),
    ...op.end,
    ...op.end,
    // Per tile, per replicate: accumulate the block.
    ...op.i32(0),
    ...op.set(t),
    ...op.block,
    ...op.loop,
    ...op.get(t),
    ...field(HDR.nTiles),
    ...op.geU,
    ...op.brIf(1),
    ...field(HDR.tiles),
    ...op.get(t),
    ...op.i32(12),
    ...op.mul,
    ...op.add,
    ...op.tee(tile),
    ...op.i32Load(),
    ...op.set(W),
    ...op.get(b0),
    ...op.set(b),
    ...op.block,
    ...op.loop,
    ...op.get(b),
    ...op.get(b1),
    ...op.geU,
    ...op.brIf(1),
    ...op.get(b),
    ...op.get(b0),
    ...op.sub,
    ...op.set(j),
    ...dispatch,
    ...op.get(b),
    ...op.i32(1),
    ...op.add,
    ...op.set(b),
    ...op.br(0),
    ...op.end,
    ...op.end,
    ...op.get(t),
    ...op.i32(1),
    ...op.add,
    ...op.set(t),
    ...op.br(0),
    ...op.end,
    ...op.end,
    ...op.get(ce),
    ...op.set(cb),
    ...op.br(0),
    ...op.end,
    ...op.end,
  ];
  return { name: 'run', params: [I32, I32, I32, I32], results: [], locals: Array(11).fill(I32), body };
}

let compiled: WebAssembly.Module | null = null;

/**
 * The compiled kernel module (compiled once per process; it imports a shared `env.memory`).
 *
 * @example
 * const instance = new WebAssembly.Instance(replicateKernel(), { env: { memory } });
 */
export function replicateKernel(): WebAssembly.Module {
  if (compiled) return compiled;
  const funcs: WasmFunction[] = [fillFunction()];
  const accOf = new Map<number, number>();
  for (const width of TILE_WIDTHS) {
    accOf.set(width, funcs.length);
    funcs.push(accFunction(width));
  }
  funcs.push(runFunction(0, accOf));
  compiled = new WebAssembly.Module(wasmModule(funcs, { min: 1, max: 65536 }));
  return compiled;
}
