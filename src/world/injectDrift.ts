// Drift injection for real logs, so what-ifs run on real behaviour: a clock factor (behaviour replays
// faster or slower than the pipeline's refresh clock) and planted interest shifts (a share of persons
// move, from a random time on, to items of another group with matched popularity).
import type { EventLog } from '../log/eventLog.ts';
import type { DriftInjection } from '../scenario/types.ts';
import type { Rng } from '../util/rng.ts';

export interface DriftReport {
  clock: number;
  shiftedPersons: number;
  shiftedEvents: number;
  groups: number;
}

/**
 * Apply `drift` to a log. With clock 1 and no shifts the log is returned unchanged (the same object).
 *
 * Clock: t' = t0 + (t - t0) / clock, rounded to the millisecond (t0 = the first event), so clock 2 packs
 * the same behaviour into half the time and every refresh cadence sees twice as much change.
 * Shifts: items are split into `groups` random groups; within each group items are ranked by event count.
 * A chosen person (probability `share`) gets a shift time uniform over their active span and a target
 * group offset; from then on each of their events on item i (rank q of n_g in group g) moves to the item
 * of rank floor(q * n_h / n_g) in group h = (g + offset) mod groups.
 *
 * @example
 * const { log: drifted, report } = injectDrift(log, { clock: 2, shifts: { share: 0.3, groups: 20 } }, rng.fork('drift'));
 */
export function injectDrift(log: EventLog, drift: DriftInjection, rng: Rng): { log: EventLog; report: DriftReport } {
  const report: DriftReport = { clock: drift.clock, shiftedPersons: 0, shiftedEvents: 0, groups: drift.shifts?.groups ?? 0 };
  let out = log;
  if (drift.shifts && drift.shifts.share > 0) out = plantShifts(out, drift.shifts, rng.fork('shifts'), report);
  if (drift.clock !== 1 && log.length > 0) {
    const t0 = log.tsMs[0];
    const tsMs = new Float64Array(log.length);
    for (let i = 0; i < log.length; i++) tsMs[i] = t0 + Math.round((log.tsMs[i] - t0) / drift.clock);
    out = { ...out, tsMs };
  }
  return { log: out, report };
}

function plantShifts(log: EventLog, shifts: { share: number; groups: number }, rng: Rng, report: DriftReport): EventLog {
  const nItems = log.dict.item.length;
  const G = Math.min(shifts.groups, nItems);
  // Random partition of items, then popularity ranks within each group.
  const group = new Int32Array(nItems);
  const partition = rng.fork('groups');
  for (let i = 0; i < nItems; i++) group[i] = partition.int(G);
  const count = new Float64Array(nItems);
  for (let e = 0; e < log.length; e++) count[log.item[e]]++;
  const members: number[][] = Array.from({ length: G }, () => []);
  for (let i = 0; i < nItems; i++) members[group[i]].push(i);
  for (const m of members) m.sort((a, b) => count[b] - count[a] || a - b);
  const rankInGroup = new Int32Array(nItems);
  for (const m of members) m.forEach((item, q) => (rankInGroup[item] = q));

  // Each person's active span, then who shifts, when, and where to.
  const P = log.dict.person.length;
  const first = new Float64Array(P).fill(Infinity);
  const last = new Float64Array(P).fill(-Infinity);
  for (let e = 0; e < log.length; e++) {
    const p = log.person[e];
    if (p < 0) continue;
    if (log.tsMs[e] < first[p]) first[p] = log.tsMs[e];
    last[p] = log.tsMs[e];
  }
  const shiftAt = new Float64Array(P).fill(Infinity);
  const offset = new Int32Array(P);
  const who = rng.fork('persons');
  for (let p = 0; p < P; p++) {
    // Two draws per person whatever happens, so the share changes who shifts but not when.
    const u = who.float();
    const when = who.float();
    const off = 1 + who.int(G - 1);
    if (u < shifts.share && last[p] > first[p]) {
      shiftAt[p] = first[p] + when * (last[p] - first[p]);
      offset[p] = off;
      report.shiftedPersons++;
    }
  }
  const item = new Int32Array(log.item);
  for (let e = 0; e < log.length; e++) {
    const p = log.person[e];
    if (p < 0 || log.tsMs[e] < shiftAt[p]) continue;
    const i = item[e];
    const g = group[i];
    const h = (g + offset[p]) % G;
    const target = members[h];
    if (target.length === 0) continue;
    item[e] = target[Math.floor((rankInGroup[i] * target.length) / members[g].length)];
    report.shiftedEvents++;
  }
  return { ...log, item };
}
