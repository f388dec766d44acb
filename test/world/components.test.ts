import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/util/rng.ts';
import { diurnalFactor, nextSessionStart, viewsInSession } from '../../src/world/activity.ts';
import { BehaviorLog } from '../../src/world/behaviorLog.ts';
import { CENTROID_NORM, maxCoherence, spreadDirections } from '../../src/world/centroids.ts';
import { drawCatalog } from '../../src/world/items.ts';
import { ActivePromotions, drawPromotions } from '../../src/world/promotions.ts';
import { PendingReturns } from '../../src/world/returns.ts';
import { drawSeasonality, seasonalTerm } from '../../src/world/seasonality.ts';
import { TasteDrift } from '../../src/world/taste.ts';
import { placeReturns } from '../../src/world/timeline.ts';
import { DAY_MS, smallSpec } from './helpers.ts';

const MIN = 60_000;

describe('centroids', () => {
  it('are orthonormal when there are no more categories than dimensions', () => {
    const dirs = spreadDirections(8, 16, Rng.fromSeed(1));
    expect(maxCoherence(dirs, 8, 16)).toBeLessThan(1e-12);
  });

  it('are spread further apart than random directions otherwise', () => {
    const dirs = spreadDirections(30, 16, Rng.fromSeed(1));
    let sum = 0;
    let pairs = 0;
    for (let a = 0; a < 30; a++)
      for (let b = a + 1; b < 30; b++) {
        let cos = 0;
        for (let j = 0; j < 16; j++) cos += dirs[a * 16 + j] * dirs[b * 16 + j];
        sum += cos * cos;
        pairs++;
      }
    // Random unit vectors in 16 dimensions: RMS cos 0.25; the Welch bound: 0.174.
    expect(Math.sqrt(sum / pairs)).toBeLessThan(0.19);
  });

  it('are scaled to CENTROID_NORM in the catalogue, with items around them', () => {
    const spec = smallSpec();
    const catalog = drawCatalog(spec, Rng.fromSeed(3));
    let norm = 0;
    for (let j = 0; j < spec.dim; j++) norm += catalog.centroids[j] ** 2;
    expect(Math.sqrt(norm)).toBeCloseTo(CENTROID_NORM, 9);
    // Mean item offset from its centroid has norm about itemNoise * CENTROID_NORM.
    let offset = 0;
    for (let i = 0; i < spec.items; i++) {
      const c = catalog.category[i];
      let s = 0;
      for (let j = 0; j < spec.dim; j++) s += (catalog.vectors[i * spec.dim + j] - catalog.centroids[c * spec.dim + j]) ** 2;
      offset += s / spec.items;
    }
    expect(Math.sqrt(offset)).toBeCloseTo(spec.itemNoise * CENTROID_NORM, 1);
  });
});

describe('TasteDrift (Ornstein-Uhlenbeck in norm units)', () => {
  const spec = smallSpec();
  const catalog = drawCatalog(spec, Rng.fromSeed(3));
  const d = spec.dim;

  it('starts at its stationary norm and decays by exp(-kappa D)', () => {
    const drift = new TasteDrift({ kappa: 0.5, sigma: 2, shiftRate: 0, shiftStrength: 0 }, catalog);
    expect(drift.stationaryNorm).toBeCloseTo(2, 12);
    const rng = Rng.fromSeed(5);
    const x = new Float64Array(d);
    let sq = 0;
    let lagged = 0;
    const n = 4000;
    for (let k = 0; k < n; k++) {
      drift.start(x, rng);
      const before = Float64Array.from(x);
      for (let j = 0; j < d; j++) sq += (x[j] * x[j]) / n;
      drift.advance(x, 2, rng);
      for (let j = 0; j < d; j++) lagged += (before[j] * x[j]) / n;
    }
    expect(sq).toBeCloseTo(4, 0); // E|x|^2 = sigma^2 / (2 kappa)
    expect(lagged / sq).toBeCloseTo(Math.exp(-0.5 * 2), 1);
  });

  it('keeps x at 0 without drift, and moves it toward a category on a regime shift', () => {
    const still = new TasteDrift({ kappa: 0, sigma: 3, shiftRate: 0, shiftStrength: 1 }, catalog);
    const x = new Float64Array(d);
    const rng = Rng.fromSeed(6);
    still.start(x, rng);
    still.advance(x, 30, rng);
    expect(Array.from(x).every((v) => v === 0)).toBe(true);
    // Step until the first shift happens: x is then shiftStrength times one centroid's direction.
    const shifting = new TasteDrift({ kappa: 0, sigma: 0, shiftRate: 1, shiftStrength: 1.5 }, catalog);
    let steps = 0;
    while (x.every((v) => v === 0) && steps++ < 1000) shifting.advance(x, 0.1, rng);
    let norm = 0;
    for (let j = 0; j < d; j++) norm += x[j] * x[j];
    let best = -Infinity;
    for (let c = 0; c < spec.categories; c++) {
      let dot = 0;
      for (let j = 0; j < d; j++) dot += x[j] * catalog.centroids[c * d + j];
      best = Math.max(best, dot / CENTROID_NORM);
    }
    expect(Math.sqrt(norm)).toBeCloseTo(1.5, 9);
    expect(best).toBeCloseTo(1.5, 9);
  });
});

describe('activity', () => {
  it('has a diurnal factor with mean 1 and an evening peak', () => {
    let mean = 0;
    for (let h = 0; h < 24; h++) mean += diurnalFactor(h * 3_600_000) / 24;
    expect(mean).toBeCloseTo(1, 12);
    expect(diurnalFactor(20 * 3_600_000)).toBeGreaterThan(diurnalFactor(4 * 3_600_000) * 5);
  });

  it('draws sessions at the configured mean rate, with or without the diurnal pattern', () => {
    for (const diurnal of [false, true]) {
      const rng = Rng.fromSeed(8);
      let t = 0;
      let n = 0;
      const end = 4000 * DAY_MS;
      while ((t = nextSessionStart(t, 0.5, diurnal, end, rng)) < end) n++;
      expect(n / 4000).toBeCloseTo(0.5, 1);
    }
  });

  it('draws 1 + geometric views with the configured mean', () => {
    const rng = Rng.fromSeed(9);
    let sum = 0;
    let min = Infinity;
    for (let k = 0; k < 20000; k++) {
      const v = viewsInSession(4, rng);
      sum += v;
      min = Math.min(min, v);
    }
    expect(min).toBe(1);
    expect(sum / 20000).toBeCloseTo(4, 1);
    expect(viewsInSession(1, rng)).toBe(1);
  });
});

describe('placeReturns', () => {
  it('joins a nearby session, groups close purchases, and opens return sessions otherwise', () => {
    const log = new BehaviorLog(16, 4);
    const s0 = log.openSession(0, 0);
    log.addEvent(0, 1, 0, 1, s0);
    log.addEvent(5 * MIN, 2, 0, 1, s0);
    const s1 = log.openSession(0, 10 * 60 * MIN);
    log.addEvent(10 * 60 * MIN, 3, 0, 1, s1);
    const pending = new PendingReturns();
    pending.add(5 * 60 * MIN + 10 * MIN, 7, 9.5); // far from both: a return session
    pending.add(20 * MIN, 8, 3); // 15 minutes after s0 ends: joins s0
    pending.add(5 * 60 * MIN, 9, 4); // 10 minutes before the other return purchase: same return session
    pending.add(10 * 60 * MIN - 20 * MIN, 6, 2); // 20 minutes before s1 starts: joins s1
    placeReturns(log, 0, 0, pending);
    expect(pending.count).toBe(0);
    expect(log.sessions).toBe(3);
    const sessionOf = (item: number) => log.session[Array.from(log.item.subarray(0, log.events)).indexOf(item)];
    expect(sessionOf(8)).toBe(s0);
    expect(sessionOf(6)).toBe(s1);
    expect(sessionOf(9)).toBe(2);
    expect(sessionOf(7)).toBe(2);
    expect(log.sessionStart[s1]).toBe(10 * 60 * MIN - 20 * MIN);
    expect(log.value[Array.from(log.item.subarray(0, log.events)).indexOf(7)]).toBe(9.5);
  });
});

describe('promotions and seasonality', () => {
  const spec = smallSpec({
    promotions: { count: 2, durationMs: 2 * DAY_MS, itemsPerPromotion: 10, boost: 1.5 },
    seasonality: { amplitude: 0.5, periodMs: 7 * DAY_MS },
  });
  const catalog = drawCatalog(spec, Rng.fromSeed(3));

  it('boosts the promoted items only while a promotion runs, and lifts their categories', () => {
    const promos = drawPromotions(spec, catalog, Rng.fromSeed(4));
    const active = new ActivePromotions(promos, catalog);
    const during = (promos.startMs[0] + promos.endMs[0]) / 2;
    active.at(during);
    const promoted = promos.items.subarray(0, promos.perPromotion);
    for (const i of promoted) expect(active.itemBoost[i]).toBeGreaterThanOrEqual(1.5);
    expect(active.categoryBoost[catalog.category[promoted[0]]]).toBeGreaterThan(0);
    active.at(promos.endMs[0] + promos.endMs[1] + 1); // after both
    expect(active.itemBoost.every((b) => b === 0)).toBe(true);
    expect(active.categoryBoost.every((b) => b === 0)).toBe(true);
    expect(promos.endMs[0] - promos.startMs[0]).toBe(2 * DAY_MS);
    expect(promos.startMs[0]).toBeGreaterThanOrEqual(spec.startMs);
  });

  it('moves categories sinusoidally with the configured amplitude and period', () => {
    const season = drawSeasonality(spec, Rng.fromSeed(5));
    const t = spec.startMs + 1.3 * DAY_MS;
    expect(seasonalTerm(season, 2, t)).toBeCloseTo(seasonalTerm(season, 2, t + 7 * DAY_MS), 9);
    expect(Math.abs(seasonalTerm(season, 2, t))).toBeLessThanOrEqual(0.5);
    expect(seasonalTerm({ ...season, amplitude: 0 }, 2, t)).toBe(0);
  });
});

describe('regime shifts', () => {
  const spec = smallSpec();
  const catalog = drawCatalog(spec, Rng.fromSeed(3));

  it('revert at rate kappa even without noise, and persist with kappa = 0', () => {
    const rng = Rng.fromSeed(12);
    for (const kappa of [0.5, 0]) {
      const drift = new TasteDrift({ kappa, sigma: 0, shiftRate: 1, shiftStrength: 1.5 }, catalog);
      const x = new Float64Array(spec.dim);
      while (x.every((v) => v === 0)) drift.advance(x, 0.1, rng);
      const norm = (v: Float64Array) => Math.sqrt(v.reduce((s, a) => s + a * a, 0));
      const before = norm(x);
      const quiet = new TasteDrift({ kappa, sigma: 0, shiftRate: 0, shiftStrength: 1.5 }, catalog);
      quiet.advance(x, 2, rng);
      expect(norm(x) / before).toBeCloseTo(Math.exp(-kappa * 2), 12);
    }
  });
});
