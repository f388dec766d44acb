// The comparison vector of two keys (Fellegi-Sunter's gamma): for each field an agreement level computed
// from both keys' visible events. Fields: shared IPs, user agent, region, time pattern, shared items.
import type { EventLog } from '../log/eventLog.ts';

const UA_LEVELS = ['differs', 'family', 'same', 'unknown'] as const;
const TIME_LEVELS = ['concurrent', 'far', 'sequential', 'interleaved'] as const;

/**
 * Fields and their levels, weakest to strongest agreement. Each field also has a "missing" slot (index
 * levels.length) for keys without that signal; missing fields carry no evidence (m = u = 1).
 *
 * - ip: none shared; only crowded IPs shared (more keys than maxBlock: carrier NAT); one; several.
 * - device: user agent x time pattern, one field because the two interact: a churned cookie of the same
 *   browser has the same user agent and follows the old one in time, a person's other device has
 *   another user agent and interleaves; household members' keys show neither pattern more than chance.
 *   User agent: differs; same family (the part before the first `/`, e.g. the OS); the same; unknown
 *   (a key without one). Time: concurrent (events of both within CONCURRENT_MS: one person does not
 *   browse on two keys at once); far (activity spans more than FAR_MS apart); sequential (one key's
 *   span ends before the other's begins, within FAR_MS); interleaved (overlapping spans, never concurrent).
 * - geo: no region in common; a region in common.
 * - items: distinct items both keys touched: 0, 1, 2-3, 4 or more.
 */
export const COMPARISON_FIELDS = [
  { name: 'ip', levels: ['none', 'crowded', 'one', 'several'] },
  { name: 'device', levels: UA_LEVELS.flatMap((ua) => TIME_LEVELS.map((t) => `${ua}/${t}`)) },
  { name: 'geo', levels: ['differs', 'same'] },
  { name: 'items', levels: ['none', 'one', 'some', 'many'] },
] as const;

const CONCURRENT_MS = 10 * 60_000;
const FAR_MS = 14 * 86_400_000;
/**
 * Only a key's newest events enter comparisons (its activity span still starts at its first event), so a
 * long-lived or bot-like key costs the same as an ordinary one.
 */
const MAX_COMPARED_EVENTS = 200;

/** Slots per field (levels + missing) and the mixed-radix pattern code of a comparison vector. */
export const FIELD_SLOTS = COMPARISON_FIELDS.map((f) => f.levels.length + 1);
export const PATTERNS = FIELD_SLOTS.reduce((a, b) => a * b, 1);
const [IP_SLOTS, , GEO_SLOTS] = FIELD_SLOTS;
const IP = 0;
const UA = 1;
const GEO = 2;
const UA_UNKNOWN = 3;

/** Level of field f in pattern p (levels.length = missing). */
export function patternLevel(p: number, f: number): number {
  for (let g = COMPARISON_FIELDS.length - 1; g > f; g--) p = Math.floor(p / FIELD_SLOTS[g]);
  return p % FIELD_SLOTS[f];
}

/** The pattern code of per-field levels. */
export function patternOf(levels: readonly number[]): number {
  let p = 0;
  for (let f = 0; f < FIELD_SLOTS.length; f++) p = p * FIELD_SLOTS[f] + levels[f];
  return p;
}

/** Ints in a key-major row (see KeyRows): time, item, login, ip, userAgent, geo at offsets 0 to 5. */
const ROW_WIDTH = 6;

/**
 * Events as key-major rows of ROW_WIDTH ints, appended as they become visible: key k's visible events
 * are rows offsets[k] .. offsets[k] + count[k] - 1, in time order. `time` is whole seconds since the log's
 * first event; absent signals are -1. The events of a key sit scattered over a time-sorted log; one
 * contiguous run of rows per key makes comparing two keys two short sequential scans instead of a cache
 * miss per event and column.
 *
 * @example
 * const rows = new KeyRows(log);
 * for (let i = 0; i < bound; i++) rows.append(i);
 * rows.rows[rows.offsets[k] * ROW_WIDTH + 1]; // key k's first item (offset 1)
 */
export class KeyRows {
  /** Row range of each key: offsets[k] .. offsets[k + 1] - 1 once all its events are appended. */
  readonly offsets: Int32Array;
  readonly rows: Int32Array;
  /** key -> rows appended so far (its visible events). */
  readonly count: Int32Array;
  private readonly baseMs: number;

  constructor(private readonly log: EventLog) {
    const keys = log.dict.key.length;
    const offsets = new Int32Array(keys + 1);
    for (let i = 0; i < log.length; i++) offsets[log.key[i] + 1]++;
    for (let k = 0; k < keys; k++) offsets[k + 1] += offsets[k];
    this.offsets = offsets;
    this.rows = new Int32Array(log.length * ROW_WIDTH);
    this.count = new Int32Array(keys);
    this.baseMs = log.length ? log.tsMs[0] : 0;
  }

  /** Append event i; events must be appended in log order. */
  append(i: number): void {
    const { log, rows } = this;
    const k = log.key[i];
    const r = (this.offsets[k] + this.count[k]++) * ROW_WIDTH;
    rows[r] = Math.min(2 ** 31 - 1, Math.floor((log.tsMs[i] - this.baseMs) / 1000));
    rows[r + 1] = log.item[i];
    rows[r + 2] = log.login[i];
    const sig = log.signals;
    rows[r + 3] = sig ? sig.ip[i] : -1;
    rows[r + 4] = sig ? sig.userAgent[i] : -1;
    rows[r + 5] = sig ? sig.geo[i] : -1;
  }
}

const CONCURRENT_S = CONCURRENT_MS / 1000;
const FAR_S = FAR_MS / 1000;

/**
 * Compares one loaded key with many others, reusing marks in dictionary-sized arrays (no allocation per
 * pair). A key's events are its rows appended so far, of which the newest MAX_COMPARED_EVENTS are
 * compared. Cost per pair: O(events of b x log gap) after O(events of a) to load a.
 *
 * @example
 * const cmp = new KeyComparer(log, rows, crowdedIp);
 * cmp.load(a);
 * const pattern = cmp.compare(b); cmp.conflict; // true when both logged in, as different logins
 */
export class KeyComparer {
  /** Set by compare: both keys logged in and share no login (two accounts, not one person). */
  conflict = false;
  private stamp = 0;
  private readonly ipMark: Int32Array;
  private readonly ipSeen: Int32Array;
  private readonly uaMark: Int32Array;
  private readonly familyMark: Int32Array;
  private readonly uaFamily: Int32Array;
  private readonly geoMark: Int32Array;
  private readonly loginMark: Int32Array;
  private readonly itemMark: Int32Array;
  private readonly itemSeen: Int32Array;
  /** The loaded key's compared times (seconds), for the nearest-event search. */
  private readonly times = new Int32Array(MAX_COMPARED_EVENTS);
  // The loaded key a.
  private aStamp = 0;
  private aCount = 0;
  private aStart = 0;
  private aHas = 0;
  private aLogged = false;

  constructor(
    log: EventLog,
    private readonly km: KeyRows,
    /** ip id -> 1 when the IP is crowded (more keys than maxBlock). */
    private readonly crowdedIp: Uint8Array,
  ) {
    const sig = log.signals;
    this.ipMark = new Int32Array(sig?.dict.ip.length ?? 0);
    this.ipSeen = new Int32Array(sig?.dict.ip.length ?? 0);
    this.uaMark = new Int32Array(sig?.dict.userAgent.length ?? 0);
    const families = new Map<string, number>();
    this.uaFamily = Int32Array.from(sig?.dict.userAgent ?? [], (ua) => {
      const name = ua.split('/')[0];
      let id = families.get(name);
      if (id === undefined) families.set(name, (id = families.size));
      return id;
    });
    this.familyMark = new Int32Array(families.size);
    this.geoMark = new Int32Array(sig?.dict.geo.length ?? 0);
    this.loginMark = new Int32Array(log.dict.login.length);
    this.itemMark = new Int32Array(log.dict.item.length);
    this.itemSeen = new Int32Array(log.dict.item.length);
  }

  /** Mark key a's signals, logins and items; later compare(b) calls compare b with a. */
  load(a: number): void {
    const { rows } = this.km;
    const { itemMark, loginMark, ipMark, uaMark, familyMark, uaFamily, geoMark, times } = this;
    const start = this.km.offsets[a];
    const to = start + this.km.count[a];
    const from = Math.max(start, to - MAX_COMPARED_EVENTS);
    const s = (this.aStamp = ++this.stamp);
    let has = 0;
    let logged = false;
    let lastIp = -2;
    let lastUa = -2;
    let lastGeo = -2;
    for (let j = from, t = 0; j < to; j++, t++) {
      const r = j * ROW_WIDTH;
      times[t] = rows[r];
      itemMark[rows[r + 1]] = s;
      const l = rows[r + 2];
      if (l >= 0) {
        loginMark[l] = s;
        logged = true;
      }
      // Signals repeat within a session: mark a value only when it changes.
      const ip = rows[r + 3];
      if (ip !== lastIp && (lastIp = ip) >= 0) {
        ipMark[ip] = s;
        has |= 1 << IP;
      }
      const ua = rows[r + 4];
      if (ua !== lastUa && (lastUa = ua) >= 0) {
        uaMark[ua] = s;
        familyMark[uaFamily[ua]] = s;
        has |= 1 << UA;
      }
      const g = rows[r + 5];
      if (g !== lastGeo && (lastGeo = g) >= 0) {
        geoMark[g] = s;
        has |= 1 << GEO;
      }
    }
    this.aCount = to - from;
    this.aStart = to > start ? rows[start * ROW_WIDTH] : 0;
    this.aHas = has;
    this.aLogged = logged;
  }

  /** The pattern code of (loaded a, b); also sets `conflict`. */
  compare(b: number): number {
    const { rows } = this.km;
    const { itemMark, itemSeen, loginMark, ipMark, ipSeen, crowdedIp, uaMark, familyMark, uaFamily, geoMark, times } = this;
    const start = this.km.offsets[b];
    const to = start + this.km.count[b];
    const from = Math.max(start, to - MAX_COMPARED_EVENTS);
    const na = this.aCount;
    const sa = this.aStamp;
    const sb = ++this.stamp;
    let items = 0;
    let logged = false;
    let loginShared = false;
    let has = 0;
    let ipRare = 0;
    let ipCrowded = 0;
    let ua = 0;
    let geo = 0;
    let lastIp = -2;
    let lastUa = -2;
    let lastGeo = -2;
    let minGap = 2 ** 31;
    let i = 0;
    for (let j = from; j < to; j++) {
      const r = j * ROW_WIDTH;
      const item = rows[r + 1];
      if (itemMark[item] === sa && itemSeen[item] !== sb) {
        itemSeen[item] = sb;
        items++;
      }
      const l = rows[r + 2];
      if (l >= 0) {
        logged = true;
        if (loginMark[l] === sa) loginShared = true;
      }
      const ip = rows[r + 3];
      if (ip !== lastIp && (lastIp = ip) >= 0) {
        has |= 1 << IP;
        if (ipMark[ip] === sa && ipSeen[ip] !== sb) {
          ipSeen[ip] = sb;
          if (crowdedIp[ip]) ipCrowded++;
          else ipRare++;
        }
      }
      const u = rows[r + 4];
      if (u !== lastUa && (lastUa = u) >= 0) {
        has |= 1 << UA;
        if (uaMark[u] === sa) ua = 2;
        else if (ua === 0 && familyMark[uaFamily[u]] === sa) ua = 1;
      }
      const g = rows[r + 5];
      if (g !== lastGeo && (lastGeo = g) >= 0) {
        has |= 1 << GEO;
        if (geoMark[g] === sa) geo = 1;
      }
      // Nearest event of a in time: both ascending, so gallop from the last position.
      if (minGap < CONCURRENT_S) continue;
      const t = rows[r];
      let lo = i;
      let step = 1;
      while (lo + step < na && times[lo + step] < t) {
        lo += step;
        step *= 2;
      }
      let hi = Math.min(na, lo + step + 1);
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (times[mid] < t) lo = mid + 1;
        else hi = mid;
      }
      i = lo;
      if (i < na && times[i] - t < minGap) minGap = times[i] - t;
      if (i > 0 && t - times[i - 1] < minGap) minGap = t - times[i - 1];
    }
    this.conflict = this.aLogged && logged && !loginShared;

    const both = this.aHas & has;
    const ipLevel = !(both & (1 << IP)) ? IP_SLOTS - 1 : ipRare >= 2 ? 3 : ipRare === 1 ? 2 : ipCrowded > 0 ? 1 : 0;
    const uaLevel = !(both & (1 << UA)) ? UA_UNKNOWN : ua;
    const geoLevel = !(both & (1 << GEO)) ? GEO_SLOTS - 1 : geo;
    let timeLevel = 3;
    if (na > 0 && to > from) {
      const a0 = this.aStart;
      const a1 = times[na - 1];
      const b0 = rows[start * ROW_WIDTH];
      const b1 = rows[(to - 1) * ROW_WIDTH];
      if (minGap < CONCURRENT_S) timeLevel = 0;
      else if (b1 < a0 || a1 < b0) timeLevel = Math.max(b0 - a1, a0 - b1) > FAR_S ? 1 : 2;
    }
    const itemLevel = items >= 4 ? 3 : items >= 2 ? 2 : items;
    return patternOf4(ipLevel, uaLevel * TIME_LEVELS.length + timeLevel, geoLevel, itemLevel);
  }
}

function patternOf4(ip: number, device: number, geo: number, items: number): number {
  return ((ip * FIELD_SLOTS[1] + device) * FIELD_SLOTS[2] + geo) * FIELD_SLOTS[3] + items;
}
