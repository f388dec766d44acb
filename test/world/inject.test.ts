// Fragmentation and drift injected into logs (issue: real logs get the same what-ifs as worlds).
import { describe, expect, it } from 'vitest';
import { generateWorld } from '../../src/world/generate.ts';
import { injectFragmentation } from '../../src/world/fragment.ts';
import { injectDrift } from '../../src/world/injectDrift.ts';
import { DEFAULT_WORLD, type WorldSpec } from '../../src/scenario/worldSpec.ts';
import { Rng } from '../../src/util/rng.ts';
import { logFromRows } from '../../src/log/eventLog.ts';
import { runScenario } from '../../src/run/run.ts';
import { silentReporter } from '../../src/util/progress.ts';
import { smallScenario } from '../helpers.ts';

const spec: WorldSpec = { ...DEFAULT_WORLD, persons: 800, items: 300, categories: 10, days: 28, identity: { ...DEFAULT_WORLD.identity, fragmented: false } };
const whole = generateWorld(spec, Rng.fromSeed(5).fork('world')).log;

describe('injectFragmentation', () => {
  const { log, report } = injectFragmentation(whole, DEFAULT_WORLD.identity, Rng.fromSeed(9).fork('fragment'));

  it('changes only key, login and channel', async () => {
    for (const c of ['tsMs', 'person', 'session', 'item', 'type', 'value'] as const) expect(log[c]).toBe(whole[c]);
    expect(report.keysBefore).toBe(800);
    expect(report.keysAfter).toBeGreaterThan(1.5 * 800);
    expect(report.unknownPersonEvents).toBe(0);
  });

  it('keeps one key per session and truthful logins', async () => {
    const keyOf = new Map<number, number>();
    for (let i = 0; i < log.length; i++) {
      const s = log.session[i];
      if (!keyOf.has(s)) keyOf.set(s, log.key[i]);
      expect(log.key[i]).toBe(keyOf.get(s));
      if (log.login[i] >= 0) expect(log.dict.login[log.login[i]]).toBe(`login:${log.dict.person[log.person[i]]}`);
    }
  });

  it('is deterministic for a seed', async () => {
    const again = injectFragmentation(whole, DEFAULT_WORLD.identity, Rng.fromSeed(9).fork('fragment')).log;
    expect(again.key).toEqual(log.key);
    expect(injectFragmentation(whole, DEFAULT_WORLD.identity, Rng.fromSeed(10).fork('fragment')).log.key).not.toEqual(log.key);
  });

  it('leaves oracle-identity metrics identical to the unfragmented log, request by request', async () => {
    const scenario = smallScenario({
      pipelines: '  - { name: o, refresh: 7d, latency: 6h, identity: oracle }\n  - { name: k, refresh: 7d, latency: 6h, identity: key }',
      eval: '{ k: [10], window: 5d, bootstrap: 0 }',
    });
    const a = await runScenario(scenario, { log: whole, reporter: silentReporter() });
    const b = await runScenario(scenario, { log, reporter: silentReporter() });
    for (let m = 0; m < a.models.length; m++) expect(b.sources[b.plans[0].source].metrics[m]).toEqual(a.sources[a.plans[0].source].metrics[m]);
    // ...while key-level serving now loses to fragmentation.
    const gap = (r: typeof a) => r.results.results.find((x) => x.model === 'knn' && x.pipeline === 'k')!.metrics['ndcg@10'].gap.mean;
    expect(gap(b)).toBeGreaterThan(gap(a) + 0.01);
  });

  it('keeps events of unknown persons on their original key', async () => {
    const tiny = logFromRows([
      { t: 1, person: 'A', key: 'A', item: 'x', type: 'view', session: 0 },
      { t: 2, key: 'anon', item: 'y', type: 'view', session: 1 },
    ]);
    const { log: f, report: r } = injectFragmentation(tiny, DEFAULT_WORLD.identity, Rng.fromSeed(1));
    expect(r.unknownPersonEvents).toBe(1);
    expect(f.dict.key[f.key[1]]).toBe('orig:anon');
    expect(f.login[1]).toBe(-1);
  });
});

describe('injectDrift', () => {
  it('with zero settings leaves the log unchanged, event for event', async () => {
    const r = injectDrift(whole, { clock: 1, shifts: null }, Rng.fromSeed(1));
    expect(r.log).toBe(whole);
    const zeroShare = injectDrift(whole, { clock: 1, shifts: { share: 0, groups: 20 } }, Rng.fromSeed(1));
    expect(zeroShare.log.item).toEqual(whole.item);
    expect(zeroShare.log.tsMs).toEqual(whole.tsMs);
    expect(zeroShare.report.shiftedEvents).toBe(0);
  });

  it('clock 2 packs the same behaviour into half the time', async () => {
    const { log } = injectDrift(whole, { clock: 2, shifts: null }, Rng.fromSeed(1));
    const t0 = whole.tsMs[0];
    for (let i = 0; i < whole.length; i += 997) expect(log.tsMs[i]).toBe(t0 + Math.round((whole.tsMs[i] - t0) / 2));
    expect(log.item).toBe(whole.item);
    for (let i = 1; i < log.length; i++) if (log.tsMs[i] < log.tsMs[i - 1]) throw new Error('order broken');
  });

  it('planted shifts move later events of chosen persons to another group, earlier ones stay', async () => {
    const { log, report } = injectDrift(whole, { clock: 1, shifts: { share: 0.5, groups: 8 } }, Rng.fromSeed(3));
    expect(report.shiftedPersons / 800).toBeGreaterThan(0.4);
    expect(report.shiftedPersons / 800).toBeLessThan(0.6);
    // For every person, changed events all come after unchanged ones.
    const lastSame = new Float64Array(800).fill(-Infinity);
    const firstChanged = new Float64Array(800).fill(Infinity);
    let changed = 0;
    for (let i = 0; i < log.length; i++) {
      const p = log.person[i];
      if (log.item[i] !== whole.item[i]) {
        changed++;
        firstChanged[p] = Math.min(firstChanged[p], log.tsMs[i]);
      } else lastSame[p] = Math.max(lastSame[p], log.tsMs[i]);
    }
    expect(changed).toBe(report.shiftedEvents);
    for (let p = 0; p < 800; p++) if (firstChanged[p] < Infinity) expect(lastSame[p]).toBeLessThan(firstChanged[p]);
    expect(changed).toBeGreaterThan(0.1 * log.length);
    // Popularity is matched: the shifted log's item-count distribution stays close to the original one.
    const counts = (items: Int32Array) => {
      const c = new Array(300).fill(0);
      for (const i of items) c[i]++;
      return c.sort((a: number, b: number) => b - a);
    };
    const a = counts(whole.item);
    const b = counts(log.item);
    const top = (c: number[]) => c.slice(0, 30).reduce((x, y) => x + y, 0) / log.length;
    expect(Math.abs(top(a) - top(b))).toBeLessThan(0.05);
  });
});
