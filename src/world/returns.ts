// Purchases decided in one session but made later: they wait here, per person, until timeline.ts
// places them on the person's timeline.

/**
 * A small growable queue of (time, item, value) for the person being simulated.
 *
 * @example
 * const pending = new PendingReturns();
 * pending.add(tMs + delayMs, item, price);
 */
export class PendingReturns {
  count = 0;
  ts = new Float64Array(16);
  item = new Int32Array(16);
  value = new Float32Array(16);

  clear(): void {
    this.count = 0;
  }

  add(tMs: number, item: number, value: number): void {
    if (this.count === this.ts.length) {
      const n = this.ts.length * 2;
      const ts = new Float64Array(n);
      const it = new Int32Array(n);
      const v = new Float32Array(n);
      ts.set(this.ts);
      it.set(this.item);
      v.set(this.value);
      this.ts = ts;
      this.item = it;
      this.value = v;
    }
    this.ts[this.count] = tMs;
    this.item[this.count] = item;
    this.value[this.count] = value;
    this.count++;
  }
}
