// The activity multiplier's tail (docs/method.md 2.3): lognormal multipliers with mean 1 and log-sd sigma, one-off
// persons with exactly one session, and the default (no tail settings) leaving the quickstart's log byte for byte
// as it was before the settings existed.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COLUMN_NAMES } from '../../src/log/eventLog.ts';
import { parseScenario } from '../../src/scenario/load.ts';
import { Rng } from '../../src/util/rng.ts';
import { loadLog } from '../../src/run/loadLog.ts';
import { silentReporter } from '../../src/util/progress.ts';
import { drawCatalog } from '../../src/world/items.ts';
import { drawPersons } from '../../src/world/persons.ts';
import { smallSpec, world } from './helpers.ts';

/**
 * sha256 of the quickstart's log columns and dictionaries as `recgap run` loads it, computed with the code from
 * before activity.tail existed (commit bbb0ac5).
 */
const QUICKSTART_LOG_SHA256 = '3e3c09f675a664193933e52f83eb7a564eabdcb5ac48bde66670591eddfa782a';

const mean = (xs: ArrayLike<number>) => Array.from(xs).reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: ArrayLike<number>) => {
  const m = mean(xs);
  return Math.sqrt(Array.from(xs).reduce((a, x) => a + (x - m) ** 2, 0) / xs.length);
};

describe('activity tail', () => {
  it('the default leaves the quickstart log byte-identical', async () => {
    const s = parseScenario(readFileSync(new URL('../../scenarios/quickstart.yaml', import.meta.url), 'utf8'), 'quickstart.yaml');
    const { log } = await loadLog(s, silentReporter());
    const h = createHash('sha256');
    for (const name of COLUMN_NAMES) h.update(Buffer.from(log[name].buffer, log[name].byteOffset, log[name].byteLength));
    h.update(JSON.stringify(log.dict));
    expect(log.length).toBe(1_221_441);
    expect(h.digest('hex')).toBe(QUICKSTART_LOG_SHA256);
  });

  it('lognormal multipliers have mean 1 and log-sd sigma; one-off persons come at their share', () => {
    // 20,000 persons: the mean's standard error is sqrt(e - 1) / 141 = 0.009, the log's mean and sd about 0.007,
    // the one-off share's 0.003; tolerances are about five of them.
    const spec = smallSpec({ persons: 20_000, activity: { tail: 'lognormal', sigma: 1, oneOff: 0.2 } });
    const persons = drawPersons(spec, drawCatalog(spec, Rng.fromSeed(3).fork('catalog')), Rng.fromSeed(3).fork('persons'));
    const logs = Float64Array.from(persons.activity, Math.log);
    expect(Math.abs(mean(persons.activity) - 1)).toBeLessThan(0.05);
    expect(Math.abs(mean(logs) - -0.5)).toBeLessThan(0.035);
    expect(Math.abs(sd(logs) - 1)).toBeLessThan(0.035);
    expect(Math.abs(mean(persons.oneOff) - 0.2)).toBeLessThan(0.015);
  });

  it('visits per person: one-off persons start one session, the rest Poisson-lognormal with CV^2 = 1/m + exp(sigma^2) - 1', () => {
    // m = 0.5 a day x 28 days = 14 sessions; sigma 0.5: CV^2 = 1/14 + e^0.25 - 1, CV = 0.596. Over about 2,400
    // regular persons the mean's standard error is 1.2% and the CV's about 3%; arrivals within 30 minutes of a
    // session's end are absorbed into it (about 1% of them at these rates).
    // Purchases in the same session: a purchase delayed past a session brings the person back for it (timeline.ts).
    const w = world(smallSpec({ persons: 3000, activity: { tail: 'lognormal', sigma: 0.5, oneOff: 0.2, diurnal: false }, funnel: { sameSession: 1 } }), 5);
    const spec = w.spec;
    const persons = drawPersons(spec, drawCatalog(spec, Rng.fromSeed(5).fork('items').fork('catalog')), Rng.fromSeed(5).fork('persons'));
    const sessions = Array.from({ length: spec.persons }, () => new Set<number>());
    for (let e = 0; e < w.log.length; e++) sessions[w.log.person[e]].add(w.log.session[e]);
    const regular: number[] = [];
    for (let u = 0; u < spec.persons; u++) {
      if (persons.oneOff[u]) expect(sessions[u].size).toBe(1);
      else regular.push(sessions[u].size);
    }
    const m = 0.5 * 28;
    expect(Math.abs(mean(regular) / m - 1)).toBeLessThan(0.05);
    expect(Math.abs(sd(regular) / mean(regular) / Math.sqrt(1 / m + Math.exp(0.25) - 1) - 1)).toBeLessThan(0.1);
  });

  it('a gamma world ignores sigma (the tail decides which is drawn)', () => {
    const a = world(smallSpec({ persons: 100 }));
    const b = world(smallSpec({ persons: 100, activity: { tail: 'gamma', sigma: 3 } }));
    expect(Buffer.from(b.log.tsMs.buffer).equals(Buffer.from(a.log.tsMs.buffer))).toBe(true);
  });
});
