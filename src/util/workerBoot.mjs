// Worker-thread entry in plain JavaScript: registers tsx's loader (workers do not inherit the main
// thread's), then loads the TypeScript module named in workerData.entry. Used only when running from the
// TypeScript sources; the compiled package (dist/) starts replayWorker.js directly (workers.ts startWorker).
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.entry);
