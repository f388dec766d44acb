// Blocking: which key pairs a device graph compares at all. Keys sharing the value of a blocking key
// (an IP, user agent + region + day, ...) form a block; blocks that grow past maxBlock keys (a
// carrier-NAT IP, a popular item) stop producing pairs, so the number of pairs grows linearly in keys.
import type { EventLog } from '../log/eventLog.ts';
import { fmix32 } from '../util/hash.ts';
import { blockingFields, type BlockingField } from '../scenario/resolverOptions.ts';
import { IdTable, IntVec } from './tables.ts';

const DAY_MS = 86_400_000;
const FIELD_CODE: Record<BlockingField, number> = { ip: 0, userAgent: 1, geo: 2, day: 3, item: 4 };

export interface BlockingStats {
  /** Distinct blocking values seen, and how many of them grew past maxBlock. */
  blocks: number;
  crowdedBlocks: number;
}

/**
 * Incremental blocking over events in log order. Each event yields one token per blocking key (skipped
 * when a field is absent); a key joining a block of fewer than maxBlock keys is paired with every
 * member; the key that would make it maxBlock + 1 marks it crowded instead, and the block then takes
 * no members and yields no pairs. A pair, once produced, stays a candidate.
 *
 * Crowded IPs are also recorded (`crowdedIp`) for the comparison's IP level, whether or not `ip` is a
 * blocking key: a hidden `ip` block that yields no pairs tracks them then.
 *
 * @example
 * const b = new Blocker(log, ['ip', 'userAgent+geo+day'], 30);
 * for (let i = 0; i < log.length; i++) b.add(i, (member, key, byIp) => pairs.add(member, key), (members) => markDirty(members));
 */
export class Blocker {
  /** ip id -> 1 once the IP's block holds more than maxBlock keys. */
  readonly crowdedIp: Uint8Array;
  private readonly rules: Int32Array[];
  /** Per rule: does it produce pairs (false for the hidden IP tracker)? */
  private readonly pairing: boolean[];
  private readonly ipRule: number;
  private readonly table: IdTable;
  private readonly count: IntVec;
  private readonly head: IntVec;
  private readonly nodeKey: IntVec;
  private readonly nodeNext: IntVec;
  /**
   * key * rules + r -> the last two distinct tokens the key added for rule r: repeats within a session,
   * and a phone alternating between its home IP and a carrier IP, skip the block look-up.
   */
  private readonly last: Float64Array;
  private readonly before: Float64Array;
  private crowded = 0;

  constructor(
    private readonly log: EventLog,
    blocking: readonly string[],
    private readonly maxBlock: number,
  ) {
    // One-field tokens carry the rule in 4 bits: at most 15 blocking keys besides the hidden IP tracker.
    if (blocking.length > 15) throw new RangeError(`at most 15 blocking keys (got ${blocking.length})`);
    this.rules = blocking.map((k) => Int32Array.from(blockingFields(k), (f) => FIELD_CODE[f]));
    this.pairing = this.rules.map(() => true);
    let ipRule = this.rules.findIndex((r) => r.length === 1 && r[0] === FIELD_CODE.ip);
    if (ipRule < 0 && log.signals) {
      ipRule = this.rules.length;
      this.rules.push(Int32Array.of(FIELD_CODE.ip));
      this.pairing.push(false);
    }
    this.ipRule = log.signals ? ipRule : -1;
    this.crowdedIp = new Uint8Array(log.signals?.dict.ip.length ?? 0);
    // Sized for a few blocks and memberships per key, so bulk loads rarely grow.
    const keys = Math.max(1024, log.dict.key.length);
    this.table = new IdTable(keys * this.rules.length);
    this.count = new IntVec(keys * this.rules.length);
    this.head = new IntVec(keys * this.rules.length);
    this.nodeKey = new IntVec(2 * keys * this.rules.length);
    this.nodeNext = new IntVec(2 * keys * this.rules.length);
    this.last = new Float64Array(log.dict.key.length * this.rules.length).fill(-1);
    this.before = new Float64Array(log.dict.key.length * this.rules.length).fill(-1);
  }

  /**
   * Add event i: `onPair(member, key, byIp)` for each new pair (byIp: from the plain `ip` blocking key),
   * `onCrowdedIp(members)` when an IP's block becomes crowded (those keys' IP comparisons change).
   */
  add(i: number, onPair: (a: number, b: number, byIp: boolean) => void, onCrowdedIp: (members: number[]) => void): void {
    const k = this.log.key[i];
    const R = this.rules.length;
    for (let r = 0; r < R; r++) {
      const token = this.token(r, i);
      if (token < 0) continue;
      const slot = k * R + r;
      const last = this.last[slot];
      if (last === token) continue;
      this.last[slot] = token;
      if (this.before[slot] === token) {
        this.before[slot] = last;
        continue;
      }
      this.before[slot] = last;
      const b = this.table.idOf(token);
      if (this.table.created) {
        this.count.push(0);
        this.head.push(-1);
      }
      const n = this.count.data[b];
      if (n > this.maxBlock) continue;
      let found = false;
      for (let node = this.head.data[b]; node >= 0; node = this.nodeNext.data[node]) {
        if (this.nodeKey.data[node] === k) {
          found = true;
          break;
        }
      }
      if (found) continue;
      if (n === this.maxBlock) {
        this.count.data[b] = n + 1;
        this.crowded++;
        if (r === this.ipRule) {
          this.crowdedIp[this.log.signals!.ip[i]] = 1;
          const members: number[] = [];
          for (let node = this.head.data[b]; node >= 0; node = this.nodeNext.data[node]) members.push(this.nodeKey.data[node]);
          onCrowdedIp(members);
        }
        // The block's members are no longer needed.
        this.head.data[b] = -1;
        continue;
      }
      if (this.pairing[r]) {
        const byIp = r === this.ipRule;
        for (let node = this.head.data[b]; node >= 0; node = this.nodeNext.data[node]) onPair(this.nodeKey.data[node], k, byIp);
      }
      const node = this.nodeKey.push(k);
      this.nodeNext.push(this.head.data[b]);
      this.head.data[b] = node;
      this.count.data[b] = n + 1;
    }
  }

  stats(): BlockingStats {
    return { blocks: this.table.size, crowdedBlocks: this.crowded };
  }

  /**
   * A token for rule r on event i, or -1 when one of its fields is absent. A one-field rule's token is
   * exact (value x 16 + rule); combinations hash to 52 bits (a collision merges two blocks: about once
   * in 10^15 pairs of values).
   */
  private token(r: number, i: number): number {
    const fields = this.rules[r];
    if (fields.length === 1) {
      const v = this.value(fields[0], i);
      return v < 0 ? -1 : v * 16 + r;
    }
    let h1 = fmix32(0x243f6a88 ^ r);
    let h2 = fmix32(0x85a308d3 + r);
    for (let j = 0; j < fields.length; j++) {
      const v = this.value(fields[j], i);
      if (v < 0) return -1;
      h1 = fmix32((h1 ^ v) + 0x9e3779b9);
      h2 = fmix32(Math.imul(h2 ^ v, 0x27d4eb2f) + 0x165667b1);
    }
    // Above every one-field token (< 2^36), below 2^53.
    return 2 ** 36 + h1 * 1048576 + (h2 & 0xfffff);
  }

  /** Field f (FIELD_CODE) of event i; negative when absent. */
  private value(f: number, i: number): number {
    const { log } = this;
    const sig = log.signals;
    switch (f) {
      case 0:
        return sig ? sig.ip[i] : -1;
      case 1:
        return sig ? sig.userAgent[i] : -1;
      case 2:
        return sig ? sig.geo[i] : -1;
      case 3:
        return Math.floor(log.tsMs[i] / DAY_MS);
      default:
        return log.item[i];
    }
  }
}
