// Connected components of keys: union-find with path compression and union by size, plus circular
// member lists so a cluster lists in O(size) and can be dissolved and rebuilt locally.

/**
 * @example
 * const c = new Clusters(4);
 * c.union(0, 2);
 * c.find(2) === c.find(0); // true
 * c.members(0); // [0, 2] in some order
 */
export class Clusters {
  private readonly parent: Int32Array;
  private readonly size: Int32Array;
  private readonly next: Int32Array;

  constructor(readonly count: number) {
    this.parent = new Int32Array(count);
    this.size = new Int32Array(count);
    this.next = new Int32Array(count);
    this.reset();
  }

  /** Every key its own cluster. */
  reset(): void {
    for (let k = 0; k < this.count; k++) this.single(k);
  }

  find(k: number): number {
    let r = k;
    while (this.parent[r] !== r) r = this.parent[r];
    while (this.parent[k] !== r) {
      const up = this.parent[k];
      this.parent[k] = r;
      k = up;
    }
    return r;
  }

  sizeOf(k: number): number {
    return this.size[this.find(k)];
  }

  /** Merge the clusters of a and b; false when already one. */
  union(a: number, b: number): boolean {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return false;
    if (this.size[ra] < this.size[rb]) [ra, rb] = [rb, ra];
    this.parent[rb] = ra;
    this.size[ra] += this.size[rb];
    // Splice the two circular member lists.
    const t = this.next[ra];
    this.next[ra] = this.next[rb];
    this.next[rb] = t;
    return true;
  }

  forEachMember(k: number, fn: (key: number) => void): void {
    let cur = k;
    do {
      fn(cur);
      cur = this.next[cur];
    } while (cur !== k);
  }

  members(k: number): number[] {
    const out: number[] = [];
    this.forEachMember(k, (m) => out.push(m));
    return out;
  }

  /** Dissolve k's cluster into singletons and return its former members. */
  dissolve(k: number): number[] {
    const out = this.members(k);
    for (const m of out) this.single(m);
    return out;
  }

  private single(k: number): void {
    this.parent[k] = k;
    this.size[k] = 1;
    this.next[k] = k;
  }
}
