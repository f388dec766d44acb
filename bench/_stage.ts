// One line per timed step of a bench: wall and CPU seconds (all threads of the process) and the resident memory
// after it. Shared by the benches that time a sequence of stages (report.ts, windowCheck.ts).

/** The step's result; prints `label  wall x s  cpu y s  rss z MiB` with the label padded to `width`. */
export function timeStep<T>(label: string, f: () => T, width = 34): T {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const out = f();
  line(label, width, t0, c0);
  return out;
}

/** timeStep for an asynchronous step. */
export async function timeStepAsync<T>(label: string, f: () => T | Promise<T>, width = 34): Promise<T> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const out = await f();
  line(label, width, t0, c0);
  return out;
}

function line(label: string, width: number, t0: number, c0: NodeJS.CpuUsage): void {
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  const rss = process.memoryUsage().rss / 2 ** 20;
  console.log(
    `${label.padEnd(width)} wall ${wall.toFixed(2).padStart(6)} s  cpu ${((c.user + c.system) / 1e6).toFixed(2).padStart(6)} s  rss ${rss.toFixed(0)} MiB`,
  );
}
