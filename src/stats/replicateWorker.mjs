// Worker thread of runChunks (replicateThreads.ts), in plain JavaScript so that it starts without a loader:
// instantiate the kernel on the shared memory and claim chunks of replicates until none is left.
import { workerData } from 'node:worker_threads';

const { module, memory, plan } = workerData;
const sync = new Int32Array(memory.buffer, plan.sync, 4 + plan.chunks);
const scratch = plan.scratchAt + plan.index * plan.scratchStride;
try {
  const { run } = new WebAssembly.Instance(module, { env: { memory } }).exports;
  for (;;) {
    const chunk = Atomics.add(sync, 0, 1);
    if (chunk >= plan.chunks) break;
    Atomics.store(sync, 4 + chunk, plan.index + 1);
    const b0 = chunk * plan.chunkSize;
    run(b0, Math.min(plan.replicates, b0 + plan.chunkSize), plan.header, scratch);
    Atomics.store(sync, 4 + chunk, -1);
    Atomics.add(sync, 1, 1);
    Atomics.notify(sync, 1);
  }
} catch {
  // The calling thread redoes the chunk this worker claimed and did not finish.
  Atomics.or(sync, 2, 1 << plan.index);
  Atomics.add(sync, 3, 1);
  Atomics.notify(sync, 1);
}
