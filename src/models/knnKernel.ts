// The inner loop of item-kNN's sparse scoring (itemknn.ts): for each distinct item i of a profile with its
// summed weight W_i, add W_i to i's score and W_i * sim(i, j) to each of its neighbours j, in float32 storage
// with float64 arithmetic (what `acc[j] += w * sim` does in JavaScript), remembering which items were reached.
// About 100 scattered additions per distinct item and 3,000 per profile: the replay's costliest loop. It runs
// as a small WebAssembly function (emitted by util/wasmEmit.ts) over one linear memory that holds the
// neighbour tables and every scratch row, with the "reached" bookkeeping branch-free: about 3x the JavaScript
// loop's speed here, and the same float32 results bit for bit (IEEE float64 add and multiply, round to
// nearest float32 on store, in the same order). Catalogues whose tables do not fit in one 2 GB memory
// use the JavaScript loop, which is also the reference the kernel is tested against.
// It also keeps the best K reached items in a heap (select): the first half of topKSparse (util/topk.ts)
// without a call per item, about as costly in JavaScript as the scoring itself.
import { F32, F64, I32, op, wasmModule, type WasmFunction } from '../util/wasmEmit.ts';
import { heapOfTouched } from '../util/topk.ts';

/** Scratch and tables of one model's scorer; every array is item-indexed (n items, m neighbours each). */
export interface KnnKernel {
  /** items x m neighbour indices, -1 past the last neighbour. */
  readonly nbr: Int32Array;
  /** Similarity of each neighbour. */
  readonly sim: Float32Array;
  /** Input: W_i of each distinct item (the caller sums into it; accumulate() sets it back to 0). */
  readonly weightOf: Float64Array;
  /** Input: the distinct items, in the order their weights are added. */
  readonly distinct: Int32Array;
  /** Output: scores[j] for every item j reached by the last accumulate(); other entries are stale. */
  readonly scores: Float32Array;
  /** Output: the items reached, in first-reach order, in touched[0..nt); capacity n + 1. */
  readonly touched: Int32Array;
  /** Output: 1 at the items the last accumulate() reached, 0 elsewhere (until the next call). */
  readonly reached: Uint8Array;
  /** Output of select(): a min-heap of item indices (the worst kept at heap[0]). */
  readonly heap: Int32Array;
  /** Add distinct[0..k) and return nt, the number of items reached (the prior elsewhere). */
  accumulate(k: number): number;
  /**
   * The best `cap` (<= n) of the last accumulate()'s nt reached items into heap[0..size) as heapOfTouched
   * (util/topk.ts) does (finite scores only; score descending, index ascending); returns size.
   */
  select(nt: number, cap: number): number;
  /** 'wasm' or 'js' (the fallback), for tests and benchmarks. */
  readonly kind: 'wasm' | 'js';
}

/** Bytes of one memory the kernel may use (i32 addresses stay positive). */
const MAX_BYTES = 2 ** 31 - 2 ** 16;
const PAGE = 65536;

/**
 * A scorer over copies of the model's tables: the WebAssembly kernel when its memory fits, else the
 * JavaScript loop (or always with `kind: 'js'`).
 *
 * @example
 * const kernel = knnKernel(nbr, sim, prior, 100);
 * kernel.weightOf[7] = 1.5; kernel.distinct[0] = 7;
 * const nt = kernel.accumulate(1); // kernel.scores[kernel.touched[0..nt)] hold the scores
 */
export function knnKernel(nbr: Int32Array, sim: Float32Array, prior: Float32Array, m: number, kind: 'wasm' | 'js' = 'wasm'): KnnKernel {
  const n = prior.length;
  const layout = memoryLayout(n, m);
  if (kind === 'wasm' && layout.end <= MAX_BYTES) return wasmKernel(nbr, sim, prior, m, layout);
  return jsKernel(nbr, sim, prior, m);
}

interface Layout {
  nbr: number;
  sim: number;
  weightOf: number;
  acc: number;
  prior: number;
  scores: number;
  distinct: number;
  touched: number;
  reached: number;
  heap: number;
  /** One i32: the previous call's nt, whose marks the next call clears. */
  state: number;
  end: number;
}

function memoryLayout(n: number, m: number): Layout {
  const nbr = 0;
  const sim = nbr + n * m * 4;
  const weightOf = Math.ceil((sim + n * m * 4) / 8) * 8;
  const acc = weightOf + n * 8;
  const prior = acc + n * 4;
  const scores = prior + n * 4;
  const distinct = scores + n * 4;
  const touched = distinct + n * 4;
  const heap = touched + (n + 1) * 4;
  const state = heap + n * 4;
  const reached = state + 4;
  return { nbr, sim, weightOf, acc, prior, scores, distinct, touched, reached, heap, state, end: reached + n };
}

function jsKernel(nbrIn: Int32Array, simIn: Float32Array, prior: Float32Array, m: number): KnnKernel {
  const n = prior.length;
  const nbr = nbrIn.slice();
  const sim = simIn.slice();
  const weightOf = new Float64Array(n);
  const distinct = new Int32Array(n);
  const scores = new Float32Array(n);
  const touched = new Int32Array(n + 1);
  const acc = Float32Array.from(prior);
  const reached = new Uint8Array(n);
  const heap = new Int32Array(n);
  let previous = 0;
  return {
    nbr,
    sim,
    weightOf,
    distinct,
    scores,
    touched,
    reached,
    heap,
    kind: 'js',
    select: (nt: number, cap: number) => heapOfTouched(scores, touched, nt, cap, heap),
    accumulate(k: number): number {
      for (let t = 0; t < previous; t++) reached[touched[t]] = 0;
      let nt = 0;
      for (let x = 0; x < k; x++) {
        const i = distinct[x];
        const w = weightOf[i];
        weightOf[i] = 0;
        acc[i] += w;
        // Branch-free: write the item, count it only if new.
        touched[nt] = i;
        nt += 1 - reached[i];
        reached[i] = 1;
        const base = i * m;
        for (let t = 0; t < m; t++) {
          const j = nbr[base + t];
          if (j < 0) break;
          acc[j] += w * sim[base + t];
          touched[nt] = j;
          nt += 1 - reached[j];
          reached[j] = 1;
        }
      }
      for (let t = 0; t < nt; t++) {
        const j = touched[t];
        scores[j] = acc[j];
        acc[j] = prior[j];
      }
      previous = nt;
      return nt;
    },
  };
}

let compiled: WebAssembly.Module | null = null;
let compiledFor = '';

function wasmKernel(nbrIn: Int32Array, simIn: Float32Array, prior: Float32Array, m: number, L: Layout): KnnKernel {
  const n = prior.length;
  const pages = Math.max(1, Math.ceil(L.end / PAGE));
  // Offsets are baked into the code, so one module serves one (n, m); a run binds few models.
  const key = `${n}:${m}`;
  const module = compiledFor === key && compiled ? compiled : new WebAssembly.Module(kernelCode(m, L, pages));
  compiled = module;
  compiledFor = key;
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
  const exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
  const accumulate = exports.accumulate as (k: number) => number;
  const select = exports.select as (nt: number, cap: number) => number;
  const buf = memory.buffer;
  const nbr = new Int32Array(buf, L.nbr, n * m);
  const sim = new Float32Array(buf, L.sim, n * m);
  nbr.set(nbrIn);
  sim.set(simIn);
  new Float32Array(buf, L.acc, n).set(prior);
  new Float32Array(buf, L.prior, n).set(prior);
  return {
    nbr,
    sim,
    weightOf: new Float64Array(buf, L.weightOf, n),
    distinct: new Int32Array(buf, L.distinct, n),
    scores: new Float32Array(buf, L.scores, n),
    touched: new Int32Array(buf, L.touched, n + 1),
    reached: new Uint8Array(buf, L.reached, n),
    heap: new Int32Array(buf, L.heap, n),
    kind: 'wasm',
    accumulate,
    select,
  };
}

/** Functions of the module, by index (calls name them so). */
const FN = { accumulate: 0, select: 1, worse: 2, siftUp: 3, siftDown: 4 };

/**
 * The module over the memory of `L`: accumulate(k) -> nt as jsKernel's loop, and select(nt, cap) -> size as
 * heapOfTouched. Locals hold byte offsets where they can.
 */
function kernelCode(m: number, L: Layout, pages: number): Uint8Array<ArrayBuffer> {
  const funcs = [accumulateCode(m, L), selectCode(L), worseCode(L), siftUpCode(L), siftDownCode(L)];
  return wasmModule(funcs, { min: pages, max: pages });
}

/** x * 4: an index as a byte offset. */
const times4 = [...op.i32(2), ...op.shl];
/** scores[<index on the stack>] */
const scoreAt = (L: Layout) => [...times4, ...op.f32Load(L.scores)];
/** heap[<index on the stack>] */
const heapAt = (L: Layout) => [...times4, ...op.i32Load(L.heap)];

function accumulateCode(m: number, L: Layout): WasmFunction {
  const [K, X, I, BASE, T, J, NT, A, W] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const rowBytes = m * 4;
  /** touched[nt] = item; nt += reached[item] == 0; reached[item] = 1 (item: a local holding the index). */
  const mark = (item: number) => [
    ...[...op.get(NT), ...times4, ...op.get(item), ...op.i32Store(L.touched)],
    ...[...op.get(NT), ...op.get(item), ...op.i32Load8U(L.reached), ...op.eqz, ...op.add, ...op.set(NT)],
    ...[...op.get(item), ...op.i32(1), ...op.i32Store8(L.reached)],
  ];
  /** acc[item] = f32(f64(acc[item]) + value), the address kept in local A. */
  const addToAcc = (item: number, value: number[]) => [
    ...[...op.get(item), ...times4, ...op.tee(A), ...op.get(A), ...op.f32Load(L.acc), ...op.f64PromoteF32],
    ...[...value, ...op.f64Add, ...op.f32DemoteF64, ...op.f32Store(L.acc)],
  ];
  const body = [
    // The previous call's marks go (they stay set until now for select and topKSparse's second half).
    ...[...op.i32(0), ...op.set(T), ...op.i32(0), ...op.i32Load(L.state), ...op.set(NT)],
    ...op.block,
    ...op.loop,
    ...[...op.get(T), ...op.get(NT), ...op.geU, ...op.brIf(1)],
    ...[...op.get(T), ...times4, ...op.i32Load(L.touched), ...op.i32(0), ...op.i32Store8(L.reached)],
    ...[...op.get(T), ...op.i32(1), ...op.add, ...op.set(T), ...op.br(0)],
    ...op.end,
    ...op.end,
    ...[...op.i32(0), ...op.set(NT), ...op.i32(0), ...op.set(X)],
    ...op.block,
    ...op.loop,
    ...[...op.get(X), ...op.get(K), ...op.geU, ...op.brIf(1)],
    // i = distinct[x]; w = weightOf[i]; weightOf[i] = 0
    ...[...op.get(X), ...times4, ...op.i32Load(L.distinct), ...op.set(I)],
    ...[...op.get(I), ...op.i32(3), ...op.shl, ...op.tee(A), ...op.f64Load(L.weightOf), ...op.set(W)],
    ...[...op.get(A), ...op.f64Zero, ...op.f64Store(L.weightOf)],
    ...addToAcc(I, op.get(W)),
    ...mark(I),
    ...[...op.get(I), ...op.i32(rowBytes), ...op.mul, ...op.set(BASE), ...op.i32(0), ...op.set(T)],
    ...op.block,
    ...op.loop,
    ...[...op.get(T), ...op.i32(rowBytes), ...op.geU, ...op.brIf(1)],
    // j = nbr[base + t]; a -1 ends the row
    ...[...op.get(BASE), ...op.get(T), ...op.add, ...op.i32Load(L.nbr), ...op.tee(J), ...op.i32(0), ...op.ltS, ...op.brIf(1)],
    ...addToAcc(J, [...op.get(W), ...op.get(BASE), ...op.get(T), ...op.add, ...op.f32Load(L.sim), ...op.f64PromoteF32, ...op.f64Mul]),
    ...mark(J),
    ...[...op.get(T), ...op.i32(4), ...op.add, ...op.set(T), ...op.br(0)],
    ...op.end,
    ...op.end,
    ...[...op.get(X), ...op.i32(1), ...op.add, ...op.set(X), ...op.br(0)],
    ...op.end,
    ...op.end,
    // scores[j] = acc[j]; acc[j] = prior[j] for the items reached
    ...[...op.i32(0), ...op.set(T)],
    ...op.block,
    ...op.loop,
    ...[...op.get(T), ...op.get(NT), ...op.geU, ...op.brIf(1)],
    ...[...op.get(T), ...times4, ...op.i32Load(L.touched), ...times4, ...op.set(A)],
    ...[...op.get(A), ...op.get(A), ...op.f32Load(L.acc), ...op.f32Store(L.scores)],
    ...[...op.get(A), ...op.get(A), ...op.f32Load(L.prior), ...op.f32Store(L.acc)],
    ...[...op.get(T), ...op.i32(1), ...op.add, ...op.set(T), ...op.br(0)],
    ...op.end,
    ...op.end,
    ...[...op.i32(0), ...op.get(NT), ...op.i32Store(L.state)],
    ...op.get(NT),
  ];
  return { name: 'accumulate', params: [I32], results: [I32], locals: [I32, I32, I32, I32, I32, I32, I32, F64], body };
}

/** worse(a, b): item a ranks below item b (lower score, or the same score and a larger index), as util/topk.ts. */
function worseCode(L: Layout): WasmFunction {
  const [A, B, SA, SB] = [0, 1, 2, 3];
  const body = [
    ...[...op.get(A), ...scoreAt(L), ...op.set(SA), ...op.get(B), ...scoreAt(L), ...op.set(SB)],
    ...[...op.get(SA), ...op.get(SB), ...op.f32Lt],
    ...[...op.get(SA), ...op.get(SB), ...op.f32Eq, ...op.get(A), ...op.get(B), ...op.gtS, ...op.and],
    ...op.or,
  ];
  return { name: null, params: [I32, I32], results: [I32], locals: [F32, F32], body };
}

/** siftUp(pos, item): insert item at heap slot pos (the new last slot) and restore the heap upwards. */
function siftUpCode(L: Layout): WasmFunction {
  const [POS, ITEM, PARENT] = [0, 1, 2];
  const body = [
    ...op.block,
    ...op.loop,
    ...[...op.get(POS), ...op.eqz, ...op.brIf(1)],
    ...[...op.get(POS), ...op.i32(1), ...op.sub, ...op.i32(1), ...op.shrU, ...op.set(PARENT)],
    ...[...op.get(ITEM), ...op.get(PARENT), ...heapAt(L), ...op.call(FN.worse), ...op.eqz, ...op.brIf(1)],
    ...[...op.get(POS), ...times4, ...op.get(PARENT), ...heapAt(L), ...op.i32Store(L.heap)],
    ...[...op.get(PARENT), ...op.set(POS), ...op.br(0)],
    ...op.end,
    ...op.end,
    ...[...op.get(POS), ...times4, ...op.get(ITEM), ...op.i32Store(L.heap)],
  ];
  return { name: null, params: [I32, I32], results: [], locals: [I32], body };
}

/** siftDown(size, item): place item at the root of a heap of `size` and restore the heap downwards. */
function siftDownCode(L: Layout): WasmFunction {
  const [SIZE, ITEM, POS, CHILD] = [0, 1, 2, 3];
  const body = [
    ...[...op.i32(0), ...op.set(POS)],
    ...op.block,
    ...op.loop,
    ...[...op.get(POS), ...op.i32(1), ...op.shl, ...op.i32(1), ...op.add, ...op.tee(CHILD), ...op.get(SIZE), ...op.geU, ...op.brIf(1)],
    // the better child: child + 1 when it ranks above child
    ...[...op.get(CHILD), ...op.i32(1), ...op.add, ...op.get(SIZE), ...op.ltU, ...op.if],
    ...[...op.get(CHILD), ...op.i32(1), ...op.add, ...heapAt(L), ...op.get(CHILD), ...heapAt(L), ...op.call(FN.worse), ...op.if],
    ...[...op.get(CHILD), ...op.i32(1), ...op.add, ...op.set(CHILD)],
    ...op.end,
    ...op.end,
    ...[...op.get(CHILD), ...heapAt(L), ...op.get(ITEM), ...op.call(FN.worse), ...op.eqz, ...op.brIf(1)],
    ...[...op.get(POS), ...times4, ...op.get(CHILD), ...heapAt(L), ...op.i32Store(L.heap)],
    ...[...op.get(CHILD), ...op.set(POS), ...op.br(0)],
    ...op.end,
    ...op.end,
    ...[...op.get(POS), ...times4, ...op.get(ITEM), ...op.i32Store(L.heap)],
  ];
  return { name: null, params: [I32, I32], results: [], locals: [I32, I32], body };
}

/** select(nt, cap) -> size: heapOfTouched over touched[0..nt) into heap, no exclusions. */
function selectCode(L: Layout): WasmFunction {
  const [NT, CAP, T, I, S, SIZE, THR] = [0, 1, 2, 3, 4, 5, 6];
  /** thr = scores[heap[0]] */
  const rootScore = [...op.i32(0), ...heapAt(L), ...scoreAt(L), ...op.set(THR)];
  const body = [
    ...[...op.i32(0), ...op.set(T), ...op.i32(0), ...op.set(SIZE), ...op.f32MinusInfinity, ...op.set(THR)],
    ...op.block,
    ...op.loop,
    ...[...op.get(T), ...op.get(NT), ...op.geU, ...op.brIf(1)],
    ...op.block, // "continue" target
    ...[...op.get(T), ...times4, ...op.i32Load(L.touched), ...op.tee(I), ...scoreAt(L), ...op.tee(S)],
    // NaN and -Infinity never rank
    ...[...op.f32MinusInfinity, ...op.f32Gt, ...op.eqz, ...op.brIf(0)],
    ...[...op.get(SIZE), ...op.get(CAP), ...op.eq, ...op.if],
    // full: below the worst kept, or tied with it and a larger index, cannot enter
    ...[...op.get(S), ...op.get(THR), ...op.f32Lt, ...op.brIf(1)],
    ...[...op.get(S), ...op.get(THR), ...op.f32Eq, ...op.get(I), ...op.i32(0), ...heapAt(L), ...op.gtS, ...op.and, ...op.brIf(1)],
    ...[...op.get(SIZE), ...op.get(I), ...op.call(FN.siftDown), ...rootScore],
    ...op.else,
    ...[...op.get(SIZE), ...op.get(I), ...op.call(FN.siftUp), ...op.get(SIZE), ...op.i32(1), ...op.add, ...op.set(SIZE)],
    ...[...op.get(SIZE), ...op.get(CAP), ...op.eq, ...op.if, ...rootScore, ...op.end],
    ...op.end,
    ...op.end,
    ...[...op.get(T), ...op.i32(1), ...op.add, ...op.set(T), ...op.br(0)],
    ...op.end,
    ...op.end,
    ...op.get(SIZE),
  ];
  return { name: 'select', params: [I32, I32], results: [I32], locals: [I32, I32, F32, I32, F32], body };
}
