import { describe, expect, it } from 'vitest';
import { eventsBySession, smallSpec, world } from './helpers.ts';

describe('sessions', () => {
  const w = world(smallSpec({ activity: { sessionsPerDay: 2 } }));
  const log = w.log;
  const sessions = eventsBySession(w);

  it('numbers sessions 0.. with no gaps, in order of start time, ties by person', () => {
    expect(sessions.every((events) => events !== undefined && events.length > 0)).toBe(true);
    let bad = 0;
    for (let s = 1; s < sessions.length; s++) {
      const prev = log.tsMs[sessions[s - 1][0]];
      const cur = log.tsMs[sessions[s][0]];
      if (cur < prev || (cur === prev && log.person[sessions[s][0]] < log.person[sessions[s - 1][0]])) bad++;
    }
    expect(bad).toBe(0);
  });

  it('gives all events of a session the same person, key, login and channel', () => {
    let bad = 0;
    for (const events of sessions) {
      const e0 = events[0];
      for (const e of events) {
        if (log.person[e] !== log.person[e0] || log.key[e] !== log.key[e0] || log.login[e] !== log.login[e0] || log.channel[e] !== log.channel[e0]) bad++;
      }
    }
    expect(bad).toBe(0);
  });

  it('spreads a session over minutes, never a 30-minute gap inside it', () => {
    let longestGap = 0;
    let multi = 0;
    for (const events of sessions) {
      if (events.length > 1) multi++;
      for (let k = 1; k < events.length; k++) longestGap = Math.max(longestGap, log.tsMs[events[k]] - log.tsMs[events[k - 1]]);
    }
    expect(multi).toBeGreaterThan(sessions.length / 2);
    expect(longestGap).toBeLessThan(30 * 60_000);
  });

  it('never interleaves sessions of the same person', () => {
    const spans = new Map<number, Array<[number, number]>>();
    for (const events of sessions) {
      const p = log.person[events[0]];
      const span: [number, number] = [log.tsMs[events[0]], log.tsMs[events[events.length - 1]]];
      (spans.get(p) ?? spans.set(p, []).get(p)!).push(span);
    }
    let overlaps = 0;
    for (const list of spans.values()) {
      list.sort((a, b) => a[0] - b[0]);
      for (let k = 1; k < list.length; k++) if (list[k][0] <= list[k - 1][1]) overlaps++;
    }
    expect(overlaps).toBe(0);
  });

  it('averages about viewsPerSession views per browsing session', () => {
    let views = 0;
    let browsing = 0;
    for (const events of sessions) {
      const v = events.filter((e) => log.type[e] === 0).length;
      if (v > 0) {
        browsing++;
        views += v;
      }
    }
    expect(views / browsing).toBeGreaterThan(w.spec.activity.viewsPerSession * 0.9);
    expect(views / browsing).toBeLessThan(w.spec.activity.viewsPerSession * 1.1);
  });

  it('has about sessionsPerDay sessions per person per day', () => {
    const perPersonDay = sessions.length / (w.spec.persons * w.spec.days);
    // Return sessions add a little; absorbed arrivals remove a little.
    expect(perPersonDay).toBeGreaterThan(w.spec.activity.sessionsPerDay * 0.85);
    expect(perPersonDay).toBeLessThan(w.spec.activity.sessionsPerDay * 1.15);
  });
});
