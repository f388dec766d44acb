// Run the replicate kernel over chunks of replicates, on the calling thread and `workers - 1` worker threads
// sharing its memory. Chunks are claimed with Atomics; the caller waits synchronously (the bootstrap's API
// is synchronous). A worker that fails or never starts only leaves its chunks to the caller, and a chunk's
// rows depend on nothing but the chunk, so the result is the same for any number of threads.
//   sync (Int32 at plan.sync): [next chunk, chunks done, failed workers (bit per worker), failures,
//   per chunk: its thread + 1 while claimed, -1 once done]
import { Worker } from 'node:worker_threads';

/** Where the kernel's inputs and the threads' shared counters are (byte offsets into the memory). */
export interface ChunkPlan {
  header: number;
  sync: number;
  chunks: number;
  chunkSize: number;
  replicates: number;
  scratchAt: number;
  scratchStride: number;
  workers: number;
}

type Run = (b0: number, b1: number, header: number, scratch: number) => void;

/**
 * Every chunk of replicates computed exactly once (twice for one a failed worker left half-done: the caller
 * clears its rows first), on up to plan.workers threads.
 *
 * @example
 * runChunks(replicateKernel(), memory, plan); // then read the out rows
 */
export function runChunks(module: WebAssembly.Module, memory: WebAssembly.Memory, plan: ChunkPlan, clearChunk?: (chunk: number) => void): void {
  const sync = new Int32Array(memory.buffer, plan.sync, 4 + plan.chunks);
  sync.fill(0);
  const run = new WebAssembly.Instance(module, { env: { memory } }).exports.run as Run;
  const workers: Worker[] = [];
  // At most 31 workers: failures are one bit each.
  for (let i = 1; i < Math.min(plan.workers, 32); i++) {
    try {
      const w = new Worker(new URL('./replicateWorker.mjs', import.meta.url), { workerData: { module, memory, plan: { ...plan, index: i } } });
      w.unref();
      w.on('error', () => {});
      workers.push(w);
    } catch {
      break; // Fewer threads: the caller takes their chunks.
    }
  }
  const chunkRun = (chunk: number) => {
    const b0 = chunk * plan.chunkSize;
    run(b0, Math.min(plan.replicates, b0 + plan.chunkSize), plan.header, plan.scratchAt);
    Atomics.store(sync, 4 + chunk, -1);
    Atomics.add(sync, 1, 1);
  };
  for (;;) {
    const chunk = Atomics.add(sync, 0, 1);
    if (chunk >= plan.chunks) break;
    Atomics.store(sync, 4 + chunk, 1);
    chunkRun(chunk);
  }
  // Wait for the chunks workers are still on; redo here any a failed worker left.
  let failures = 0;
  while (Atomics.load(sync, 1) < plan.chunks) {
    const seen = Atomics.load(sync, 1);
    if (Atomics.load(sync, 3) !== failures) {
      failures = Atomics.load(sync, 3);
      const failed = Atomics.load(sync, 2);
      for (let c = 0; c < plan.chunks; c++) {
        const owner = Atomics.load(sync, 4 + c);
        if (owner > 1 && (failed >>> (owner - 1)) & 1) {
          clearChunk?.(c);
          chunkRun(c);
        }
      }
      continue;
    }
    Atomics.wait(sync, 1, seen, 1000);
  }
  for (const w of workers) void w.terminate();
}
